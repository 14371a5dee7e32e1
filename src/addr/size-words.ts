/**
 * Big counts in words: 2^64 reads "18,446,744,073,709,551,616 (about 18.4 quintillion)",
 * because nobody can read a twenty-digit number at a glance. Short-scale English names.
 */

const NAMES = [
  'thousand',
  'million',
  'billion',
  'trillion',
  'quadrillion',
  'quintillion',
  'sextillion',
  'septillion',
  'octillion',
  'nonillion',
  'decillion',
  'undecillion',
];

/** 1234567n -> "1,234,567". */
export function withThousands(n: bigint): string {
  return n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The count with separators and, from a thousand up, "about X <name>" to three significant digits. */
export function sizeInWords(n: bigint): string {
  const exact = withThousands(n);
  if (n < 1000n) return exact;
  const digits = n.toString().length;
  // three significant digits, rounded half up, computed in BigInt to stay exact
  const scale = 10n ** BigInt(Math.max(0, digits - 3));
  const rounded = ((n + scale / 2n) / scale) * scale;
  const group = Math.min(Math.floor((rounded.toString().length - 1) / 3), NAMES.length);
  const unit = 10n ** BigInt(3 * group);
  const whole = rounded / unit;
  const frac = rounded % unit;
  const decimals = Math.max(0, 3 - whole.toString().length);
  let text = whole.toString();
  if (decimals > 0) {
    const fracDigits = (frac * 10n ** BigInt(decimals)) / unit;
    const f = fracDigits.toString().padStart(decimals, '0').replace(/0+$/, '');
    if (f) text += '.' + f;
  }
  const approx = rounded === n ? 'exactly' : 'about';
  return `${exact} (${approx} ${text} ${NAMES[group - 1]})`;
}

/** "2^64". */
export function powerOfTwo(bits: number): string {
  return `2^${bits}`;
}
