/**
 * A prefix in numbers: network, first and last address, size as 2^n and in words, and what
 * its length usually means (/64 subnet, /48 site, ...). IPv4 also gets netmask, broadcast
 * and usable hosts; IPv6 has no broadcast, which the notes say.
 */
import { type Family, familyBits, fromBigInt, groupsOf, maskOf } from './bits.js';
import { canonicalText } from './canonical.js';
import { powerOfTwo, sizeInWords, withThousands } from './size-words.js';

/** How many addresses a prefix holds: as a power of two, exactly, and in words. */
export interface PrefixSize {
  /** "2^64". */
  power: string;
  /** "18446744073709551616" (a string: JSON has no BigInt). */
  exact: string;
  /** "18,446,744,073,709,551,616 (about 18.4 quintillion)". */
  words: string;
}

/** A prefix in numbers: network, first and last address, host bits and size, for IPv4 also netmask, broadcast and usable hosts, and notes on what its length means. */
export interface PrefixInfo {
  prefix: string;
  length: number;
  network: string;
  first: string;
  last: string;
  /** Bits left for hosts (interface ID in IPv6). */
  hostBits: number;
  size: PrefixSize;
  /** True when the address given had host bits set (an interface address, not the network). */
  hostBitsSet: boolean;
  /** IPv4 only. */
  netmask?: string;
  broadcast?: string;
  usableHosts?: { first: string; last: string; count: string };
  notes: string[];
}

export function formatAddress(value: bigint, family: Family): string {
  return family === 'ipv6' ? canonicalText(groupsOf(value, 'ipv6')) : fromBigInt(value, 'ipv4').toString();
}

export function sizeOf(hostBits: number): PrefixSize {
  const n = 1n << BigInt(hostBits);
  return { power: powerOfTwo(hostBits), exact: n.toString(), words: sizeInWords(n) };
}

export function networkOf(value: bigint, length: number, family: Family): bigint {
  return value & maskOf(length, family);
}

/** Describes the prefix of the given length that contains `value` (an address as a number) in the given family. */
export function prefixInfo(value: bigint, length: number, family: Family): PrefixInfo {
  const bits = familyBits(family);
  const mask = maskOf(length, family);
  const network = value & mask;
  const last = network | (((1n << BigInt(bits)) - 1n) ^ mask);
  const hostBits = bits - length;
  const info: PrefixInfo = {
    prefix: `${formatAddress(network, family)}/${length}`,
    length,
    network: formatAddress(network, family),
    first: formatAddress(network, family),
    last: formatAddress(last, family),
    hostBits,
    size: sizeOf(hostBits),
    hostBitsSet: network !== value,
    notes: [],
  };
  if (info.hostBitsSet) {
    info.notes.push(`${formatAddress(value, family)}/${length} has host bits set: it is an address inside ${info.prefix}, as written on an interface.`);
  }
  if (family === 'ipv4') {
    info.netmask = formatAddress(mask, 'ipv4');
    if (length <= 30) {
      info.broadcast = info.last;
      info.usableHosts = {
        first: formatAddress(network + 1n, 'ipv4'),
        last: formatAddress(last - 1n, 'ipv4'),
        count: withThousands((1n << BigInt(hostBits)) - 2n),
      };
      info.notes.push(`The first address (${info.network}) names the network and the last (${info.last}) is its broadcast address, so ${info.usableHosts.count} addresses are left for hosts.`);
    } else if (length === 31) {
      info.usableHosts = { first: info.first, last: info.last, count: '2' };
      info.notes.push('A /31 has no network or broadcast address: both addresses are usable on a point-to-point link (RFC 3021).');
    } else {
      info.usableHosts = { first: info.first, last: info.last, count: '1' };
      info.notes.push('A /32 is a single host.');
    }
    return info;
  }
  info.notes.push(...ipv6LengthNotes(length));
  return info;
}

function ipv6LengthNotes(length: number): string[] {
  const notes: string[] = [];
  if (length === 64) {
    notes.push('/64 is the standard IPv6 subnet: 64 bits of network and 64 bits of interface ID, the size SLAAC needs to form addresses (RFC 4291 §2.5.1, RFC 4862).');
  } else if (length === 48) {
    notes.push('/48 is a typical site prefix (and the size of a ULA prefix): 65,536 /64 subnets.');
  } else if (length === 56) {
    notes.push('/56 is a common delegation to a home or small site: 256 /64 subnets.');
  } else if (length === 128) {
    notes.push('/128 is a single address.');
  } else if (length > 64 && length < 127) {
    notes.push(`A /${length} is longer than /64: SLAAC cannot form addresses in it, so addresses must be set by hand or by DHCPv6.`);
  } else if (length === 127) {
    notes.push('/127 is used on point-to-point links between routers (RFC 6164).');
  }
  if (length < 128) {
    notes.push('IPv6 has no broadcast address: the last address is an ordinary one. The first (all-zero interface ID) is the subnet-router anycast address (RFC 4291 §2.6.1).');
  }
  return notes;
}
