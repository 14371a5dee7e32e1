/**
 * RFC 6724 §6 destination address selection: orders candidate addresses with rules 1, 2, 5,
 * 6, 8, 9 and 10 against a policy table, and says for each neighbouring pair which rule
 * decided. Rules 3, 4 and 7 need kernel flags Node does not expose (deprecated, home address,
 * encapsulation) and are treated as ties. Pure: the source addresses come in with the input.
 */
import ipaddr from 'ipaddr.js';
import type { Family } from './types.js';
import { labelOf, precedenceOf, scopeOf, type PolicyTable } from './policy-table.js';

/** One destination to sort: its address and family, and the source address the kernel would use for it. */
export interface SortInput {
  address: string;
  family: Family;
  /** Source address the kernel picked for this destination; undefined = unusable (rule 1). */
  source?: string;
  /** Prefix length of the source's subnet, the cap of CommonPrefixLen (default 64 / 32). */
  sourcePrefixLength?: number;
}

/** What RFC 6724 compares for one destination: its source, scopes, labels, precedence and common prefix length (null when it has no source). */
export interface Attributes {
  address: string;
  family: Family;
  source: string | null;
  scope: number;
  sourceScope: number | null;
  label: number;
  sourceLabel: number | null;
  precedence: number;
  commonPrefixLength: number | null;
}

/** Which rule ordered two neighbouring destinations of the sorted list, and why. */
export interface PairDecision {
  first: string;
  second: string;
  rule: number;
  reason: string;
}

const RULE_NAMES: Record<number, string> = {
  1: 'avoid unusable destinations',
  2: 'prefer matching scope',
  5: 'prefer matching label',
  6: 'prefer higher precedence',
  8: 'prefer smaller scope',
  9: 'use longest matching prefix',
  10: 'otherwise leave the order unchanged',
};

/** The short name of an RFC 6724 rule number (e.g. 6: `prefer higher precedence`), or `rule N` for others. */
export function ruleName(rule: number): string {
  return RULE_NAMES[rule] ?? `rule ${rule}`;
}

/** The RFC 6724 attributes of one destination, looked up in the policy table. */
export function attributesOf(input: SortInput, table: PolicyTable): Attributes {
  const source = input.source ?? null;
  return {
    address: input.address,
    family: input.family,
    source,
    scope: scopeOf(table, input.address),
    sourceScope: source === null ? null : scopeOf(table, source),
    label: labelOf(table, input.address),
    sourceLabel: source === null ? null : labelOf(table, source),
    precedence: precedenceOf(table, input.address),
    commonPrefixLength: source === null ? null : commonPrefixLength(source, input.address, input.sourcePrefixLength),
  };
}

/** Leading bits two same-family addresses share, capped at the source's prefix length. */
export function commonPrefixLength(source: string, destination: string, cap?: number): number {
  const s = ipaddr.parse(source).toByteArray();
  const d = ipaddr.parse(destination).toByteArray();
  if (s.length !== d.length) return 0;
  const limit = cap ?? (s.length === 4 ? 32 : 64);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const x = s[i]! ^ d[i]!;
    if (x === 0) {
      n += 8;
      continue;
    }
    n += Math.clz32(x) - 24;
    break;
  }
  return Math.min(n, limit);
}

/** The result of comparing two destinations: the order (negative prefers the first), the deciding rule and the reason. */
export interface Decision {
  order: number;
  rule: number;
  reason: string;
}

/** Compares DA and DB (in input order a before b); negative prefers a. */
export function compareDestinations(a: Attributes, b: Attributes): Decision {
  const usableA = a.source !== null;
  const usableB = b.source !== null;
  if (usableA !== usableB) {
    return { order: usableA ? -1 : 1, rule: 1, reason: `${usableA ? b.address : a.address} has no source address (unreachable)` };
  }
  if (usableA && usableB) {
    const matchA = a.scope === a.sourceScope;
    const matchB = b.scope === b.sourceScope;
    if (matchA !== matchB) {
      const w = matchA ? a : b;
      return { order: matchA ? -1 : 1, rule: 2, reason: `${w.address} has the scope of its source ${w.source} (${w.scope}); the other does not` };
    }
    const labelA = a.label === a.sourceLabel;
    const labelB = b.label === b.sourceLabel;
    if (labelA !== labelB) {
      const w = labelA ? a : b;
      return { order: labelA ? -1 : 1, rule: 5, reason: `${w.address} has the label of its source ${w.source} (${w.label}); the other does not` };
    }
  }
  if (a.precedence !== b.precedence) {
    const aWins = a.precedence > b.precedence;
    const [w, l] = aWins ? [a, b] : [b, a];
    return { order: aWins ? -1 : 1, rule: 6, reason: `${w.address} has precedence ${w.precedence}, ${l.address} has ${l.precedence}` };
  }
  if (a.scope !== b.scope) {
    const aWins = a.scope < b.scope;
    const [w, l] = aWins ? [a, b] : [b, a];
    return { order: aWins ? -1 : 1, rule: 8, reason: `${w.address} has scope ${w.scope}, smaller than ${l.address}'s ${l.scope}` };
  }
  if (usableA && usableB && a.family === b.family) {
    const ca = a.commonPrefixLength ?? 0;
    const cb = b.commonPrefixLength ?? 0;
    if (ca !== cb) {
      const aWins = ca > cb;
      const [w, l] = aWins ? [a, b] : [b, a];
      return {
        order: aWins ? -1 : 1,
        rule: 9,
        reason: `${w.address} shares ${Math.max(ca, cb)} leading bits with its source, ${l.address} ${Math.min(ca, cb)}`,
      };
    }
  }
  return { order: -1, rule: 10, reason: 'all other rules tie, so the original order stays' };
}

/** A sorted destination list, with each destination's attributes and the decision for each neighbouring pair. */
export interface SortOutcome<T extends SortInput> {
  sorted: T[];
  attributes: Attributes[];
  decisions: PairDecision[];
}

/** Stable RFC 6724 sort (rule 10 keeps input order on ties). */
export function sortDestinations<T extends SortInput>(inputs: readonly T[], table: PolicyTable): SortOutcome<T> {
  const items = inputs.map((input, index) => ({ input, index, attrs: attributesOf(input, table) }));
  items.sort((x, y) => {
    const d = compareDestinations(x.attrs, y.attrs);
    if (d.rule === 10) return x.index - y.index;
    return d.order;
  });
  const decisions: PairDecision[] = [];
  for (let i = 0; i + 1 < items.length; i++) {
    const a = items[i]!;
    const b = items[i + 1]!;
    const d = compareDestinations(a.attrs, b.attrs);
    decisions.push({ first: a.input.address, second: b.input.address, rule: d.rule, reason: `${ruleName(d.rule)}: ${d.reason}` });
  }
  return { sorted: items.map((i) => i.input), attributes: items.map((i) => i.attrs), decisions };
}
