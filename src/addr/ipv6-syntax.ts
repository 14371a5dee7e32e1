/**
 * Reads IPv6 text (RFC 4291 §2.2) group by group so that every kind of mistake gets its own
 * code and an explanation: a second `::`, too many or too few groups, a group over four hex
 * digits, a stray character. It returns the eight 16-bit groups and how they were written,
 * which the canonical-form explanation needs. ipaddr.js only says "not an address", and it
 * reads `::1.2.3.4` as `::ffff:1.2.3.4` (RFC 4291 §2.5.5.1 says `::0102:0304`), so the value
 * comes from here and ipaddr.js does the formatting and range checks.
 */
import ipaddr from 'ipaddr.js';
import { DslabError, type ErrorCode } from '../errors.js';
import { parseIPv4Text } from './ipv4-syntax.js';

/** How an IPv6 address was written: its eight groups, the hex groups as typed, where `::` stood and any dotted IPv4 tail. */
export interface IPv6Syntax {
  /** The eight 16-bit groups. */
  groups: number[];
  /** The hex groups as written (without the dotted IPv4 tail). */
  written: string[];
  /** Where `::` stood: index of the first group it replaced and how many groups. */
  doubleColon: { at: number; count: number } | undefined;
  /** The dotted-decimal tail, when the last 32 bits were written as IPv4. */
  ipv4Tail: string | undefined;
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** Checks `text` (no zone, no prefix) and returns its groups. `whole` is the full input for messages. */
export function parseIPv6Text(text: string, field = 'address', whole = text): IPv6Syntax {
  const fail = (code: ErrorCode, message: string, hint: string) => new DslabError(code, `"${whole}": ${message}`, { field, value: whole, hint });

  const bad = /[^0-9a-fA-F:.]/.exec(text);
  if (bad) {
    const ch = bad[0];
    const hint =
      ch === '[' || ch === ']'
        ? 'Remove the square brackets: they belong to URLs (http://[2001:db8::1]/), not to the address.'
        : /[g-zG-Z]/.test(ch)
          ? 'IPv6 groups are hexadecimal: only 0-9 and a-f (check for o/O typed for 0, or l for 1).'
          : 'Use only hex digits 0-9 a-f, colons and (for an embedded IPv4 address) dots.';
    throw fail('DSLAB_E_ADDR_BAD_CHARACTER', `character "${ch}" at position ${bad.index + 1} is not allowed in an IPv6 address.`, hint);
  }
  if (text.includes(':::')) {
    throw fail('DSLAB_E_ADDR_INVALID', 'has ":::"; the only double separator is "::", which stands for a run of zero groups.', 'Use "::" (two colons) for the zero run, or ":" between groups.');
  }
  const pieces = text.split('::');
  if (pieces.length > 2) throw doubleColonError(text, pieces, field, whole);
  if (/^:[^:]/.test(text) || text === ':') {
    throw fail('DSLAB_E_ADDR_INVALID', 'starts with a single ":"; a colon separates two groups, so it can only lead as part of "::".', `Write "::" if the address starts with zero groups, or remove the colon.`);
  }
  if (/[^:]:$/.test(text)) {
    throw fail('DSLAB_E_ADDR_INVALID', 'ends with a single ":"; a colon separates two groups, so it can only end the address as part of "::".', 'Write "::" if the address ends with zero groups, or remove the colon.');
  }

  const hasDoubleColon = pieces.length === 2;
  const left = splitGroups(pieces[0] ?? '');
  const right = hasDoubleColon ? splitGroups(pieces[1] ?? '') : [];
  const all = [...left, ...right];
  let ipv4Tail: string | undefined;
  let tailGroups: number[] = [];
  for (const [i, g] of all.entries()) {
    if (g.includes('.')) {
      if (i !== all.length - 1 || (hasDoubleColon && right.length === 0)) {
        throw fail('DSLAB_E_ADDR_IPV4', `the dotted IPv4 part "${g}" is not at the end; dotted decimal may only stand for the last 32 bits.`, 'Write the embedded IPv4 address last, e.g. ::ffff:192.0.2.1, or in hex.');
      }
      const octets = parseIPv4Text(g, field, whole);
      ipv4Tail = g;
      tailGroups = [(octets[0] << 8) | octets[1], (octets[2] << 8) | octets[3]];
    }
  }
  const hexLeft = ipv4Tail !== undefined && right.length === 0 ? left.slice(0, -1) : left;
  const hexRight = ipv4Tail !== undefined && right.length > 0 ? right.slice(0, -1) : right;
  for (const g of [...hexLeft, ...hexRight]) {
    if (g.length > 4) {
      const trimmed = g.replace(/^0+(?=.)/, '');
      const why = trimmed.length <= 4 ? ` (it has extra leading zeros: "${trimmed}" would do)` : '';
      throw fail(
        'DSLAB_E_ADDR_GROUP_TOO_LONG',
        `the group "${g}" has ${g.length} hex digits; a group is 16 bits, at most four hex digits${why}.`,
        trimmed.length <= 4 ? `Write "${trimmed}".` : 'Split it with ":" into groups of up to four digits, or check for a missing colon.',
      );
    }
    if (!HEX_GROUP.test(g)) {
      throw fail('DSLAB_E_ADDR_INVALID', `the group "${g}" is not 1-4 hex digits.`, 'Each group between colons is 1-4 hex digits.');
    }
  }

  const explicit = hexLeft.length + hexRight.length + tailGroups.length;
  if (hasDoubleColon && explicit > 7) {
    throw fail(
      'DSLAB_E_ADDR_TOO_MANY_GROUPS',
      `has ${explicit} groups besides "::"${ipv4Tail ? ' (the IPv4 part counts as two)' : ''}; "::" stands for at least one zero group, so at most seven others fit in 128 bits.`,
      'Remove "::" if all eight groups are written out, or remove the extra groups.',
    );
  }
  if (!hasDoubleColon && explicit > 8) {
    throw fail(
      'DSLAB_E_ADDR_TOO_MANY_GROUPS',
      `has ${explicit} groups${ipv4Tail ? ' (the IPv4 part counts as two)' : ''}; an IPv6 address is 128 bits, exactly eight 16-bit groups.`,
      'Remove the extra groups (check for a pasted port or a doubled group).',
    );
  }
  if (!hasDoubleColon && explicit < 8) {
    throw fail(
      'DSLAB_E_ADDR_TOO_FEW_GROUPS',
      `has ${explicit} group${explicit === 1 ? '' : 's'}${ipv4Tail ? ' (the IPv4 part counts as two)' : ''} and no "::"; an IPv6 address is eight 16-bit groups, and only "::" may leave zero groups out.`,
      'Write the missing groups, or put "::" where the zero groups are (e.g. 2001:db8::1).',
    );
  }
  const zeros = 8 - explicit;
  const groups = [
    ...hexLeft.map((g) => parseInt(g, 16)),
    ...(hasDoubleColon ? new Array<number>(zeros).fill(0) : []),
    ...hexRight.map((g) => parseInt(g, 16)),
    ...tailGroups,
  ];
  return {
    groups,
    written: [...hexLeft, ...hexRight],
    doubleColon: hasDoubleColon ? { at: hexLeft.length, count: zeros } : undefined,
    ipv4Tail,
  };
}

function splitGroups(piece: string): string[] {
  return piece === '' ? [] : piece.split(':');
}

/**
 * A second `::` makes the address ambiguous: the zero groups can be shared out between the
 * runs in several ways. The error lists the readings so the user sees why.
 */
function doubleColonError(text: string, pieces: string[], field: string, whole: string): DslabError {
  const segments = pieces.map(splitGroups);
  const readings = possibleReadings(segments);
  const count = pieces.length - 1;
  const shown = readings.slice(0, 6);
  const list = shown.length ? ` It could be read as ${shown.join(', ')}${readings.length > shown.length ? ', ...' : ''} (${readings.length} readings).` : '';
  return new DslabError(
    'DSLAB_E_ADDR_DOUBLE_COLON',
    `"${whole}": "::" appears ${count} times; it may appear only once, because each "::" hides an unknown number of zero groups and with two nobody can tell how many zeros each one stands for.${list}`,
    {
      field,
      value: whole,
      hint: shown.length
        ? `Keep "::" in one place and write the other zero groups as 0, e.g. ${readings[Math.floor(readings.length / 2)]} (if that is what you meant).`
        : 'Keep "::" in one place and write the other zero groups as 0.',
      details: { readings, text },
    },
  );
}

/** Every way of sharing the missing zero groups among the `::` runs (each at least one). */
function possibleReadings(segments: string[][]): string[] {
  if (!segments.every((s) => s.every((g) => HEX_GROUP.test(g)))) return [];
  const explicit = segments.reduce((n, s) => n + s.length, 0);
  const gaps = segments.length - 1;
  const missing = 8 - explicit;
  if (missing < gaps) return [];
  const out: string[] = [];
  const walk = (gap: number, left: number, sizes: number[]) => {
    if (gap === gaps - 1) {
      sizes.push(left);
      const groups: number[] = [];
      segments.forEach((s, i) => {
        groups.push(...s.map((g) => parseInt(g, 16)));
        if (i < gaps) groups.push(...new Array<number>(sizes[i] ?? 0).fill(0));
      });
      out.push(new ipaddr.IPv6(groups).toRFC5952String());
      sizes.pop();
      return;
    }
    for (let n = 1; n <= left - (gaps - 1 - gap); n++) {
      sizes.push(n);
      walk(gap + 1, left - n, sizes);
      sizes.pop();
    }
  };
  walk(0, missing, []);
  return out;
}
