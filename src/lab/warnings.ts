/**
 * What a valid lab may still do that surprises people: records no node answers (fine, that
 * is what dual-badv6 is for, but worth saying), no client to run experiments from, public
 * address ranges, nodes that cannot reach a resolver.
 */
import ipaddr from 'ipaddr.js';
import { contains } from './ip.js';
import { findNodeByAddress, type Topology } from './topology.js';

function labNetworkOf(topology: Topology, address: string): string | undefined {
  const ip = ipaddr.parse(address);
  for (const n of topology.networks) {
    for (const s of [n.ipv4, n.ipv6]) if (s && contains(s, ip)) return n.name;
  }
  return undefined;
}

function gatewayOf(topology: Topology, address: string): string | undefined {
  return topology.networks.find((n) => n.gateway4 === address || n.gateway6 === address)?.name;
}

/**
 * Warnings about a valid lab, one sentence each: records no node answers, dropped or delayed
 * records, no (or several) client nodes, nodes without a resolver, non-private subnets.
 */
export function labWarnings(topology: Topology): string[] {
  const out: string[] = [];
  for (const r of topology.records) {
    if (findNodeByAddress(topology, r.address)) continue;
    const gw = gatewayOf(topology, r.address);
    if (gw) {
      out.push(`${r.name} ${r.type} ${r.address}: this is the gateway of network ${gw} (the switch); it answers ping but serves no web page`);
    } else if (labNetworkOf(topology, r.address)) {
      out.push(`${r.name} ${r.type} ${r.address}: no node has this address; connections to it will be unreachable (that is what dual-badv6 is for)`);
    } else {
      out.push(`${r.name} ${r.type} ${r.address}: no node has this address and it is outside every lab network; connections to it will fail (nothing leaves the lab)`);
    }
  }
  for (const r of topology.records) {
    if (r.drop) out.push(`${r.name} ${r.type}: queries are dropped (no answer at all), so resolvers will time out`);
    else if (r.delayMs > 0) out.push(`${r.name} ${r.type}: answers are delayed by ${r.delayMs} ms`);
  }
  const clients = topology.nodes.filter((n) => n.role === 'client');
  if (clients.length === 0) {
    out.push('no node has role client: the experiments run from a client node, so "dslab run" has nowhere to run; add a node with role: client');
  } else if (clients.length > 1) {
    out.push(`${clients.length} nodes have role client: the experiments run from the first, ${clients[0]?.name}`);
  }
  const hasDns = topology.nodes.some((n) => n.role === 'dns');
  for (const n of topology.nodes) {
    if (hasDns && n.dns.length === 0) out.push(`node ${n.name} has no resolver of its address family, so names will not resolve there`);
  }
  for (const net of topology.networks) {
    for (const s of [net.ipv4, net.ipv6]) {
      if (!s) continue;
      const range = ipaddr.parse(s.address).range();
      if (range !== 'private' && range !== 'uniqueLocal') {
        out.push(`network ${net.name} ${s.cidr} is not a private range (${range}): inside the lab it hides the real hosts with these addresses; a private range (10/8, 172.16/12, 192.168/16, fd00::/8) is safer`);
      }
    }
  }
  return out;
}
