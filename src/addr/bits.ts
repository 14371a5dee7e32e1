/**
 * Addresses as numbers: converts ipaddr.js addresses to and from BigInt so that prefix
 * sizes, masks and subnets are plain 128-bit (or 32-bit) arithmetic for both families.
 */
import ipaddr from 'ipaddr.js';

/** An address family as the address tools name it: `ipv4` or `ipv6`. */
export type Family = 'ipv4' | 'ipv6';
/** An ipaddr.js address object, IPv4 or IPv6. */
export type Address = ipaddr.IPv4 | ipaddr.IPv6;

export function familyBits(family: Family): 32 | 128 {
  return family === 'ipv4' ? 32 : 128;
}

export function toBigInt(address: Address): bigint {
  let n = 0n;
  for (const byte of address.toByteArray()) n = (n << 8n) | BigInt(byte);
  return n;
}

export function fromBigInt(value: bigint, family: Family): Address {
  const length = family === 'ipv4' ? 4 : 16;
  const bytes: number[] = new Array<number>(length);
  let n = value;
  for (let i = length - 1; i >= 0; i--) {
    bytes[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return ipaddr.fromByteArray(bytes);
}

/** The mask with the top `length` bits set. */
export function maskOf(length: number, family: Family): bigint {
  const bits = BigInt(familyBits(family));
  const all = (1n << bits) - 1n;
  return (all << (bits - BigInt(length))) & all;
}

/** The 16-bit groups of an IPv6 address (or the two of an IPv4 address). */
export function groupsOf(value: bigint, family: Family): number[] {
  const count = family === 'ipv4' ? 2 : 8;
  const out: number[] = [];
  for (let i = count - 1; i >= 0; i--) out.push(Number((value >> BigInt(16 * i)) & 0xffffn));
  return out;
}

export function hex4(group: number): string {
  return group.toString(16).padStart(4, '0');
}

/** `bits` bits of `value` starting `from` bits below the top of a 128-bit address. */
export function bitField(value: bigint, from: number, bits: number, total = 128): bigint {
  return (value >> BigInt(total - from - bits)) & ((1n << BigInt(bits)) - 1n);
}
