/**
 * Reverse DNS names: `ip6.arpa` (RFC 3596 §2.5, one label per hex nibble, least significant
 * first) and `in-addr.arpa` (RFC 1035 §3.5, one label per octet), for an address and for the
 * zone that delegates a prefix. Zones are cut on nibble (or octet) boundaries only, so a
 * prefix between boundaries needs several zones (RFC 2317 covers the IPv4 case).
 */
import type { Family } from './bits.js';

function labels(value: bigint, family: Family): string[] {
  const out: string[] = [];
  if (family === 'ipv6') {
    for (let i = 0; i < 32; i++) out.push(((value >> BigInt(4 * i)) & 0xfn).toString(16));
  } else {
    for (let i = 0; i < 4; i++) out.push(((value >> BigInt(8 * i)) & 0xffn).toString(10));
  }
  return out;
}

function suffix(family: Family): string {
  return family === 'ipv6' ? 'ip6.arpa' : 'in-addr.arpa';
}

/** The PTR name of one address, without the trailing dot. */
export function reverseName(value: bigint, family: Family): string {
  return [...labels(value, family), suffix(family)].join('.');
}

/** The reverse DNS zones that delegate a prefix (several when it does not end on a nibble or octet boundary). */
export interface ReverseZones {
  /** The zones that together cover the prefix (one when it ends on a boundary). */
  zones: string[];
  /** How many zones there are in all (the list is capped). */
  count: number;
  aligned: boolean;
}

const MAX_ZONES = 16;

/** The reverse zone(s) covering `network/length`. */
export function reverseZones(network: bigint, length: number, family: Family): ReverseZones {
  const step = family === 'ipv6' ? 4 : 8;
  const total = family === 'ipv6' ? 128 : 32;
  const cut = Math.ceil(length / step) * step;
  const count = 2 ** (cut - length);
  const kept = cut / step;
  const zones: string[] = [];
  for (let i = 0; i < Math.min(count, MAX_ZONES); i++) {
    const value = network + (BigInt(i) << BigInt(total - cut));
    const all = labels(value, family);
    zones.push([...all.slice(all.length - kept), suffix(family)].join('.'));
  }
  return { zones, count, aligned: count === 1 };
}
