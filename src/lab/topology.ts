/**
 * The lab model: a pure, validated description of a dual-stack lab (no I/O).
 * A lab file becomes a `Topology`; a backend realises it; experiments read it.
 */

import type { Fault, Scenario } from '../faults/types.js';

/** An IP address family: 4 for IPv4, 6 for IPv6. */
export type Family = 4 | 6;

/** A subnet in canonical text form plus its parts, e.g. `172.30.0.0/24`. */
export interface Subnet {
  /** Canonical CIDR text, network address with host bits zero (`fd00:dead:beef::/64`). */
  cidr: string;
  /** Canonical network address (`fd00:dead:beef::`). */
  address: string;
  prefixLength: number;
  family: Family;
}

/** One network of the lab (a bridge on the switch), with its IPv4 and/or IPv6 subnet and gateways. */
export interface Network {
  /** Network name, e.g. `dsnet`. Used for the bridge name on the switch. */
  name: string;
  ipv4?: Subnet;
  ipv6?: Subnet;
  /** Gateway address on the switch (`.1`), present when ipv4 is. */
  gateway4?: string;
  /** Gateway address on the switch (`::1`), present when ipv6 is. */
  gateway6?: string;
  /**
   * `slaac`: the network's router sends Router Advertisements and its other nodes form their
   * IPv6 addresses; `dhcpv6`: the RAs have the M flag and the router's DHCPv6 server leases them;
   * `slaac+dhcpv6` (stateless DHCPv6, RFC 8415 §6.1): addresses by SLAAC, the RAs have the O flag
   * and the nodes ask the DHCPv6 server for the DNS servers only (Information-request).
   */
  autoconf?: Autoconf;
  /** Link MTU of every interface on the network (default: the kernel's, 1500). */
  mtu?: number;
  /** DNS64 for the network's clients: the NAT64 prefix of its translator (`dns64: true` in the file). */
  dns64?: { prefix: string; translator: string };
  /**
   * The router node that is the network's gateway (the first `role: router` node on it), with
   * its addresses there: the network's other nodes route through it instead of the switch.
   */
  router?: { node: string; ipv4?: string; ipv6?: string };
}

/** What a node is for: a web server, a DNS server, a client, a plain host or a router. */
export type Role = 'web' | 'dns' | 'client' | 'host' | 'router' | 'nat64';

/** Whether a node forwards between its networks: a router, or a NAT64 translator (which is a router too). */
export const forwards = (node: { role: Role }): boolean => node.role === 'router' || node.role === 'nat64';

/** One interface of a node: its addresses on one network. */
export interface Attachment {
  network: string;
  /** Interface name inside the node: `eth0` for the first network, `eth1`, ... */
  ifname: string;
  /** Canonical address text, no prefix length. */
  ipv4?: string;
  ipv6?: string;
  /** The IPv6 address is formed by SLAAC or leased by DHCPv6 (read back from the kernel by `up`). */
  autoconf?: Autoconf;
}

/** How a network's nodes get their IPv6 addresses when they are not fixed in the lab file. */
export type Autoconf = 'slaac' | 'dhcpv6' | 'slaac+dhcpv6';

/** The nodes form their own addresses from the RA's prefix (SLAAC, with or without stateless DHCPv6). */
export const formsBySlaac = (autoconf: Autoconf | undefined): boolean => autoconf === 'slaac' || autoconf === 'slaac+dhcpv6';

/** The network's router runs a DHCPv6 server (stateful leases, or stateless answers). */
export const usesDhcpv6 = (autoconf: Autoconf | undefined): boolean => autoconf === 'dhcpv6' || autoconf === 'slaac+dhcpv6';

/** How a user reads `autoconf`: "SLAAC", "DHCPv6" or "SLAAC + stateless DHCPv6". */
export const autoconfLabel = (autoconf: Autoconf): string => (autoconf === 'slaac' ? 'SLAAC' : autoconf === 'dhcpv6' ? 'DHCPv6' : 'SLAAC + stateless DHCPv6');

/** How a node forms SLAAC addresses: the interface identifier, and RFC 8981 temporary addresses. */
export interface SlaacSettings {
  /** `eui64` (from the MAC, RFC 4291) or `stable-privacy` (RFC 7217). */
  addrGenMode: 'eui64' | 'stable-privacy';
  temporary: boolean;
}

/** The web server a `web` node runs and the port it listens on. */
export interface WebService {
  /** `builtin` is dslab's own web server; `nginx` is Debian's nginx. */
  server: 'builtin' | 'nginx';
  port: number;
}

/** One node of the lab (a network namespace): its role, interfaces, resolvers and web service. */
export interface Node {
  name: string;
  role: Role;
  /** In the order of `Topology.networks`; the first carries the default routes. */
  attachments: Attachment[];
  /** Resolver addresses written to the node's resolv.conf (both families, canonical text). */
  dns: string[];
  /** Present for role `web`. */
  web?: WebService;
  /** Present for a node with an address formed by SLAAC. */
  slaac?: SlaacSettings;
  /** Present for role `nat64`. */
  nat64?: Nat64Settings;
}

/** A translator's NAT64 (RFC 6146, by Tayga plus masquerade): its prefix, its IPv4 pool and its IPv4 side. */
export interface Nat64Settings {
  /** The NAT64 prefix, a CIDR of an RFC 6052 length (canonical). */
  prefix: string;
  /** IPv4 pool Tayga maps IPv6 clients into (inside the translator only), masqueraded to `ipv4`. */
  pool: string;
  /** The translator's IPv4 address and interface the translated traffic leaves by (what IPv4 servers see). */
  ipv4: string;
  ifname: string;
}

/** The DNS record types the lab serves: `A` (IPv4) and `AAAA` (IPv6). */
export type RecordType = 'A' | 'AAAA';

/** One address record the lab's DNS server answers, with its TTL, answer delay and drop flag. */
export interface DnsRecord {
  /** Fully qualified, lower case, without the trailing dot: `dual-ok.local`. */
  name: string;
  type: RecordType;
  /** Canonical address text. */
  address: string;
  ttl: number;
  /** Answer delay in ms for queries of this name and type (0 = none). */
  delayMs: number;
  /** When true the server drops queries of this name and type (no answer at all). */
  drop: boolean;
}

/** `Topology.source` of the default lab (examples/default.yaml). */
export const DEFAULT_SOURCE = '<default>';

/** A whole validated lab: its networks, nodes, DNS records and zones, faults and where it was defined. */
export interface Topology {
  /** Lab name, default `dslab`; every resource name derives from it. */
  name: string;
  networks: Network[];
  nodes: Node[];
  records: DnsRecord[];
  /** Zones the lab's DNS server is authoritative for, without trailing dot (`local`). */
  zones: string[];
  /** Where the definition came from: a file path, or `<default>` (DEFAULT_SOURCE). */
  source: string;
  /** Faults applied when the lab comes up (lab file `faults:`, `up --fault`, `up --scenario`). */
  faults?: Fault[];
  /** The lab file's own fault scenarios (beside the built-in ones). */
  scenarios?: Scenario[];
  /**
   * `up --corefile`: the Corefile the lab's DNS nodes serve, as CoreDNS would (its hosts
   * entries are also the lab's `records`).
   */
  corefile?: { source: string; text: string };
}

/** Addresses of every node, both families. */
export function nodeAddresses(node: Node): string[] {
  const out: string[] = [];
  for (const a of node.attachments) {
    if (a.ipv4) out.push(a.ipv4);
    if (a.ipv6) out.push(a.ipv6);
  }
  return out;
}

/** A node's addresses, one list per family (in the order of its attachments). */
export function nodeAddressesByFamily(node: Node): { ipv4: string[]; ipv6: string[] } {
  return {
    ipv4: node.attachments.flatMap((a) => (a.ipv4 ? [a.ipv4] : [])),
    ipv6: node.attachments.flatMap((a) => (a.ipv6 ? [a.ipv6] : [])),
  };
}

/** The addresses of the lab's DNS nodes in one family (what RAs and DHCPv6 hand out as DNS servers). */
export function dnsServerAddresses(topology: Topology, family: Family): string[] {
  return topology.nodes.filter((n) => n.role === 'dns').flatMap((n) => nodeAddressesByFamily(n)[family === 4 ? 'ipv4' : 'ipv6']);
}

/** The first node that has the given address (canonical text) on any of its attachments, or undefined. */
export function findNodeByAddress(topology: Topology, address: string): Node | undefined {
  return topology.nodes.find((n) => nodeAddresses(n).includes(address));
}
