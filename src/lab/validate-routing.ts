/**
 * Routed labs: router nodes (`role: router`) join two or more networks and become the
 * gateway of each (the first router on a network, in file order); link MTUs per network
 * (RFC 8200 §5: IPv6 needs at least 1280 bytes on every link; RFC 791: IPv4 at least 68).
 * Each rejection names the field and the fix, with its own code; nothing is created.
 */
import { labProblem } from './problem.js';
import type { RawLab } from './schema.js';
import { autoconfLabel, forwards, type Network, type Node } from './topology.js';

/** RFC 8200 §5: every link that carries IPv6 has an MTU of at least 1280 octets. */
export const IPV6_MIN_MTU = 1280;
/** RFC 791: every IPv4 module must handle 68-octet datagrams without fragmentation. */
export const IPV4_MIN_MTU = 68;
/** The largest MTU a veth takes. */
export const MAX_MTU = 65_535;

export function applyMtus(raw: RawLab, networks: Network[]): void {
  raw.networks.forEach((r, i) => {
    if (r.mtu === undefined) return;
    const net = networks[i]!;
    const min = net.ipv6 ? IPV6_MIN_MTU : IPV4_MIN_MTU;
    if (r.mtu < min || r.mtu > MAX_MTU) {
      throw labProblem('DSLAB_E_LAB_MTU', ['networks', i, 'mtu'], net.ipv6 ? `is below ${IPV6_MIN_MTU}, the least an IPv6 link may have (RFC 8200 §5)` : `is outside ${IPV4_MIN_MTU}-${MAX_MTU}`, {
        value: r.mtu,
        hint: net.ipv6 ? `Use an MTU from ${IPV6_MIN_MTU} to ${MAX_MTU} on network ${net.name} (to see a small path MTU, put it on an IPv4 network, or use 1280).` : `Use an MTU from ${IPV4_MIN_MTU} to ${MAX_MTU}.`,
      });
    }
    net.mtu = r.mtu;
  });
}

/** Checks the routers and makes each the gateway of its networks (the first router on a network wins). */
export function applyRouters(nodes: readonly Node[], networks: Network[]): void {
  nodes.forEach((node, i) => {
    if (!forwards(node)) return;
    if (node.attachments.length < 2) {
      throw labProblem('DSLAB_E_LAB_ROUTER', ['nodes', i, 'addresses'], `(router ${node.name}) is on ${node.attachments.length} network${node.attachments.length === 1 ? '' : 's'}; a router joins two or more`, {
        hint: `Give router ${node.name} an address on each network it joins (at least two), or make it role: host.`,
      });
    }
    for (const a of node.attachments) {
      const net = networks.find((n) => n.name === a.network)!;
      if (net.router) continue;
      net.router = { node: node.name, ...(a.ipv4 ? { ipv4: a.ipv4 } : {}), ...(a.ipv6 ? { ipv6: a.ipv6 } : {}) };
    }
  });
  // a network with a router whose family the router does not route has no way out in that family
  networks.forEach((net, i) => {
    if (net.autoconf !== undefined && !net.router) {
      throw labProblem('DSLAB_E_LAB_AUTOCONF', ['networks', i, 'ipv6', 'autoconf'], `(network ${net.name}) has no router to send the Router Advertisements ${autoconfLabel(net.autoconf)} needs`, {
        hint: `Add a node with role: router on ${net.name} (with a fixed ipv6 address there and one on another network).`,
      });
    }
    if (!net.router) return;
    for (const family of [4, 6] as const) {
      const has = family === 4 ? net.ipv4 : net.ipv6;
      const via = family === 4 ? net.router.ipv4 : net.router.ipv6;
      if (has && !via) {
        throw labProblem('DSLAB_E_LAB_ROUTER', ['networks', i], `(network ${net.name}) is IPv${family} too, but its router ${net.router.node} has no IPv${family} address on it`, {
          hint: `Give router ${net.router.node} an ipv${family} address on ${net.name}, or leave ipv${family} out of the network.`,
        });
      }
    }
  });
}
