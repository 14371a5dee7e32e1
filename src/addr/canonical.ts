/**
 * The two ways of writing an IPv6 address: the full form (eight groups of four hex digits)
 * and the RFC 5952 canonical short form, with each RFC 5952 rule and what it changed in the
 * address as the user wrote it. ipaddr.js does the shortening; this adds the explanation and
 * RFC 5952 §5's dotted-decimal tail for IPv4-mapped addresses, which ipaddr.js writes in hex.
 */
import ipaddr from 'ipaddr.js';
import { hex4 } from './bits.js';
import type { IPv6Syntax } from './ipv6-syntax.js';

/** One RFC 5952 rule, and whether and how it changed the address as written. */
export interface CanonicalRule {
  /** Stable id of the rule. */
  rule: 'lowercase' | 'leading-zeros' | 'longest-zero-run' | 'single-zero-group' | 'ipv4-dotted';
  /** RFC 5952 section. */
  section: string;
  /** Whether this rule changed the address as written. */
  changed: boolean;
  detail: string;
}

/** An IPv6 address in full and in canonical form, with each RFC 5952 rule and what it changed. */
export interface CanonicalForm {
  full: string;
  canonical: string;
  /** True when the input was already canonical. */
  wasCanonical: boolean;
  rules: CanonicalRule[];
}

interface Run {
  start: number;
  length: number;
}

/** Runs of zero groups among the first `upTo` groups. */
function zeroRuns(groups: number[], upTo = groups.length): Run[] {
  const runs: Run[] = [];
  let start = -1;
  for (let i = 0; i <= upTo; i++) {
    const zero = i < upTo && groups[i] === 0;
    if (zero && start < 0) start = i;
    if (!zero && start >= 0) {
      runs.push({ start, length: i - start });
      start = -1;
    }
  }
  return runs;
}

/** The address written with a dotted-decimal tail (RFC 5952 §5), when it has a well-known IPv4-embedding prefix of RFC 4291 / RFC 2765. */
function mixedPrefix(groups: number[]): string | undefined {
  const [a, b, c, d, e, f] = groups;
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0 && f === 0xffff) return '::ffff:';
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0xffff && f === 0) return '::ffff:0:';
  return undefined;
}

/** The RFC 5952 canonical text of eight 16-bit groups, with a dotted-decimal tail after ::ffff: and ::ffff:0: (§5). */
export function canonicalText(groups: number[]): string {
  const mixed = mixedPrefix(groups);
  if (mixed) return mixed + `${(groups[6] ?? 0) >> 8}.${(groups[6] ?? 0) & 0xff}.${(groups[7] ?? 0) >> 8}.${(groups[7] ?? 0) & 0xff}`;
  return new ipaddr.IPv6(groups).toRFC5952String();
}

/** The full text of eight 16-bit groups: each written as four hex digits, joined by colons. */
export function fullText(groups: number[]): string {
  return groups.map(hex4).join(':');
}

const span = (r: Run) => (r.length === 1 ? `group ${r.start + 1}` : `groups ${r.start + 1}-${r.start + r.length}`);

/** The full and canonical forms of a parsed IPv6 address, with what each RFC 5952 rule changed in it as `written`. */
export function canonicalForm(syntax: IPv6Syntax, written: string): CanonicalForm {
  const { groups } = syntax;
  const canonical = canonicalText(groups);
  const mixed = mixedPrefix(groups) !== undefined;
  const rules: CanonicalRule[] = [];

  const upper = syntax.written.filter((g) => /[A-F]/.test(g));
  rules.push({
    rule: 'lowercase',
    section: '4.3',
    changed: upper.length > 0,
    detail: upper.length ? `hex digits A-F are written in lowercase: ${upper.map((g) => `${g} -> ${g.toLowerCase()}`).join(', ')}` : 'hex digits are written in lowercase (already so)',
  });

  const padded = syntax.written.filter((g) => g.length > 1 && g.startsWith('0'));
  rules.push({
    rule: 'leading-zeros',
    section: '4.1',
    changed: padded.length > 0,
    detail: padded.length
      ? `leading zeros in each group are dropped: ${unique(padded).map((g) => `${g} -> ${g.replace(/^0+(?=.)/, '').toLowerCase()}`).join(', ')}`
      : 'leading zeros in each group are dropped (there were none)',
  });

  const runs = zeroRuns(groups, mixed ? 6 : 8);
  const long = runs.filter((r) => r.length >= 2);
  const best = long.reduce<Run | undefined>((b, r) => (b === undefined || r.length > b.length ? r : b), undefined);
  let runDetail: string;
  if (!best) {
    runDetail = 'there is no run of two or more zero groups, so no "::" is used';
  } else {
    runDetail = `${span(best)} (${best.length} zero groups) are folded into "::", once`;
    const ties = long.filter((r) => r !== best && r.length === best.length);
    const shorter = long.filter((r) => r.length < best.length);
    if (ties.length) runDetail += `; the run at ${ties.map(span).join(' and at ')} is as long, and on a tie the first run is folded (4.2.3)`;
    if (shorter.length) runDetail += `; the shorter run at ${shorter.map(span).join(' and at ')} stays written as 0s (only the longest run is folded)`;
  }
  const wrote = syntax.doubleColon;
  const runChanged = best
    ? wrote === undefined || wrote.at !== best.start || wrote.count !== best.length
    : wrote !== undefined && wrote.count >= 2;
  rules.push({ rule: 'longest-zero-run', section: '4.2.1, 4.2.3', changed: runChanged, detail: runDetail });

  const singles = runs.filter((r) => r.length === 1);
  const singleColon = wrote !== undefined && wrote.count === 1;
  rules.push({
    rule: 'single-zero-group',
    section: '4.2.2',
    changed: singleColon,
    detail: singles.length
      ? `a single zero group is written "0", never "::": ${singles.map(span).join(', ')}${singleColon ? ' (the input used "::" for it)' : ''}`
      : '"::" never stands for a single zero group (none here)',
  });

  if (mixed || syntax.ipv4Tail !== undefined) {
    rules.push({
      rule: 'ipv4-dotted',
      section: '5',
      changed: mixed ? syntax.ipv4Tail === undefined : true,
      detail: mixed
        ? `the last 32 bits of an IPv4-mapped (or -translated) address are written in dotted decimal: ${canonical}`
        : `the dotted IPv4 tail "${syntax.ipv4Tail}" is written in hex, as dotted decimal is recommended only after the well-known prefixes ::ffff:0:0/96 and ::ffff:0:0:0/96`,
    });
  }

  return { full: fullText(groups), canonical, wasCanonical: written === canonical, rules };
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
