/**
 * IPv6-only networks with NAT64 and DNS64: a translator (`role: nat64`) joins a network where
 * it has an IPv6 address and one where it has an IPv4 address, and gets a NAT64 prefix of an
 * RFC 6052 length and an IPv4 pool that no lab network uses; a network with `dns64: true` has
 * IPv6 and a translator on it, whose prefix its clients' synthesised AAAA records use.
 *
 * The default prefix is the Well-Known Prefix 64:ff9b::/96 when every IPv4 network the
 * translator reaches is global; RFC 6052 §3.1 forbids it for non-global IPv4 addresses (the
 * article's 172.30.0.0/24, and Tayga refuses to translate them), so then the default is the
 * network-specific prefix fd00:64::/96.
 */
import { labProblem } from './problem.js';
import { canonical, overlaps, parseSubnet, toSubnet } from './ip.js';
import { isGlobalIpv4, NAT64_PREFIX_LENGTHS, WELL_KNOWN_PREFIX } from '../addr/nat64.js';
import type { RawLab } from './schema.js';
import type { Network, Node, Subnet } from './topology.js';

/** The prefix a translator gets when the lab's IPv4 addresses are not global (RFC 6052 §3.1). */
export const DEFAULT_NETWORK_SPECIFIC_PREFIX = 'fd00:64::/96';
/** The IPv4 pool Tayga maps IPv6 clients into by default (only inside the translator; masqueraded). */
export const DEFAULT_POOL = '192.168.255.0/24';

export function applyNat64(raw: RawLab, nodes: Node[], networks: Network[]): void {
  raw.nodes.forEach((r, i) => {
    const node = nodes[i]!;
    if (r.nat64 !== undefined && node.role !== 'nat64') {
      throw labProblem('DSLAB_E_LAB_NAT64', ['nodes', i, 'nat64'], `is set on node ${node.name}, whose role is ${node.role}`, { hint: 'Remove "nat64", or make the node role: nat64.' });
    }
    if (node.role !== 'nat64') return;
    const v6 = node.attachments.find((a) => a.ipv6 !== undefined);
    const v4 = node.attachments.find((a) => a.ipv4 !== undefined);
    if (!v6 || !v4) {
      throw labProblem('DSLAB_E_LAB_NAT64', ['nodes', i, 'addresses'], `(translator ${node.name}) has no ${v6 ? 'IPv4' : 'IPv6'} address; a NAT64 translator joins an IPv6 network and an IPv4 network`, {
        hint: `Give ${node.name} an ipv6 address on the IPv6-only network and an ipv4 address on the network of the IPv4 servers.`,
      });
    }
    const v4Subnets = node.attachments.filter((a) => a.ipv4).map((a) => networks.find((n) => n.name === a.network)!.ipv4!);
    const global = v4Subnets.every((s) => isGlobalIpv4(s.address));
    const prefix = r.nat64?.prefix === undefined ? undefined : checkPrefix(r.nat64.prefix, i, global, v4Subnets);
    const chosen = prefix ?? (global ? WELL_KNOWN_PREFIX : DEFAULT_NETWORK_SPECIFIC_PREFIX);
    for (const [j, net] of networks.entries()) {
      if (net.ipv6 && overlaps(net.ipv6, subnetOf(chosen))) {
        throw labProblem('DSLAB_E_LAB_NAT64', prefix ? ['nodes', i, 'nat64', 'prefix'] : ['networks', j, 'ipv6'], `(NAT64 prefix ${chosen} of ${node.name}) overlaps network ${net.name} (${net.ipv6.cidr})`, {
          value: prefix ?? net.ipv6.cidr,
          hint: `Give ${node.name} a NAT64 prefix outside the lab's networks, e.g. nat64: { prefix: "fd00:6464::/96" }.`,
        });
      }
    }
    const pool = checkPool(r.nat64?.pool ?? DEFAULT_POOL, i, r.nat64?.pool !== undefined, networks);
    node.nat64 = { prefix: chosen, pool, ipv4: v4.ipv4!, ifname: v4.ifname };
  });
  raw.networks.forEach((r, j) => {
    if (!r.dns64) return;
    const net = networks[j]!;
    const translator = nodes.find((n) => n.nat64 && n.attachments.some((a) => a.network === net.name && a.ipv6));
    if (!net.ipv6 || !translator) {
      throw labProblem('DSLAB_E_LAB_DNS64', ['networks', j, 'dns64'], `(network ${net.name}) ${!net.ipv6 ? 'has no IPv6' : 'has no NAT64 translator'}: DNS64's synthesised AAAA records would lead nowhere`, {
        hint: !net.ipv6 ? `Give ${net.name} an ipv6 prefix, or remove dns64.` : `Put a node with role: nat64 on ${net.name} (with an ipv6 address there and an ipv4 address on the IPv4 network), or remove dns64.`,
      });
    }
    net.dns64 = { prefix: translator.nat64!.prefix, translator: translator.name };
  });
}

function subnetOf(cidr: string): Subnet {
  const r = parseSubnet(cidr);
  if (!r.ok) throw new Error(`not a subnet: ${cidr}`);
  return toSubnet(r.subnet);
}

function checkPrefix(text: string, i: number, global: boolean, v4: Subnet[]): string {
  const path = ['nodes', i, 'nat64', 'prefix'];
  const r = parseSubnet(text);
  if (!r.ok || r.subnet.family !== 6) {
    throw labProblem('DSLAB_E_LAB_NAT64', path, `is not an IPv6 prefix${r.ok ? '' : `: ${r.reason}`}`, { value: text, hint: `Write a prefix such as ${WELL_KNOWN_PREFIX} or ${DEFAULT_NETWORK_SPECIFIC_PREFIX}.` });
  }
  const { prefixLength } = r.subnet;
  if (!(NAT64_PREFIX_LENGTHS as readonly number[]).includes(prefixLength)) {
    throw labProblem('DSLAB_E_LAB_NAT64', path, `is a /${prefixLength}; RFC 6052 §2.2 allows NAT64 prefixes of /${NAT64_PREFIX_LENGTHS.join(', /')} only`, {
      value: text,
      hint: `Use one of those lengths, e.g. ${canonical(r.subnet.ip)}/96.`,
    });
  }
  const subnet = toSubnet(r.subnet);
  if (prefixLength < 96 && r.subnet.ip.toByteArray()[8] !== 0) {
    throw labProblem('DSLAB_E_LAB_NAT64', path, 'has bits 64-71 set; RFC 6052 §2.2 keeps them (the "u" octet) zero', { value: text, hint: 'Clear bits 64-71 of the prefix.' });
  }
  if (subnet.cidr === WELL_KNOWN_PREFIX && !global) {
    const local = v4.find((s) => !isGlobalIpv4(s.address))!;
    throw labProblem('DSLAB_E_LAB_NAT64', path, `is the Well-Known Prefix, which RFC 6052 §3.1 forbids for non-global IPv4 addresses such as ${local.cidr} (Tayga refuses to translate them)`, {
      value: text,
      hint: `Use a network-specific prefix, e.g. ${DEFAULT_NETWORK_SPECIFIC_PREFIX} (the default here), or give the IPv4 servers global addresses.`,
    });
  }
  return subnet.cidr;
}

function checkPool(text: string, i: number, given: boolean, networks: readonly Network[]): string {
  const path = ['nodes', i, 'nat64', 'pool'];
  const r = parseSubnet(text);
  if (!r.ok || r.subnet.family !== 4 || r.subnet.prefixLength > 31) {
    throw labProblem('DSLAB_E_LAB_NAT64', path, `is not an IPv4 prefix of /31 or shorter${r.ok ? '' : `: ${r.reason}`}`, { value: text, hint: `Write an IPv4 prefix the lab does not use, e.g. ${DEFAULT_POOL}.` });
  }
  const pool = toSubnet(r.subnet);
  const clash = networks.find((n) => n.ipv4 && overlaps(n.ipv4, pool));
  if (clash) {
    throw labProblem('DSLAB_E_LAB_NAT64', given ? path : ['networks', networks.indexOf(clash), 'ipv4'], `(the translator's IPv4 pool ${pool.cidr}) overlaps network ${clash.name} (${clash.ipv4!.cidr})`, {
      value: given ? text : clash.ipv4!.cidr,
      hint: 'Give the translator a pool no lab network uses, e.g. nat64: { pool: 192.168.254.0/24 }.',
    });
  }
  return pool.cidr;
}
