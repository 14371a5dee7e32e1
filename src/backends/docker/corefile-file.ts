/**
 * Renders a lab's records as the article's Corefile: one root server block with log,
 * errors, a hosts block (address then name, A before AAAA per name) with fallthrough, and
 * the seed's forward line (CoreDNS follows it on a desktop engine; dslab's stand-in reports
 * it as not followed). Delays and drops have no Corefile form: they are listed as comments.
 */
import type { Topology } from '../../lab/topology.js';
import { HOSTS_DEFAULT_TTL } from '../../services/dns/corefile.js';

/** The seed's upstreams: used only by a real CoreDNS, for names outside the lab. */
export const SEED_FORWARD = 'forward . 1.1.1.1 8.8.8.8';

export function renderCorefile(topology: Topology): string {
  const lines = [
    `# The ${topology.name} lab's DNS records for CoreDNS (or dslab's DNS server with -conf).`,
    `# Written by "dslab export compose" from ${topology.source}: edit the lab file, not this.`,
    '. {',
    '  log',
    '  errors',
    '  hosts {',
  ];
  const names: string[] = [];
  for (const r of topology.records) if (!names.includes(r.name)) names.push(r.name);
  const ttls = new Set(topology.records.map((r) => r.ttl));
  const ttl = ttls.size === 1 ? [...ttls][0]! : undefined;
  for (const name of names) {
    for (const type of ['A', 'AAAA'] as const) {
      for (const r of topology.records.filter((x) => x.name === name && x.type === type)) {
        const extra: string[] = [];
        if (r.delayMs > 0) extra.push(`delay ${r.delayMs} ms`);
        if (r.drop) extra.push('dropped');
        if (ttl === undefined) extra.push(`ttl ${r.ttl}`);
        lines.push(`    ${r.address} ${r.name}` + (extra.length ? `  # in the lab: ${extra.join(', ')} (no Corefile form)` : ''));
      }
    }
  }
  if (ttl !== undefined && ttl !== HOSTS_DEFAULT_TTL) lines.push(`    ttl ${ttl}`);
  lines.push('    fallthrough', '  }', `  ${SEED_FORWARD}`, '}');
  return lines.join('\n') + '\n';
}
