/**
 * `dslab addr ADDRESS|PREFIX`: everything the article's IPv6 basics say about one address or
 * prefix, computed for the one the user gave: full and canonical forms with the rules applied,
 * the type with its RFC and IPv4/IPv6 counterpart, the prefix in numbers, a ULA's parts and
 * the reverse DNS name. IPv4 gets the same treatment.
 */
import { fromBigInt } from './bits.js';
import { embedIpv4, WELL_KNOWN_PREFIX } from './nat64.js';
import { type CanonicalRule, canonicalForm } from './canonical.js';
import { type AddressType, classify, fromRow } from './classify.js';
import { parseAddressInput } from './input.js';
import { formatAddress, networkOf, type PrefixInfo, prefixInfo } from './prefix.js';
import { reverseName, reverseZones, type ReverseZones } from './reverse.js';
import { type AddressTypeId, matchPrefix, rowsInside } from './special-ranges.js';
import { type UlaBreakdown, ulaBreakdown } from './ula.js';

/** The ways to write an address: full and canonical forms, the RFC 5952 rules applied, and for IPv4 its IPv4-mapped and NAT64 forms. */
export interface AddressForms {
  /** Every digit written out: eight groups of four hex digits (IPv6), or dotted decimal (IPv4). */
  full: string;
  /** RFC 5952 canonical form (IPv6), or dotted decimal (IPv4). */
  canonical: string;
  wasCanonical: boolean;
  /** RFC 5952 rules and what each changed (IPv6 only). */
  rules: CanonicalRule[];
  /** IPv4 only: the same address seen through an IPv6 socket, and behind the NAT64 prefix. */
  ipv4Mapped?: string;
  nat64?: string;
}

/** Everything `dslab addr` says about one address or prefix: forms, type, prefix numbers, ULA parts, reverse DNS name and notes. */
export interface AddressExplanation {
  input: string;
  family: 'ipv4' | 'ipv6';
  /** Canonical address, with its zone when one was given. */
  address: string;
  zone?: string;
  forms: AddressForms;
  type: AddressType;
  prefix?: PrefixInfo;
  ula?: UlaBreakdown;
  reverse: { name: string; zones?: ReverseZones };
  /** For a prefix: the narrower special ranges inside it (a prefix can span several types). */
  containsRanges?: Array<{ range: string; type: AddressTypeId; name: string }>;
  notes: string[];
}

/** Addresses of the dslab lab (the article's), so that looking one up says what it is. */
const LAB: Record<string, string> = {
  '172.30.0.10': 'the lab\'s web node (dual-ok.local and dual-badv6.local point here over IPv4)',
  '172.30.0.53': 'the lab\'s dns node',
  '172.30.0.20': 'the lab\'s client node',
  'fd00:dead:beef::10': 'the lab\'s web node (AAAA of dual-ok.local)',
  'fd00:dead:beef::53': 'the lab\'s dns node',
  'fd00:dead:beef::20': 'the lab\'s client node',
  'fd00:dead:beef::9999': 'the AAAA of dual-badv6.local: no node has it, so neighbour discovery gets no answer and an IPv6 connect fails after about 3 s with "No route to host"; clients must fall back to IPv4',
};
const LAB_NETS: Array<[string, number, string]> = [
  ['172.30.0.0', 24, 'the dslab lab\'s IPv4 network 172.30.0.0/24'],
  ['fd00:dead:beef::', 64, 'the dslab lab\'s IPv6 network fd00:dead:beef::/64'],
];

export function explainAddress(text: string): AddressExplanation {
  const parsed = parseAddressInput(text);
  const { family, value } = parsed;
  const canonical = formatAddress(value, family);
  const forms: AddressForms =
    family === 'ipv6'
      ? canonicalForm(parsed.ipv6!, textPart(parsed.input))
      : {
          full: canonical,
          canonical,
          wasCanonical: textPart(parsed.input) === canonical,
          rules: [],
          ipv4Mapped: `::ffff:${canonical}`,
          nat64: embedIpv4(WELL_KNOWN_PREFIX, canonical),
        };

  let type = classify(parsed.address);
  let prefix: PrefixInfo | undefined;
  let zones: ReverseZones | undefined;
  let contained: NonNullable<AddressExplanation['containsRanges']> = [];
  if (parsed.prefixLength !== undefined) {
    const length = parsed.prefixLength;
    const network = networkOf(value, length, family);
    prefix = prefixInfo(value, length, family);
    const row = matchPrefix(fromBigInt(network, family), length);
    if (row.type !== type.type || row.cidr !== type.range) type = fromRow(row);
    zones = reverseZones(network, length, family);
    contained = rowsInside(fromBigInt(network, family), length).map((r) => ({ range: r.cidr, type: r.type, name: r.name }));
    if (contained.length && row.cidr.endsWith('/0')) {
      // only the catch-all row holds the whole prefix: it is not "reserved" (or "public") as a whole
      type = {
        type: 'mixed',
        name: 'Several address types',
        rfc: family === 'ipv6' ? 'RFC 4291, IANA IPv6 special-purpose registry' : 'RFC 6890, IANA IPv4 special-purpose registry',
        range: `${formatAddress(network, family)}/${length}`,
        use: 'A prefix this wide spans several address types; each range inside it is listed below.',
        counterpart: 'depends on the part of the prefix (see each range inside it)',
        counterpartPrefixes: [],
      };
    }
  }

  const notes: string[] = [];
  if (contained.length) {
    const shown = contained.slice(0, 8).map((r) => `${r.range} (${r.name})`);
    notes.push(`This prefix also contains ${contained.length} special range${contained.length === 1 ? '' : 's'}: ${shown.join(', ')}${contained.length > shown.length ? ', ...' : ''}.`);
  }
  const lab = LAB[canonical];
  if (lab) notes.push(`${canonical} is ${lab}.`);
  for (const [net, len, what] of LAB_NETS) {
    const lanNet = parseAddressInput(net);
    const inside = lanNet.family === family && (parsed.prefixLength ?? Infinity) >= len && networkOf(value, len, family) === lanNet.value;
    if (inside && !lab) notes.push(`${formatAddress(value, family)}${parsed.prefixLength === undefined ? '' : '/' + parsed.prefixLength} is in ${what}.`);
  }
  if (parsed.zone !== undefined) {
    notes.push(`%${parsed.zone} is the zone index: which interface this ${type.type === 'multicast' ? 'link- or interface-scoped multicast' : 'link-local'} address is used on (RFC 4007); it is not part of the address and never goes on the wire.`);
  }

  const explanation: AddressExplanation = {
    input: parsed.input,
    family,
    address: canonical + (parsed.zone === undefined ? '' : `%${parsed.zone}`),
    forms,
    type,
    reverse: { name: reverseName(value, family), ...(zones ? { zones } : {}) },
    notes,
  };
  if (parsed.zone !== undefined) explanation.zone = parsed.zone;
  if (prefix) explanation.prefix = prefix;
  if (contained.length) explanation.containsRanges = contained;
  if (type.type === 'ula') explanation.ula = ulaBreakdown(value);
  return explanation;
}

/** The address part of the input, as written (no zone, no prefix length). */
function textPart(input: string): string {
  return input.split('/')[0]!.split('%')[0]!;
}
