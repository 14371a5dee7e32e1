/**
 * Strict IPv4 text: four decimal numbers 0-255 joined by dots. Each mistake gets its own
 * message, because the lenient forms other tools accept (`127.1`, `010.0.0.1` read as
 * octal, `0x7f.0.0.1`) silently mean something other than what most people wrote.
 */
import { DslabError } from '../errors.js';

/** Checks `text` and returns its four octets. `field` names the input in errors. */
export function parseIPv4Text(text: string, field = 'address', whole = text): [number, number, number, number] {
  const parts = text.split('.');
  if (parts.length !== 4) {
    throw new DslabError(
      'DSLAB_E_ADDR_IPV4',
      `"${whole}": the IPv4 address "${text}" has ${parts.length} dot-separated part${parts.length === 1 ? '' : 's'}; an IPv4 address has exactly four (a.b.c.d, 32 bits as four 8-bit numbers).`,
      {
        field,
        value: whole,
        hint: 'Write all four numbers, e.g. 127.0.0.1 rather than 127.1 (the short forms some tools accept are ambiguous).',
      },
    );
  }
  const octets = parts.map((part, i) => parseOctet(part, i, text, field, whole));
  return octets as [number, number, number, number];
}

function parseOctet(part: string, index: number, text: string, field: string, whole: string): number {
  const where = `part ${index + 1} ("${part}") of "${text}"`;
  if (part === '') {
    throw new DslabError('DSLAB_E_ADDR_IPV4', `"${whole}": ${where} is empty; each of the four parts is a number 0-255.`, {
      field,
      value: whole,
      hint: 'Remove the extra dot or fill in the missing number.',
    });
  }
  if (!/^[0-9]+$/.test(part)) {
    throw new DslabError('DSLAB_E_ADDR_IPV4', `"${whole}": ${where} is not a decimal number; IPv4 parts are written in decimal, 0-255.`, {
      field,
      value: whole,
      hint: 'Use decimal digits only (no hex like 0x7f, no letters or spaces).',
    });
  }
  if (part.length > 1 && part.startsWith('0')) {
    throw new DslabError(
      'DSLAB_E_ADDR_IPV4',
      `"${whole}": ${where} has a leading zero; some tools read such a part as octal (010 = 8), others as decimal, so it is refused.`,
      { field, value: whole, hint: `Write it without leading zeros: ${String(Number(part))}.` },
    );
  }
  const n = Number(part);
  if (n > 255) {
    throw new DslabError('DSLAB_E_ADDR_IPV4', `"${whole}": ${where} is over 255; each part is 8 bits, 0-255.`, {
      field,
      value: whole,
      hint: 'Check the address; each of the four numbers must be between 0 and 255.',
    });
  }
  return n;
}
