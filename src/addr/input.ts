/**
 * Reads what the user typed after `dslab addr`: an IPv4 or IPv6 address, optionally with a
 * zone index (`%eth0`) and a prefix length (`/64`, or an IPv4 netmask), and rejects each kind
 * of mistake with its own code, naming the input and saying how to fix it.
 */
import ipaddr from 'ipaddr.js';
import { DslabError } from '../errors.js';
import { type Address, type Family, familyBits, toBigInt } from './bits.js';
import { parseIPv4Text } from './ipv4-syntax.js';
import { type IPv6Syntax, parseIPv6Text } from './ipv6-syntax.js';

/** An address as the user typed it, parsed: family, address and its numeric value, prefix length, zone and IPv6 spelling. */
export interface ParsedAddress {
  /** The text as given. */
  input: string;
  family: Family;
  /** The address (without zone), as an ipaddr.js object. */
  address: Address;
  value: bigint;
  /** The prefix length after `/`, when one was given. */
  prefixLength: number | undefined;
  zone: string | undefined;
  /** How an IPv6 address was written (for the canonical-form explanation). */
  ipv6: IPv6Syntax | undefined;
}

/**
 * Parses an IPv4 or IPv6 address with an optional zone (`%eth0`) and prefix length (`/64`, or
 * an IPv4 netmask); throws a DslabError with its own code for each kind of mistake.
 */
export function parseAddressInput(raw: string, field = 'address'): ParsedAddress {
  const input = raw.trim();
  if (input === '') {
    throw new DslabError('DSLAB_E_ADDR_INVALID', `The ${field} is empty.`, {
      field,
      value: raw,
      hint: 'Give an IPv4 or IPv6 address or prefix, e.g. 2001:db8::1, fd00:dead:beef::/64 or 172.30.0.10.',
    });
  }
  const slashes = input.split('/').length - 1;
  if (slashes > 1) {
    throw new DslabError('DSLAB_E_ADDR_INVALID', `"${input}" has ${slashes} "/"; a prefix is written address/length with a single "/".`, {
      field,
      value: input,
      hint: 'Write it as e.g. 2001:db8::/32.',
    });
  }
  const [addressAndZone = '', lengthText] = input.split('/');
  const percent = addressAndZone.indexOf('%');
  const text = percent < 0 ? addressAndZone : addressAndZone.slice(0, percent);
  const zone = percent < 0 ? undefined : addressAndZone.slice(percent + 1);

  let family: Family;
  let address: Address;
  let ipv6: IPv6Syntax | undefined;
  if (text.includes(':')) {
    family = 'ipv6';
    ipv6 = parseIPv6Text(text, field, input);
    address = new ipaddr.IPv6(ipv6.groups);
  } else if (text.includes('.')) {
    family = 'ipv4';
    address = new ipaddr.IPv4(parseIPv4Text(text, field, input));
  } else {
    throw new DslabError(
      'DSLAB_E_ADDR_INVALID',
      `"${input}" is neither an IPv4 address (four numbers with dots, 192.0.2.1) nor an IPv6 address (hex groups with colons, 2001:db8::1).`,
      { field, value: input, hint: 'Check the address; an IPv6 address always has at least two colons.' },
    );
  }
  const late = lengthText === undefined ? -1 : lengthText.indexOf('%');
  if (late >= 0 && zone === undefined) {
    // RFC 4007 §11.7 writes the zone before the prefix length (fe80::1%eth0/64); a zone after
    // it is first checked like any zone, so a non-link-local address gets that message
    const lateZone = lengthText!.slice(late + 1);
    checkZone(lateZone, address, family, field, input);
    throw new DslabError('DSLAB_E_ADDR_ZONE', `"${input}": the zone index "%${lateZone}" comes after the prefix length; it belongs to the address, so it is written before the "/" (RFC 4007 §11.7).`, {
      field,
      value: input,
      hint: `Write it as ${text}%${lateZone}/${lengthText!.slice(0, late)}.`,
    });
  }
  const prefixLength = lengthText === undefined ? undefined : parsePrefixLength(lengthText, family, field, input);
  if (zone !== undefined) checkZone(zone, address, family, field, input);
  return { input, family, address, value: toBigInt(address), prefixLength, zone, ipv6 };
}

function parsePrefixLength(text: string, family: Family, field: string, input: string): number {
  const bits = familyBits(family);
  if (text === '') {
    throw new DslabError('DSLAB_E_ADDR_PREFIX_LENGTH', `"${input}" has nothing after "/"; a prefix length is a number 0-${bits}.`, {
      field,
      value: input,
      hint: `Add the length (e.g. /${family === 'ipv6' ? 64 : 24}) or remove the "/".`,
    });
  }
  if (family === 'ipv4' && text.includes('.')) {
    let mask: ipaddr.IPv4;
    try {
      mask = new ipaddr.IPv4(parseIPv4Text(text, field, input));
    } catch (cause) {
      throw new DslabError('DSLAB_E_ADDR_PREFIX_LENGTH', `"${input}": the netmask "${text}" is not a valid dotted-decimal netmask.`, {
        field,
        value: input,
        hint: 'Use a length (/24) or a netmask such as 255.255.255.0.',
        cause,
      });
    }
    const length = mask.prefixLengthFromSubnetMask();
    if (length === null) {
      throw new DslabError('DSLAB_E_ADDR_PREFIX_LENGTH', `"${input}": the netmask "${text}" is not contiguous (its one bits must all come before its zero bits).`, {
        field,
        value: input,
        hint: 'Use a netmask such as 255.255.255.0 (/24) or 255.255.0.0 (/16).',
      });
    }
    return length;
  }
  if (!/^[0-9]+$/.test(text)) {
    throw new DslabError('DSLAB_E_ADDR_PREFIX_LENGTH', `"${input}": the prefix length "${text}" is not a decimal number 0-${bits}.`, {
      field,
      value: input,
      hint: `Write the number of network bits, e.g. /${family === 'ipv6' ? 64 : 24}.`,
    });
  }
  const length = Number(text);
  if (length > bits) {
    throw new DslabError(
      'DSLAB_E_ADDR_PREFIX_LENGTH',
      `"${input}": the prefix length ${text} is over ${bits}; an ${family === 'ipv6' ? 'IPv6' : 'IPv4'} address has only ${bits} bits to split into network and host.`,
      { field, value: input, hint: `Use a length from 0 to ${bits}${family === 'ipv6' ? ' (subnets are usually /64)' : ''}.` },
    );
  }
  return length;
}

/**
 * A zone index (RFC 4007) says which interface a non-global address belongs to. Link-local
 * unicast and interface- or link-scoped multicast need one; any other address is unique
 * without it, so a zone there is a mistake.
 */
function checkZone(zone: string, address: Address, family: Family, field: string, input: string): void {
  const fail = (message: string, hint: string) => new DslabError('DSLAB_E_ADDR_ZONE', `"${input}": ${message}`, { field, value: input, hint });
  if (family === 'ipv4') {
    throw fail(`IPv4 addresses take no zone index ("%${zone}").`, `Remove "%${zone}".`);
  }
  if (zone === '') throw fail('the zone index after "%" is empty.', 'Name the interface, e.g. fe80::1%eth0, or remove the "%".');
  if (/[\s%/\\]/.test(zone)) throw fail(`the zone index "${zone}" contains a space, "%", "/" or "\\".`, 'Use an interface name or number, e.g. %eth0 or %2.');
  const v6 = address as ipaddr.IPv6;
  const scope = v6.parts[0]! >> 8 === 0xff ? v6.parts[0]! & 0xf : undefined;
  const linkLocal = v6.range() === 'linkLocal';
  if (linkLocal || scope === 1 || scope === 2) return;
  throw fail(
    `a zone index ("%${zone}") belongs only on a link-local address (fe80::/10, or interface/link-scoped multicast such as ff02::1): the same fe80:: address can exist on every link, so the zone says which one. This address is not link-local and is unique without it.`,
    `Remove "%${zone}".`,
  );
}
