/**
 * Address helpers shared by the web server and the probe: plain-address validation and the
 * IPv4-mapped-to-IPv4 normalisation that tells a visitor's family honestly.
 */
import ipaddr from 'ipaddr.js';

export type FamilyName = 'IPv4' | 'IPv6';

/** A plain IPv4 (four decimal parts) or IPv6 address, no zone, no brackets, no prefix. */
export function isPlainAddress(text: string): boolean {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return true;
  return !text.includes('%') && ipaddr.IPv6.isValid(text);
}

/** Canonical text of a plain address (RFC 5952 for IPv6). */
export function canonicalAddress(text: string): string {
  return ipaddr.parse(text).toString();
}

/**
 * The address and family a peer really used: `::ffff:172.30.0.20` (what a dual-stack
 * socket reports for an IPv4 peer) becomes `172.30.0.20`, IPv4. A zone (`%eth0`) is kept.
 */
export function visitorAddress(raw: string | undefined): { address: string; family: FamilyName } {
  const text = raw ?? '';
  const cut = text.indexOf('%');
  const bare = cut < 0 ? text : text.slice(0, cut);
  const zone = cut < 0 ? '' : text.slice(cut);
  if (!ipaddr.isValid(bare)) return { address: text, family: text.includes(':') ? 'IPv6' : 'IPv4' };
  const addr = ipaddr.process(bare);
  return addr.kind() === 'ipv4' ? { address: addr.toString(), family: 'IPv4' } : { address: addr.toString() + zone, family: 'IPv6' };
}

/** `host:port` with brackets around IPv6, as in URLs and logs. */
export function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}
