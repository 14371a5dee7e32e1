/**
 * The address types dslab knows, one row per range: its RFC and its counterpart in the other
 * family (ULA ~ RFC 1918, link-local ~ 169.254/16, ...). Rows follow the IANA special-purpose
 * registries (RFC 6890); the longest matching prefix wins, so narrow rows refine wide ones.
 */
import ipaddr from 'ipaddr.js';
import { type Address, type Family, familyBits } from './bits.js';

/** The id of an address type dslab knows: one per special range of either family, plus `mixed` for a prefix spanning several types. */
export type AddressTypeId =
  // IPv6
  | 'unspecified'
  | 'loopback'
  | 'ipv4-mapped'
  | 'ipv4-translated'
  | 'nat64'
  | 'nat64-local'
  | 'discard'
  | 'ietf-protocol'
  | 'teredo'
  | 'benchmarking'
  | 'orchid-v2'
  | 'documentation'
  | '6to4'
  | 'gua'
  | 'ula'
  | 'site-local'
  | 'link-local'
  | 'multicast'
  | 'reserved'
  // a prefix wider than one type (e.g. ::/0, 0.0.0.0/1): not a row, made by explainAddress
  | 'mixed'
  // IPv4 only
  | 'this-network'
  | 'private'
  | 'shared'
  | '6to4-relay'
  | 'broadcast'
  | 'public';

/** One special-purpose address range: its type, family, CIDR, name, RFC, counterpart in the other family and use. */
export interface RangeRow {
  type: AddressTypeId;
  family: Family;
  /** The range, e.g. `fc00::/7`. */
  cidr: string;
  name: string;
  rfc: string;
  /** The counterpart in the other family, in words. */
  counterpart: string;
  counterpartPrefixes: string[];
  /** What it is for, in one sentence. */
  use: string;
}

// ranges that several rows name as their counterpart, or that are rows of their own
const V4_PRIVATE_PREFIXES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
const V4_PRIVATE = 'the RFC 1918 private ranges 10.0.0.0/8, 172.16.0.0/12 (the lab\'s own 172.30.0.0/24 is in it) and 192.168.0.0/16';
const V4_DOCUMENTATION_PREFIXES = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'];
const V4_DOCUMENTATION = 'the IPv4 documentation ranges 192.0.2.0/24, 198.51.100.0/24 and 203.0.113.0/24 (RFC 5737)';

const ROWS: RangeRow[] = [
  // IPv6 (RFC 4291 and the IANA IPv6 special-purpose registry)
  row('unspecified', 'ipv6', '::/128', 'Unspecified address', 'RFC 4291 §2.5.2', 'the IPv4 unspecified address 0.0.0.0', ['0.0.0.0/32'], 'No address at all: the source of a packet sent before an address is known (e.g. in duplicate address detection), or "any" when binding a socket.'),
  row('loopback', 'ipv6', '::1/128', 'Loopback address', 'RFC 4291 §2.5.3', 'IPv4 loopback 127.0.0.0/8 (127.0.0.1); IPv6 has a single loopback address', ['127.0.0.0/8'], 'The host itself; never leaves the machine.'),
  row('ipv4-mapped', 'ipv6', '::ffff:0:0/96', 'IPv4-mapped IPv6 address', 'RFC 4291 §2.5.5.2', 'the embedded IPv4 address itself', [], 'An IPv4 address seen through an IPv6 socket (dual-stack sockets report IPv4 peers this way); never on the wire.'),
  row('ipv4-translated', 'ipv6', '::ffff:0:0:0/96', 'IPv4-translated address (SIIT)', 'RFC 2765, RFC 6145', 'the embedded IPv4 address itself', [], 'Used by stateless IP/ICMP translation between IPv6 and IPv4 hosts.'),
  row('nat64', 'ipv6', '64:ff9b::/96', 'NAT64 well-known prefix', 'RFC 6052', 'the embedded IPv4 address (a NAT64 gateway translates to it)', [], 'IPv6-only hosts reach IPv4 servers through a NAT64 gateway; DNS64 synthesises these AAAA records.'),
  row('nat64-local', 'ipv6', '64:ff9b:1::/48', 'Local-use IPv4/IPv6 translation prefix', 'RFC 8215', 'the embedded IPv4 address (translated inside one network)', [], 'NAT64-style translation inside a single operator\'s network.'),
  row('discard', 'ipv6', '100::/64', 'Discard-only prefix', 'RFC 6666', 'no IPv4 counterpart (a null route in IPv4 uses any unused prefix)', [], 'Traffic routed here is dropped on purpose (remote-triggered black-holing).'),
  row('ietf-protocol', 'ipv6', '2001::/23', 'IETF protocol assignments', 'RFC 2928', 'IPv4 IETF protocol assignments 192.0.0.0/24', ['192.0.0.0/24'], 'Reserved for IETF protocols (Teredo, benchmarking, ORCHID, ... live here).'),
  row('teredo', 'ipv6', '2001::/32', 'Teredo', 'RFC 4380', 'IPv4 through NAT: the Teredo server and the client\'s public IPv4 address and port are embedded', [], 'IPv6 tunnelled in UDP over IPv4 NAT (a transition mechanism, now rarely used).'),
  row('benchmarking', 'ipv6', '2001:2::/48', 'Benchmarking', 'RFC 5180', 'IPv4 benchmarking range 198.18.0.0/15', ['198.18.0.0/15'], 'For lab benchmarks of network devices; never routed on the Internet.'),
  row('orchid-v2', 'ipv6', '2001:20::/28', 'ORCHIDv2', 'RFC 7343', 'no IPv4 counterpart', [], 'Cryptographic hash identifiers used as addresses by overlay protocols (HIP); not routable.'),
  row('documentation', 'ipv6', '2001:db8::/32', 'Documentation prefix', 'RFC 3849', V4_DOCUMENTATION, V4_DOCUMENTATION_PREFIXES, 'For examples in books and documentation only; never used on real networks.'),
  row('documentation', 'ipv6', '3fff::/20', 'Documentation prefix', 'RFC 9637', V4_DOCUMENTATION, V4_DOCUMENTATION_PREFIXES, 'A larger documentation prefix for examples of big networks; never used on real networks.'),
  row('6to4', 'ipv6', '2002::/16', '6to4', 'RFC 3056', 'the embedded public IPv4 address of the 6to4 site (relays used 192.88.99.0/24, deprecated by RFC 7526)', ['192.88.99.0/24'], 'IPv6 sites tunnelled over IPv4 with the site\'s IPv4 address inside the prefix (deprecated).'),
  row('gua', 'ipv6', '2000::/3', 'Global Unicast Address (GUA)', 'RFC 4291 §2.5.4, RFC 3587', 'public IPv4 addresses', [], 'Reachable on the Internet; every device can have one, so NAT is not needed.'),
  row('ula', 'ipv6', 'fc00::/7', 'Unique Local Address (ULA)', 'RFC 4193', V4_PRIVATE, V4_PRIVATE_PREFIXES, 'Private addressing inside a site or between cooperating sites; not routed on the Internet. Unlike RFC 1918, the random global ID makes collisions unlikely when networks merge.'),
  row('site-local', 'ipv6', 'fec0::/10', 'Site-local address (deprecated)', 'RFC 3879', V4_PRIVATE, V4_PRIVATE_PREFIXES, 'The first IPv6 answer to private addresses, deprecated for being ambiguous; ULAs replace it.'),
  row('link-local', 'ipv6', 'fe80::/10', 'Link-local address (LLA)', 'RFC 4291 §2.5.6', 'IPv4 link-local 169.254.0.0/16 (RFC 3927, "APIPA")', ['169.254.0.0/16'], 'Valid on one link only and never forwarded by routers; every IPv6 interface has one, and neighbour and router discovery use it.'),
  row('multicast', 'ipv6', 'ff00::/8', 'Multicast', 'RFC 4291 §2.7', 'IPv4 multicast 224.0.0.0/4; IPv6 has no broadcast, all-nodes multicast ff02::1 takes its place', ['224.0.0.0/4'], 'One-to-many delivery to the members of a group within the scope in the address.'),
  row('reserved', 'ipv6', '::/0', 'Reserved or unassigned by IANA', 'RFC 4291', 'reserved IPv4 space 240.0.0.0/4', ['240.0.0.0/4'], 'Outside every range IANA has allocated; not used on networks today.'),
  // IPv4 (RFC 6890 and the IANA IPv4 special-purpose registry)
  row('this-network', 'ipv4', '0.0.0.0/8', '"This network"', 'RFC 791, RFC 1122 §3.2.1.3', 'the IPv6 unspecified address ::', ['::/128'], 'Only as a source address while a host learns its own address; 0.0.0.0 also means "any" when binding.'),
  row('unspecified', 'ipv4', '0.0.0.0/32', 'Unspecified address', 'RFC 1122 §3.2.1.3', 'the IPv6 unspecified address ::', ['::/128'], '"This host on this network": a source address before an address is known, or "any" when binding a socket.'),
  ...V4_PRIVATE_PREFIXES.map((cidr) =>
    row('private', 'ipv4', cidr, 'Private address', 'RFC 1918', 'IPv6 Unique Local Addresses fc00::/7 (in practice fd00::/8)', ['fc00::/7'], 'Private networks; reaches the Internet only through NAT.'),
  ),
  row('shared', 'ipv4', '100.64.0.0/10', 'Shared address space (carrier-grade NAT)', 'RFC 6598', 'no IPv6 counterpart: IPv6 needs no carrier-grade NAT', [], 'Between a provider\'s carrier-grade NAT and its customers.'),
  row('loopback', 'ipv4', '127.0.0.0/8', 'Loopback', 'RFC 1122 §3.2.1.3', 'the IPv6 loopback address ::1 (a single address)', ['::1/128'], 'The host itself; never leaves the machine.'),
  row('link-local', 'ipv4', '169.254.0.0/16', 'Link-local address ("APIPA")', 'RFC 3927', 'IPv6 link-local fe80::/10, which every IPv6 interface always has', ['fe80::/10'], 'Self-assigned when no DHCP server answers; valid on one link only.'),
  row('ietf-protocol', 'ipv4', '192.0.0.0/24', 'IETF protocol assignments', 'RFC 6890', 'IPv6 IETF protocol assignments 2001::/23', ['2001::/23'], 'Reserved for IETF protocols (e.g. DS-Lite 192.0.0.0/29).'),
  ...V4_DOCUMENTATION_PREFIXES.map((cidr, i) =>
    row('documentation', 'ipv4', cidr, `Documentation (TEST-NET-${i + 1})`, 'RFC 5737', 'the IPv6 documentation prefix 2001:db8::/32 (RFC 3849)', ['2001:db8::/32'], 'For examples in books and documentation only.'),
  ),
  row('6to4-relay', 'ipv4', '192.88.99.0/24', '6to4 relay anycast (deprecated)', 'RFC 3068, RFC 7526', 'the IPv6 6to4 prefix 2002::/16', ['2002::/16'], 'Formerly the anycast address of 6to4 relays; deprecated.'),
  row('benchmarking', 'ipv4', '198.18.0.0/15', 'Benchmarking', 'RFC 2544', 'the IPv6 benchmarking prefix 2001:2::/48 (RFC 5180)', ['2001:2::/48'], 'For lab benchmarks of network devices.'),
  row('multicast', 'ipv4', '224.0.0.0/4', 'Multicast', 'RFC 5771', 'IPv6 multicast ff00::/8', ['ff00::/8'], 'One-to-many delivery to the members of a group.'),
  row('reserved', 'ipv4', '240.0.0.0/4', 'Reserved ("class E")', 'RFC 1112 §4', 'reserved or unassigned IPv6 space', [], 'Reserved for future use; most systems refuse to use it.'),
  row('broadcast', 'ipv4', '255.255.255.255/32', 'Limited broadcast', 'RFC 919, RFC 8190', 'none: IPv6 has no broadcast; the all-nodes multicast group ff02::1 takes its place', ['ff02::1/128'], 'Every host on the local link.'),
  row('public', 'ipv4', '0.0.0.0/0', 'Public (global) address', 'RFC 791', 'IPv6 Global Unicast Addresses 2000::/3', ['2000::/3'], 'Reachable on the Internet.'),
];

function row(
  type: AddressTypeId,
  family: Family,
  cidr: string,
  name: string,
  rfc: string,
  counterpart: string,
  counterpartPrefixes: string[],
  use: string,
): RangeRow {
  return { type, family, cidr, name, rfc, counterpart, counterpartPrefixes, use };
}

interface Compiled {
  row: RangeRow;
  network: Address;
  length: number;
}

let compiled: Compiled[] | undefined;

function table(): Compiled[] {
  if (!compiled) {
    compiled = ROWS.map((r) => {
      const [network, length] = ipaddr.parseCIDR(r.cidr);
      return { row: r, network, length };
    }).sort((a, b) => b.length - a.length);
  }
  return compiled;
}

/** Every row, in the order written above (for documentation and tests). */
export function rangeRows(): readonly RangeRow[] {
  return ROWS;
}

/** The most specific row containing `address` (the address as a prefix of full length). */
export function matchRange(address: Address): RangeRow {
  return matchPrefix(address, familyBits(address.kind()));
}

/** The most specific row that contains the whole prefix `network/length`. */
export function matchPrefix(network: Address, length: number): RangeRow {
  const kind = network.kind();
  for (const c of table()) {
    if (c.network.kind() === kind && c.length <= length && network.match(c.network, c.length)) return c.row;
  }
  throw new Error(`no range row matches ${network.toString()}/${length}`); // ::/0 and 0.0.0.0/0 match everything
}

/** The rows (other than the catch-all ::/0 and 0.0.0.0/0) that lie inside the prefix `network/length` and are narrower than it. */
export function rowsInside(network: Address, length: number): RangeRow[] {
  const kind = network.kind();
  const inside = new Set(table().filter((c) => c.network.kind() === kind && c.length > length && c.length > 0 && c.network.match(network, length)).map((c) => c.row));
  return ROWS.filter((r) => inside.has(r));
}
