/**
 * The modified EUI-64 interface identifier (RFC 4291 §2.5.1 and Appendix A) and the address
 * SLAAC forms from it (RFC 4862 §5.5.3): ff:fe goes into the middle of the 48-bit MAC and the
 * universal/local bit (0x02 of the first octet) is flipped; a /64 prefix plus these 64 bits
 * make the address.
 */
import { DslabError } from '../errors.js';
import { canonicalText } from './canonical.js';
import { groupsOf } from './bits.js';
import { parseAddressInput } from './input.js';
import { formatAddress, networkOf } from './prefix.js';

/** One step of forming the interface ID, and its result. */
export interface Eui64Step {
  step: string;
  result: string;
}

/** The modified EUI-64 interface ID of a MAC address, the steps that made it, its link-local address and, with a /64 prefix, its SLAAC address. */
export interface Eui64Result {
  mac: string;
  /** Interface ID as 8 colon-separated bytes. */
  eui64: string;
  /** Interface ID as the last four groups of an address. */
  interfaceId: string;
  steps: Eui64Step[];
  universal: boolean;
  linkLocal: string;
  slaac?: { prefix: string; address: string };
  notes: string[];
}

const hex2 = (b: number) => b.toString(16).padStart(2, '0');

/** Accepts aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff and aabbccddeeff (or 8-byte EUI-64s). */
export function parseMac(raw: string, field = 'mac'): number[] {
  const text = raw.trim();
  const fail = (message: string, hint: string) => new DslabError('DSLAB_E_ADDR_MAC', `"${raw}": ${message}`, { field, value: raw, hint });
  const bad = /[^0-9a-fA-F:.\-]/.exec(text);
  if (bad) throw fail(`character "${bad[0]}" is not allowed in a MAC address (hex digits with ":", "-" or ".").`, 'Write it as e.g. 02:42:ac:1e:00:0a.');
  let hex: string;
  if (/^[0-9a-f]{4}(\.[0-9a-f]{4})+$/i.test(text)) {
    hex = text.replaceAll('.', '');
  } else if (/^[0-9a-f]+$/i.test(text)) {
    hex = text;
  } else {
    const sep = /[:\-.]/.exec(text)?.[0] ?? ':';
    const parts = text.split(/[:\-.]/);
    if (parts.some((p) => p.length !== 2) || !text.split('').every((c) => /[0-9a-f]/i.test(c) || c === sep)) {
      throw fail('is not a MAC address: it must be six two-digit hex bytes with one kind of separator.', 'Write it as e.g. 02:42:ac:1e:00:0a (or with "-", or as 0242.ac1e.000a).');
    }
    hex = parts.join('');
  }
  if (hex.length !== 12 && hex.length !== 16) {
    throw fail(`has ${hex.length} hex digits; a MAC address has 12 (48 bits) and an EUI-64 has 16.`, 'Check for a missing or extra byte.');
  }
  const bytes = hex.match(/../g)!.map((b) => parseInt(b, 16));
  if ((bytes[0]! & 0x01) !== 0) {
    throw fail(
      `is a group (multicast) address: the I/G bit (0x01 of the first octet) is set. Interfaces have individual addresses, so no interface ID is formed from it.`,
      'Give the interface\'s own MAC address (see "ip link").',
    );
  }
  return bytes;
}

/** The modified EUI-64 of a MAC address (bytes): ff:fe inserted in the middle of a 6-byte MAC, then the universal/local bit (0x02 of the first byte) flipped. */
export function modifiedEui64(mac: number[]): number[] {
  const eui = mac.length === 6 ? [mac[0]!, mac[1]!, mac[2]!, 0xff, 0xfe, mac[3]!, mac[4]!, mac[5]!] : [...mac];
  eui[0] = eui[0]! ^ 0x02;
  return eui;
}

function iidGroups(eui: number[]): number[] {
  return [0, 2, 4, 6].map((i) => (eui[i]! << 8) | eui[i + 1]!);
}

/** Forms the modified EUI-64 interface ID of a MAC address step by step, its link-local address, and the SLAAC address in a /64 prefix when one is given. */
export function eui64(macText: string, prefixText?: string): Eui64Result {
  const mac = parseMac(macText);
  let prefix: { network: bigint; text: string } | undefined;
  if (prefixText !== undefined) prefix = parseSlaacPrefix(prefixText);
  const eui = modifiedEui64(mac);
  const universal = (mac[0]! & 0x02) === 0;
  const steps: Eui64Step[] = [];
  if (mac.length === 6) {
    steps.push({ step: 'split the 48-bit MAC into its 24-bit halves (OUI and device part)', result: `${mac.slice(0, 3).map(hex2).join(':')} | ${mac.slice(3).map(hex2).join(':')}` });
    steps.push({ step: 'insert ff:fe between them to make 64 bits', result: [...mac.slice(0, 3), 0xff, 0xfe, ...mac.slice(3)].map(hex2).join(':') });
  } else {
    steps.push({ step: 'the identifier is already 64 bits (an EUI-64)', result: mac.map(hex2).join(':') });
  }
  steps.push({
    step: `flip the universal/local bit (0x02 of the first octet): ${hex2(mac[0]!)} -> ${hex2(eui[0]!)}. This MAC is ${universal ? 'universal (assigned by its maker)' : 'locally administered'}; in a modified EUI-64 the bit is inverted (1 = universal) so that hand-written IDs such as ::1 need no extra bit (RFC 4291 Appendix A)`,
    result: eui.map(hex2).join(':'),
  });
  const iid = iidGroups(eui);
  const linkLocal = canonicalText([0xfe80, 0, 0, 0, ...iid]);
  const result: Eui64Result = {
    mac: mac.map(hex2).join(':'),
    eui64: eui.map(hex2).join(':'),
    interfaceId: iid.map((g) => g.toString(16)).join(':'),
    steps,
    universal,
    linkLocal,
    notes: [
      `Every interface forms its link-local address from fe80::/64 and this ID first: ${linkLocal}.`,
      'The MAC can be read back from such an address, so hosts today often use stable-privacy IDs (RFC 7217) or temporary addresses (RFC 8981) instead.',
    ],
  };
  if (prefix) {
    const top = groupsOf(prefix.network, 'ipv6').slice(0, 4);
    result.slaac = { prefix: prefix.text, address: canonicalText([...top, ...iid]) };
    steps.push({ step: `put the ID after the /64 prefix ${prefix.text}`, result: result.slaac.address });
  }
  return result;
}

/** SLAAC works only with a /64 prefix: the interface ID is 64 bits, and the two must make 128. */
function parseSlaacPrefix(text: string): { network: bigint; text: string } {
  const parsed = parseAddressInput(text, 'prefix');
  if (parsed.family !== 'ipv6') {
    throw new DslabError('DSLAB_E_ADDR_INVALID', `"${text}" is an IPv4 prefix; SLAAC and EUI-64 interface IDs are IPv6 only.`, {
      field: 'prefix',
      value: text,
      hint: 'Give an IPv6 /64 prefix, e.g. 2001:db8:1:2::/64.',
    });
  }
  if (parsed.prefixLength === undefined) {
    throw new DslabError('DSLAB_E_ADDR_PREFIX_LENGTH', `"${text}" has no prefix length; SLAAC needs a /64 prefix.`, {
      field: 'prefix',
      value: text,
      hint: `Write it as ${formatAddress(networkOf(parsed.value, 64, 'ipv6'), 'ipv6')}/64.`,
    });
  }
  if (parsed.prefixLength !== 64) {
    const n = parsed.prefixLength;
    const why =
      n < 64
        ? `a /${n} leaves ${128 - n} bits, but the interface ID fills only 64, so ${64 - n} bits would be undefined`
        : `a /${n} leaves only ${128 - n} bits, too few for the 64-bit interface ID`;
    throw new DslabError(
      'DSLAB_E_ADDR_PREFIX_LENGTH',
      `"${text}": SLAAC forms addresses only in a /64 prefix: the interface ID is 64 bits (RFC 4291 §2.5.1) and prefix plus ID must make 128 bits; ${why}. Hosts ignore Router Advertisement prefixes of other lengths for SLAAC (RFC 4862 §5.5.3).`,
      { field: 'prefix', value: text, hint: n < 64 ? `Pick one /64 inside it (see "dslab addr subnet ${text} 64").` : 'Use the /64 that contains it.' },
    );
  }
  const network = networkOf(parsed.value, 64, 'ipv6');
  return { network, text: `${formatAddress(network, 'ipv6')}/64` };
}

