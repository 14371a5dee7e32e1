/**
 * IPv4-embedded IPv6 addresses (RFC 6052 §2.2), pure: the IPv4 address goes into the NAT64
 * prefix at a place fixed by the prefix length (32, 40, 48, 56, 64 or 96), skipping bits
 * 64-71 (the "u" octet, always zero); the rest is the suffix, zero. DNS64 synthesises AAAA
 * records with it, the translator (Tayga) uses the same mapping, and the NAT64 checks read
 * the IPv4 address back out of a synthesised answer.
 */
import ipaddr from 'ipaddr.js';

/** The Well-Known Prefix (RFC 6052 §2.1). */
export const WELL_KNOWN_PREFIX = '64:ff9b::/96';

/** The prefix lengths RFC 6052 §2.2 allows. */
export const NAT64_PREFIX_LENGTHS = [32, 40, 48, 56, 64, 96] as const;

/** The name clients ask to discover the NAT64 prefix (RFC 7050), and its two A records (RFC 7050 §2.2, RFC 8880). */
export const IPV4ONLY_ARPA = 'ipv4only.arpa';
export const IPV4ONLY_ADDRESSES = ['192.0.0.170', '192.0.0.171'] as const;

/** The 16 bytes of `ipv4` embedded in `prefix` (a CIDR of an allowed length) per RFC 6052 §2.2. */
export function embedIpv4(prefix: string, ipv4: string): string {
  const [net, length] = ipaddr.IPv6.parseCIDR(prefix);
  const bytes = net.toByteArray();
  const v4 = ipaddr.IPv4.parse(ipv4).toByteArray();
  const at = positions(length);
  for (let i = 0; i < 4; i++) bytes[at[i]!] = v4[i]!;
  for (let i = length / 8; i < 16; i++) if (!at.includes(i)) bytes[i] = 0;
  return ipaddr.fromByteArray(bytes).toString();
}

/** The IPv4 address embedded in `ipv6` under `prefix`, or undefined when `ipv6` is not inside it. */
export function extractIpv4(prefix: string, ipv6: string): string | undefined {
  const [net, length] = ipaddr.IPv6.parseCIDR(prefix);
  const addr = ipaddr.IPv6.parse(ipv6);
  if (!addr.match(net, length)) return undefined;
  const bytes = addr.toByteArray();
  return positions(length).map((i) => bytes[i]).join('.');
}

/** Which bytes of the IPv6 address hold the four IPv4 bytes, for each prefix length (byte 8 is the u octet). */
function positions(length: number): number[] {
  const start = length / 8;
  const out: number[] = [];
  for (let i = start; out.length < 4; i++) if (i !== 8) out.push(i);
  return out;
}

/** Whether an IPv4 address is global unicast (what RFC 6052 §3.1 allows behind the Well-Known Prefix). */
export function isGlobalIpv4(ipv4: string): boolean {
  return ipaddr.IPv4.parse(ipv4).range() === 'unicast';
}
