/**
 * Splitting a prefix into subnets of a longer prefix length: how many there are, the first
 * few and the last, each with its size (`dslab addr subnet 2001:db8::/48 64`).
 */
import { DslabError } from '../errors.js';
import { familyBits } from './bits.js';
import { parseAddressInput } from './input.js';
import { formatAddress, networkOf, type PrefixSize, sizeOf } from './prefix.js';
import { powerOfTwo, sizeInWords } from './size-words.js';

/** A prefix split into subnets of a longer length: how many, the size of each, the first few and the last. */
export interface SubnetSplit {
  prefix: string;
  newLength: number;
  /** Number of subnets, exact, as a decimal string. */
  count: string;
  countWords: string;
  /** "2^16". */
  countPower: string;
  /** Addresses in each subnet. */
  subnetSize: PrefixSize;
  first: string[];
  last: string;
  notes: string[];
}

/** Options of `splitSubnets`. */
export interface SubnetOptions {
  /** How many subnets to list from the start (default 4). */
  show?: number;
}

/** Splits a prefix (text with its length) into subnets of the new length, listing the first `show` (default 4, at most 256) and the last. */
export function splitSubnets(prefixText: string, newLengthText: number | string, options: SubnetOptions = {}): SubnetSplit {
  const parsed = parseAddressInput(prefixText, 'prefix');
  const { family } = parsed;
  const bits = familyBits(family);
  if (parsed.prefixLength === undefined) {
    throw new DslabError('DSLAB_E_ADDR_PREFIX_LENGTH', `"${prefixText}" has no prefix length, so there is nothing to split.`, {
      field: 'prefix',
      value: prefixText,
      hint: `Write the prefix with its length, e.g. ${family === 'ipv6' ? '2001:db8::/48' : '10.0.0.0/16'}.`,
    });
  }
  const length = parsed.prefixLength;
  const text = String(newLengthText).trim().replace(/^\//, '');
  if (!/^[0-9]+$/.test(text)) {
    throw new DslabError('DSLAB_E_ADDR_PREFIX_LENGTH', `The new prefix length "${newLengthText}" is not a decimal number.`, {
      field: 'newlen',
      value: newLengthText,
      hint: `Give the length of the subnets, e.g. ${family === 'ipv6' ? 64 : 24}.`,
    });
  }
  const newLength = Number(text);
  if (newLength > bits) {
    throw new DslabError('DSLAB_E_ADDR_PREFIX_LENGTH', `The new prefix length ${newLength} is over ${bits}, the number of bits in an ${family === 'ipv6' ? 'IPv6' : 'IPv4'} address.`, {
      field: 'newlen',
      value: newLengthText,
      hint: `Use a length from ${length} to ${bits}.`,
    });
  }
  if (newLength < length) {
    throw new DslabError(
      'DSLAB_E_ADDR_SUBNET',
      `A /${length} cannot be split into /${newLength} subnets: a /${newLength} is larger than the /${length} it would be cut from (a shorter length means a bigger block).`,
      { field: 'newlen', value: newLengthText, hint: `Use a length from ${length} to ${bits}.` },
    );
  }
  const network = networkOf(parsed.value, length, family);
  const extra = newLength - length;
  const count = 1n << BigInt(extra);
  const step = 1n << BigInt(bits - newLength);
  const show = BigInt(Math.max(1, Math.min(options.show ?? 4, 256)));
  const first: string[] = [];
  for (let i = 0n; i < count && i < show; i++) first.push(`${formatAddress(network + i * step, family)}/${newLength}`);
  const last = `${formatAddress(network + (count - 1n) * step, family)}/${newLength}`;
  const prefix = `${formatAddress(network, family)}/${length}`;
  const notes: string[] = [];
  if (network !== parsed.value) notes.push(`${parsed.input} has host bits set; the prefix is ${prefix}.`);
  if (family === 'ipv6' && newLength > 64) notes.push(`Subnets longer than /64 cannot use SLAAC; hosts in them need static addresses or DHCPv6.`);
  if (family === 'ipv6' && newLength === 64) notes.push(`${extra} bits of subnet ID give ${sizeInWords(count)} /64 subnets.`);
  return {
    prefix,
    newLength,
    count: count.toString(),
    countWords: sizeInWords(count),
    countPower: powerOfTwo(extra),
    subnetSize: sizeOf(bits - newLength),
    first,
    last,
    notes,
  };
}
