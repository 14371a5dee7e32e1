/**
 * What kind of address this is: the matching range row (type, RFC, counterpart), and for
 * the types that carry more inside them, what is inside: a multicast address's scope and
 * group, the IPv4 address embedded in mapped, NAT64, 6to4 and Teredo addresses, and the MAC
 * address hidden in a modified EUI-64 interface identifier.
 */
import ipaddr from 'ipaddr.js';
import { type Address, bitField, fromBigInt, groupsOf, hex4, toBigInt } from './bits.js';
import { type AddressTypeId, matchRange, type RangeRow } from './special-ranges.js';

/** An IPv4 address carried inside an IPv6 address (mapped, NAT64, 6to4, Teredo, ...), and what it is there. */
export interface EmbeddedIPv4 {
  address: string;
  /** What this IPv4 address is in the IPv6 address. */
  role: string;
}

/** What a multicast address says: its scope, flag bits, well-known group and IPv4 counterpart. */
export interface MulticastInfo {
  scope: number;
  scopeName: string;
  /** Flag bits of RFC 3956 / RFC 3306: R (rendezvous point), P (prefix-based), T (transient). */
  flags: { rendezvous: boolean; prefixBased: boolean; transient: boolean };
  /** A well-known group, when it is one. */
  group: string | undefined;
  ipv4Counterpart: string;
}

/** The type of an address from its special-range row (name, RFC, range, use, counterpart), plus multicast details, embedded IPv4 addresses and an EUI-64 MAC when present. */
export interface AddressType {
  type: AddressTypeId;
  name: string;
  rfc: string;
  range: string;
  use: string;
  counterpart: string;
  counterpartPrefixes: string[];
  multicast?: MulticastInfo;
  embeddedIpv4?: EmbeddedIPv4[];
  /** A MAC address recovered from a modified EUI-64 interface identifier (xx:xxff:fexx:xxxx). */
  eui64Mac?: string;
}

/** The type of an address: its matching special-range row, and for IPv6 the multicast details, embedded IPv4 addresses and the MAC of a modified EUI-64 interface identifier. */
export function classify(address: Address): AddressType {
  const row = matchRange(address);
  const out = fromRow(row);
  if (address.kind() === 'ipv4') return out;
  const value = toBigInt(address);
  if (row.type === 'multicast') out.multicast = multicastInfo(value);
  const embedded = embeddedIPv4(row.type, value);
  if (embedded.length) out.embeddedIpv4 = embedded;
  const mac = macFromInterfaceId(value);
  if (mac && unicastWithInterfaceId(row.type)) out.eui64Mac = mac;
  return out;
}

export function fromRow(row: RangeRow): AddressType {
  return {
    type: row.type,
    name: row.name,
    rfc: row.rfc,
    range: row.cidr,
    use: row.use,
    counterpart: row.counterpart,
    counterpartPrefixes: [...row.counterpartPrefixes],
  };
}

function unicastWithInterfaceId(type: AddressTypeId): boolean {
  return ['gua', 'ula', 'link-local', 'site-local', 'documentation', 'reserved', 'benchmarking'].includes(type);
}

function v4(value: bigint): string {
  return fromBigInt(value & 0xffffffffn, 'ipv4').toString();
}

function embeddedIPv4(type: AddressTypeId, value: bigint): EmbeddedIPv4[] {
  switch (type) {
    case 'ipv4-mapped':
      return [{ address: v4(value), role: 'the IPv4 address this socket address stands for' }];
    case 'ipv4-translated':
      return [{ address: v4(value), role: 'the IPv4 address of the translated host' }];
    case 'nat64':
    case 'nat64-local':
      return [{ address: v4(value), role: 'the IPv4 server the NAT64 gateway translates to (last 32 bits, RFC 6052 §2.2)' }];
    case '6to4':
      return [{ address: v4(bitField(value, 16, 32)), role: 'the public IPv4 address of the 6to4 site (bits 16-47)' }];
    case 'teredo': {
      const port = Number(bitField(value, 80, 16)) ^ 0xffff;
      return [
        { address: v4(bitField(value, 32, 32)), role: 'the Teredo server (bits 32-63)' },
        { address: v4(~value & 0xffffffffn), role: `the client's public IPv4 address behind NAT (last 32 bits, inverted); its UDP port is ${port}` },
      ];
    }
    default:
      return [];
  }
}

/** Modified EUI-64 (RFC 4291 Appendix A): bytes 8-15 are xx xx xx ff fe xx xx xx with the U/L bit flipped. */
function macFromInterfaceId(value: bigint): string | undefined {
  const iid = value & 0xffffffffffffffffn;
  if (((iid >> 24n) & 0xffffn) !== 0xfffen) return undefined;
  const bytes = [];
  for (let i = 7; i >= 0; i--) bytes.push(Number((iid >> BigInt(8 * i)) & 0xffn));
  const first = (bytes[0] ?? 0) ^ 0x02;
  const mac = [first, bytes[1], bytes[2], bytes[5], bytes[6], bytes[7]];
  return mac.map((b) => (b ?? 0).toString(16).padStart(2, '0')).join(':');
}

const SCOPES: Record<number, string> = {
  0x1: 'interface-local',
  0x2: 'link-local',
  0x3: 'realm-local',
  0x4: 'admin-local',
  0x5: 'site-local',
  0x8: 'organization-local',
  0xe: 'global',
};

const SCOPE_V4: Record<number, string> = {
  0x1: 'none (IPv4 has no interface-local scope; 127.0.0.0/8 loopback comes closest)',
  0x2: 'the IPv4 local network control block 224.0.0.0/24 (never forwarded)',
  0x4: 'IPv4 administratively scoped multicast 239.0.0.0/8 (RFC 2365)',
  0x5: 'the IPv4 Local Scope 239.255.0.0/16 (RFC 2365), the closest IPv4 match to site-local',
  0x8: 'IPv4 organization-local scope 239.192.0.0/14 (RFC 2365)',
  0xe: 'IPv4 globally scoped multicast 224.0.1.0-238.255.255.255',
};

const GROUPS: Record<string, string> = {
  'ff01::1': 'all nodes on this interface',
  'ff01::2': 'all routers on this interface',
  'ff02::1': 'all nodes on the link (does what IPv4 broadcast and 224.0.0.1 did)',
  'ff02::2': 'all routers on the link (224.0.0.2 in IPv4); hosts send Router Solicitations here',
  'ff02::5': 'OSPFv3 routers',
  'ff02::6': 'OSPFv3 designated routers',
  'ff02::9': 'RIPng routers',
  'ff02::a': 'EIGRP routers',
  'ff02::d': 'PIM routers',
  'ff02::16': 'MLDv2-capable routers',
  'ff02::fb': 'mDNS (224.0.0.251 in IPv4)',
  'ff02::1:2': 'all DHCPv6 relay agents and servers on the link',
  'ff05::1:3': 'all DHCPv6 servers in the site',
  'ff05::2': 'all routers in the site',
};

function multicastInfo(value: bigint): MulticastInfo {
  const groups = groupsOf(value, 'ipv6');
  const first = groups[0] ?? 0;
  const scope = first & 0xf;
  const flags = (first >> 4) & 0xf;
  const key = new ipaddr.IPv6(groups).toRFC5952String();
  let group = GROUPS[key];
  if (!group && (value >> 24n) === 0xff0200000000000000000001ffn) {
    // ff02::1:ff00:0/104 (RFC 4291 §2.7.1): one group per last-24-bits, replacing ARP broadcasts
    const low = (groups[6] ?? 0) & 0xff;
    group = `solicited-node group of the addresses ending in ${low.toString(16).padStart(2, '0')}:${hex4(groups[7] ?? 0)}; Neighbor Solicitations (IPv6's ARP) go here instead of a broadcast`;
  }
  return {
    scope,
    scopeName: SCOPES[scope] ?? (scope === 0 || scope === 0xf ? 'reserved' : 'unassigned'),
    flags: { rendezvous: (flags & 0x4) !== 0, prefixBased: (flags & 0x2) !== 0, transient: (flags & 0x1) !== 0 },
    group,
    ipv4Counterpart: SCOPE_V4[scope] ?? 'no IPv4 counterpart for this scope',
  };
}
