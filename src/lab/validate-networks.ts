/**
 * Networks of a lab file: names, subnets (host bits zero, a usable range, room for a
 * gateway and hosts), no two networks overlapping. Gateways are `.1` and `::1`.
 */
import { labProblem } from './problem.js';
import { canonical, networkAddress, offsetAddress, overlaps, parseSubnet, rangeOf, subnetIp, toSubnet } from './ip.js';
import { NETWORK_NAME, NETWORK_NAME_HINT } from './rules.js';
import type { RawNetwork } from './schema.js';
import { formsBySlaac, type Autoconf, type Family, type Network, type Subnet } from './topology.js';

/** Ranges no lab network may use: they mean something special to every host. */
const FORBIDDEN_RANGES = ['unspecified', 'broadcast', 'multicast', 'linkLocal', 'loopback', 'ipv4Mapped', 'rfc6145', 'reserved', 'deprecatedSiteLocal'];
/** Prefix lengths that leave room for the gateway and at least one node. */
const PREFIX = { 4: { min: 8, max: 30 }, 6: { min: 32, max: 126 } } as const;
const EXAMPLE = { 4: '172.30.0.0/24', 6: 'fd00:dead:beef::/64' } as const;

function checkSubnet(text: string, family: Family, path: Array<string | number>): Subnet {
  const key = family === 4 ? 'ipv4' : 'ipv6';
  const parsed = parseSubnet(text);
  if (!parsed.ok) {
    return fail('DSLAB_E_LAB_SUBNET', `is not a subnet: ${parsed.reason}`, `Write an ${key} subnet as ADDRESS/PREFIX, e.g. ${EXAMPLE[family]}.`);
  }
  const p = parsed.subnet;
  if (p.family !== family) {
    return fail('DSLAB_E_LAB_FAMILY', `is an IPv${p.family} subnet in the ${key} field`, `Put IPv${p.family} subnets under ipv${p.family}, or write an IPv${family} subnet such as ${EXAMPLE[family]}.`);
  }
  const net = networkAddress(p.ip, p.prefixLength);
  if (canonical(net) !== canonical(p.ip)) {
    return fail('DSLAB_E_LAB_SUBNET', 'has host bits set', `Write the network address: ${canonical(net)}/${p.prefixLength}.`);
  }
  const { min, max } = PREFIX[family];
  if (p.prefixLength < min || p.prefixLength > max) {
    return fail('DSLAB_E_LAB_SUBNET', `has prefix length /${p.prefixLength}`, `Use a prefix length from /${min} to /${max} (e.g. ${EXAMPLE[family]}).`);
  }
  const range = rangeOf(p.ip);
  if (FORBIDDEN_RANGES.includes(range)) {
    return fail('DSLAB_E_LAB_SUBNET', `is in the ${range} range, which a lab network cannot use`, `Use a private range: ${family === 4 ? '10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16' : 'fd00::/8 (unique local)'}, e.g. ${EXAMPLE[family]}.`);
  }
  return toSubnet(p);

  function fail(code: Parameters<typeof labProblem>[0], what: string, hint: string): never {
    throw labProblem(code, path, what, { value: text, hint });
  }
}

/** SLAAC needs a /64 (RFC 4862 §5.5.3 with RFC 4291's 64-bit interface identifiers); DHCPv6 labs keep it too (on-link /64, leased /128s). */
function checkAutoconf(autoconf: Autoconf, network: Network, i: number): void {
  if (network.ipv6!.prefixLength !== 64) {
    throw labProblem('DSLAB_E_LAB_AUTOCONF', ['networks', i, 'ipv6', 'prefix'], `(network ${network.name}) is a /${network.ipv6!.prefixLength}; ${formsBySlaac(autoconf) ? 'SLAAC forms addresses only in a /64 (a 64-bit interface identifier, RFC 4291 and RFC 4862)' : 'a DHCPv6 network here is an on-link /64 (its leases come from it)'}`, {
      value: network.ipv6!.cidr,
      hint: `Give network ${network.name} a /64 prefix, e.g. ${network.ipv6!.address}/64.`,
    });
  }
  network.autoconf = autoconf;
}

export function validateNetworks(raw: readonly RawNetwork[]): Network[] {
  const networks: Network[] = [];
  raw.forEach((r, i) => {
    if (!NETWORK_NAME.test(r.name)) {
      throw labProblem('DSLAB_E_LAB_NAME', ['networks', i, 'name'], 'is not a usable network name (the bridge is named br-<name>)', { value: r.name, hint: NETWORK_NAME_HINT });
    }
    const twin = networks.findIndex((n) => n.name === r.name);
    if (twin >= 0) {
      throw labProblem('DSLAB_E_LAB_DUPLICATE', ['networks', i, 'name'], `is already the name of networks[${twin}]`, { value: r.name, hint: 'Give every network its own name.' });
    }
    if (r.ipv4 === undefined && r.ipv6 === undefined) {
      throw labProblem('DSLAB_E_LAB_SUBNET', ['networks', i], `(network ${r.name}) has no subnet`, { hint: `Give it an ipv4 subnet, an ipv6 subnet or both, e.g. ipv4: ${EXAMPLE[4]}, ipv6: ${EXAMPLE[6]}.` });
    }
    const network: Network = { name: r.name };
    if (r.ipv4 !== undefined) {
      network.ipv4 = checkSubnet(r.ipv4, 4, ['networks', i, 'ipv4']);
      network.gateway4 = canonical(offsetAddress(subnetIp(network.ipv4), 1));
    }
    if (r.ipv6 !== undefined) {
      const form = typeof r.ipv6 === 'string' ? { prefix: r.ipv6 } : r.ipv6;
      const path = typeof r.ipv6 === 'string' ? ['networks', i, 'ipv6'] : ['networks', i, 'ipv6', 'prefix'];
      network.ipv6 = checkSubnet(form.prefix, 6, path);
      network.gateway6 = canonical(offsetAddress(subnetIp(network.ipv6), 1));
      if (form.autoconf !== undefined) checkAutoconf(form.autoconf, network, i);
    }
    for (const family of [4, 6] as const) {
      const mine = family === 4 ? network.ipv4 : network.ipv6;
      if (!mine) continue;
      const other = networks.findIndex((n) => {
        const theirs = family === 4 ? n.ipv4 : n.ipv6;
        return theirs !== undefined && overlaps(mine, theirs);
      });
      if (other >= 0) {
        const theirs = family === 4 ? networks[other]?.ipv4 : networks[other]?.ipv6;
        throw labProblem('DSLAB_E_LAB_OVERLAP', ['networks', i, family === 4 ? 'ipv4' : 'ipv6'], `overlaps networks[${other}] (${networks[other]?.name}, ${theirs?.cidr})`, {
          value: mine.cidr,
          hint: 'Give each network a subnet of its own that shares no address with the others.',
        });
      }
    }
    networks.push(network);
  });
  return networks;
}

