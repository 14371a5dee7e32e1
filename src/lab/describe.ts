/**
 * A topology as text for people: networks, nodes with their interfaces and addresses,
 * DNS records and warnings. Used by `dslab validate`; returns lines, prints nothing.
 */
import { DEFAULT_SOURCE, autoconfLabel, formsBySlaac, forwards, type Topology } from './topology.js';

function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => '  ' + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

export function describeLab(topology: Topology, warnings: readonly string[]): string[] {
  const out: string[] = [];
  const source = topology.source === DEFAULT_SOURCE ? 'the default lab, examples/default.yaml' : topology.source;
  out.push(`Lab ${topology.name} (${source}) is valid.`, '');
  out.push('Networks');
  const routed = topology.nodes.some(forwards) || topology.networks.some((n) => n.mtu !== undefined);
  out.push(
    ...table([
      // a routed network's nodes go out through its router; the switch's address stays the lab's way out
      ['NAME', 'IPV4', 'GATEWAY4', 'IPV6', 'GATEWAY6', ...(routed ? ['MTU'] : [])],
      ...topology.networks.map((n) => [
        n.name,
        n.ipv4?.cidr ?? '-',
        n.router?.ipv4 ? `${n.router.ipv4} (${n.router.node})` : (n.gateway4 ?? '-'),
        n.ipv6 ? `${n.ipv6.cidr}${n.autoconf ? ` (${n.autoconf})` : ''}` : '-',
        n.router?.ipv6 ? `${n.router.ipv6} (${n.router.node})` : (n.gateway6 ?? '-'),
        ...(routed ? [String(n.mtu ?? 1500)] : []),
      ]),
    ]),
  );
  out.push('', 'Nodes');
  const rows = [['NODE', 'ROLE', 'IF', 'NETWORK', 'IPV4', 'IPV6', 'DNS']];
  for (const node of topology.nodes) {
    node.attachments.forEach((a, i) => {
      const role = node.web ? `${node.role} (${node.web.server}:${node.web.port})` : node.role;
      rows.push([i === 0 ? node.name : '', i === 0 ? role : '', a.ifname, a.network, a.ipv4 ?? '-', a.ipv6 ?? (formsBySlaac(a.autoconf) ? `${autoconfLabel(a.autoconf!)} (${node.slaac?.addrGenMode ?? 'eui64'}${node.slaac?.temporary ? ', temporary' : ''})` : a.autoconf ? autoconfLabel(a.autoconf) : '-'), i === 0 ? node.dns.join(', ') || '-' : '']);
    });
  }
  out.push(...table(rows));
  const translators = topology.nodes.filter((n) => n.nat64);
  if (translators.length > 0) {
    // what the translator maps and which networks' clients DNS64 answers for
    out.push('', 'NAT64 (Tayga + nftables masquerade) and DNS64');
    out.push(
      ...table([
        ['TRANSLATOR', 'PREFIX', 'POOL', 'IPV4 SIDE (SERVERS SEE)', 'DNS64 FOR'],
        ...translators.map((n) => {
          const side = n.attachments.find((a) => a.ifname === n.nat64!.ifname);
          const dns64 = topology.networks.filter((net) => net.dns64?.translator === n.name).map((net) => `${net.name} (${net.ipv6?.cidr ?? '-'})`);
          return [n.name, n.nat64!.prefix, n.nat64!.pool, `${n.nat64!.ipv4}${side ? ` (${side.network})` : ''}`, dns64.join(', ') || '-'];
        }),
      ]),
    );
  }
  out.push('', `DNS records (zones: ${topology.zones.join(', ') || 'none'})`);
  if (topology.records.length === 0) out.push('  (none)');
  else {
    out.push(
      ...table([
        ['NAME', 'TYPE', 'ADDRESS', 'TTL', 'BEHAVIOUR'],
        ...topology.records.map((r) => [r.name, r.type, r.address, String(r.ttl), r.drop ? 'dropped' : r.delayMs > 0 ? `delayed ${r.delayMs} ms` : '-']),
      ]),
    );
  }
  if (warnings.length > 0) {
    out.push('', 'Warnings');
    for (const w of warnings) out.push(`  - ${w}`);
  }
  return out;
}
