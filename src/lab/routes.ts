/**
 * The routes every node gets, computed from the topology (pure). A node's default route in
 * each family goes through the router of its first network that has one, else through the
 * switch's gateway, as in the flat article lab. A router also gets a route to every network it
 * is not on, through the next router on the shortest path (by number of hops), and its own
 * default route through the switch's gateway of its first network, so that anything off-lab
 * still fails at once as unreachable.
 */
import { forwards, type Family, type Network, type Node, type Topology } from './topology.js';

/** What `via` says for a default route a node learns from its router's Router Advertisements. */
export const VIA_RA = 'fe80:: of the router (from its Router Advertisements)';

/**
 * The routes to show for a node: routesOf, plus the IPv6 default route a SLAAC node learns from
 * its network's router (the kernel adds it, via the router's link-local address).
 */
export function shownRoutesOf(node: Node, topology: Topology): Route[] {
  const out = routesOf(node, topology);
  const a = node.attachments.find((x) => x.autoconf !== undefined);
  const router = a && topology.networks.find((n) => n.name === a.network)?.router;
  if (a && router) out.push({ family: 6, destination: 'default', via: VIA_RA, ifname: a.ifname, viaNode: router.node });
  return out;
}

/** One route of a node: its family, destination (a network's CIDR or `default`), next hop and interface. */
export interface Route {
  family: Family;
  /** A network's CIDR, or `default`. */
  destination: string;
  via: string;
  ifname: string;
  /** Who `via` is: a router node, or the switch. */
  viaNode: string;
}

function subnet(net: Network, family: Family) {
  return family === 4 ? net.ipv4 : net.ipv6;
}

function addressOn(node: Node, network: string, family: Family): string | undefined {
  const a = node.attachments.find((x) => x.network === network);
  return family === 4 ? a?.ipv4 : a?.ipv6;
}

/** The default route of a node that is not a router (or a router's, through the switch). */
function defaultRoute(node: Node, topology: Topology, family: Family, useRouters: boolean): Route | undefined {
  for (const a of node.attachments) {
    // a SLAAC or DHCPv6 node's IPv6 default route comes from its router's Router Advertisements
    if (family === 6 && a.autoconf !== undefined) return undefined;
    if (!(family === 4 ? a.ipv4 : a.ipv6)) continue;
    const net = topology.networks.find((n) => n.name === a.network)!;
    const router = net.router && net.router.node !== node.name ? net.router : undefined;
    const viaRouter = useRouters && router ? (family === 4 ? router.ipv4 : router.ipv6) : undefined;
    if (viaRouter) return { family, destination: 'default', via: viaRouter, ifname: a.ifname, viaNode: router!.node };
    const gw = family === 4 ? net.gateway4 : net.gateway6;
    if (gw) return { family, destination: 'default', via: gw, ifname: a.ifname, viaNode: '(switch)' };
  }
  return undefined;
}

/** For a router: the next hop towards every network it is not on (breadth-first over routers). */
function routerRoutes(router: Node, topology: Topology, family: Family): Route[] {
  const routers = topology.nodes.filter(forwards);
  const mine = new Set(router.attachments.filter((a) => (family === 4 ? a.ipv4 : a.ipv6)).map((a) => a.network));
  // first hop (router, shared network) for every network reached, found level by level
  const reached = new Map<string, { hop: Node; on: string }>();
  let frontier: Array<{ node: Node; hop: Node; on: string }> = [];
  for (const other of routers) {
    if (other === router) continue;
    const shared = other.attachments.find((a) => mine.has(a.network) && addressOn(other, a.network, family) && addressOn(router, a.network, family));
    if (shared) frontier.push({ node: other, hop: other, on: shared.network });
  }
  const seen = new Set<string>([router.name]);
  while (frontier.length > 0) {
    const next: typeof frontier = [];
    for (const f of frontier) {
      if (seen.has(f.node.name)) continue;
      seen.add(f.node.name);
      for (const a of f.node.attachments) {
        if (!(family === 4 ? a.ipv4 : a.ipv6) || mine.has(a.network) || reached.has(a.network)) continue;
        reached.set(a.network, { hop: f.hop, on: f.on });
      }
      for (const other of routers) {
        if (seen.has(other.name)) continue;
        const shared = other.attachments.some((a) => f.node.attachments.some((b) => b.network === a.network) && addressOn(other, a.network, family));
        if (shared) next.push({ node: other, hop: f.hop, on: f.on });
      }
    }
    frontier = next;
  }
  const out: Route[] = [];
  for (const net of topology.networks) {
    const r = reached.get(net.name);
    const dest = subnet(net, family);
    if (!r || !dest) continue;
    const via = addressOn(r.hop, r.on, family)!;
    out.push({ family, destination: dest.cidr, via, ifname: router.attachments.find((a) => a.network === r.on)!.ifname, viaNode: r.hop.name });
  }
  return out;
}

/** Every route of `node`, both families: routes to other networks first, then the default route. */
export function routesOf(node: Node, topology: Topology): Route[] {
  const out: Route[] = [];
  for (const family of [4, 6] as const) {
    if (forwards(node)) out.push(...routerRoutes(node, topology, family));
    const d = defaultRoute(node, topology, family, !forwards(node));
    if (d) out.push(d);
  }
  return out;
}
