/**
 * IPv6/IPv4 address explanations, the library side of `dslab addr`: parse with a clear error
 * for each mistake, canonical forms, types, prefixes, ULAs, EUI-64/SLAAC and subnets.
 */
export { explainAddress } from './explain.js';
export type { AddressExplanation, AddressForms } from './explain.js';
export { parseAddressInput } from './input.js';
export type { ParsedAddress } from './input.js';
export { canonicalText, fullText, canonicalForm } from './canonical.js';
export type { CanonicalForm, CanonicalRule } from './canonical.js';
export { classify } from './classify.js';
export type { AddressType, MulticastInfo, EmbeddedIPv4 } from './classify.js';
export { rangeRows } from './special-ranges.js';
export type { AddressTypeId, RangeRow } from './special-ranges.js';
export { prefixInfo } from './prefix.js';
export type { PrefixInfo, PrefixSize } from './prefix.js';
export { reverseName, reverseZones } from './reverse.js';
export type { ReverseZones } from './reverse.js';
export { ulaBreakdown, generateUla, ntpTimestamp } from './ula.js';
export type { UlaBreakdown, UlaOptions, GeneratedUla } from './ula.js';
export { eui64, parseMac, modifiedEui64 } from './eui64.js';
export type { Eui64Result, Eui64Step } from './eui64.js';
export { splitSubnets } from './subnet.js';
export type { SubnetSplit, SubnetOptions } from './subnet.js';
export { sizeInWords } from './size-words.js';
