/**
 * Address arithmetic for the lab file, on ipaddr.js values (one type for both families,
 * never string surgery): strict parsing, canonical text, subnets, membership, overlap.
 */
import ipaddr from 'ipaddr.js';
import type { Family, Subnet } from './topology.js';

export type Ip = ipaddr.IPv4 | ipaddr.IPv6;

/** Why a string is not a plain address, or the parsed address. */
export type ParsedAddress = { ok: true; ip: Ip; family: Family } | { ok: false; reason: string };

/**
 * Parses a plain address (no prefix, no zone). IPv4 must be four decimal parts without
 * leading zeros: ipaddr.js would otherwise read `010` as octal and `10.1` as `10.0.0.1`.
 */
export function parseAddress(text: string): ParsedAddress {
  const s = text.trim();
  if (s.includes('/')) return { ok: false, reason: 'it has a prefix length; write the address alone' };
  if (s.includes('%')) return { ok: false, reason: 'it has a zone index (%...); lab addresses are global' };
  if (s.includes(':')) {
    if (!ipaddr.IPv6.isValid(s)) return { ok: false, reason: 'it is not a valid IPv6 address' };
    return { ok: true, ip: ipaddr.IPv6.parse(s), family: 6 };
  }
  if (!ipaddr.IPv4.isValidFourPartDecimal(s)) {
    return { ok: false, reason: 'it is not a valid IPv4 address (four decimal numbers 0-255, no leading zeros)' };
  }
  return { ok: true, ip: ipaddr.IPv4.parse(s), family: 4 };
}

export function familyOf(ip: Ip): Family {
  return ip.kind() === 'ipv4' ? 4 : 6;
}

/** Canonical text: dotted decimal, or RFC 5952 lower case for IPv6. */
export function canonical(ip: Ip): string {
  return ip.kind() === 'ipv6' ? (ip as ipaddr.IPv6).toRFC5952String() : ip.toString();
}

export interface ParsedSubnet {
  ip: Ip;
  prefixLength: number;
  family: Family;
}

export type SubnetResult = { ok: true; subnet: ParsedSubnet } | { ok: false; reason: string };

export function parseSubnet(text: string): SubnetResult {
  const s = text.trim();
  const slash = s.indexOf('/');
  if (slash < 0) return { ok: false, reason: 'it has no prefix length (write it as ADDRESS/PREFIX)' };
  const addr = parseAddress(s.slice(0, slash));
  if (!addr.ok) return { ok: false, reason: addr.reason.replace('it is', 'its address is') };
  const lenText = s.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(lenText)) return { ok: false, reason: 'its prefix length is not a number' };
  const prefixLength = Number(lenText);
  const max = addr.family === 4 ? 32 : 128;
  if (prefixLength > max) return { ok: false, reason: `its prefix length is above ${max}` };
  return { ok: true, subnet: { ip: addr.ip, prefixLength, family: addr.family } };
}

/** The network address of `ip/prefixLength` (host bits cleared). */
export function networkAddress(ip: Ip, prefixLength: number): Ip {
  const bytes = ip.toByteArray();
  for (let bit = prefixLength; bit < bytes.length * 8; bit++) {
    const i = bit >> 3;
    bytes[i] = (bytes[i] ?? 0) & ~(0x80 >> (bit & 7));
  }
  return ipaddr.fromByteArray(bytes);
}

/** The last address of the subnet (the IPv4 broadcast address). */
export function lastAddress(ip: Ip, prefixLength: number): Ip {
  const bytes = ip.toByteArray();
  for (let bit = prefixLength; bit < bytes.length * 8; bit++) {
    const i = bit >> 3;
    bytes[i] = (bytes[i] ?? 0) | (0x80 >> (bit & 7));
  }
  return ipaddr.fromByteArray(bytes);
}

/** `network + n` (n small and non-negative), used for the gateway (`.1`, `::1`). */
export function offsetAddress(ip: Ip, n: number): Ip {
  const bytes = ip.toByteArray();
  let carry = n;
  for (let i = bytes.length - 1; i >= 0 && carry > 0; i--) {
    const sum = (bytes[i] ?? 0) + carry;
    bytes[i] = sum & 0xff;
    carry = sum >> 8;
  }
  return ipaddr.fromByteArray(bytes);
}

export function toSubnet(p: ParsedSubnet): Subnet {
  const net = networkAddress(p.ip, p.prefixLength);
  const address = canonical(net);
  return { cidr: `${address}/${p.prefixLength}`, address, prefixLength: p.prefixLength, family: p.family };
}

export function subnetIp(s: Subnet): Ip {
  return ipaddr.parse(s.address);
}

export function contains(subnet: Subnet, ip: Ip): boolean {
  if (familyOf(ip) !== subnet.family) return false;
  return ip.match(subnetIp(subnet) as never, subnet.prefixLength);
}

/** Two subnets of one family overlap when either contains the other's network address. */
export function overlaps(a: Subnet, b: Subnet): boolean {
  if (a.family !== b.family) return false;
  return contains(a, subnetIp(b)) || contains(b, subnetIp(a));
}

/** ipaddr.js's name for the special range an address is in (`private`, `uniqueLocal`, `unicast`, ...). */
export function rangeOf(ip: Ip): string {
  return ip.range();
}
