/**
 * Why the candidates came out in the order they did: which policy table applied and where it
 * came from, each address's scope, label and precedence, and the rule that ordered each pair.
 */
import type { Attributes, PairDecision } from './address-sort.js';
import type { PolicyTable } from './policy-table.js';
import type { PolicyChoice } from './types.js';
import { glibcTable, rfc6724Table, systemTable } from './policy-table.js';

/** Why the candidates were ordered as they were: the policy table used, each address's attributes, the rule for each pair and the interleaved order. */
export interface SortExplanation {
  table: { name: string; origin: string; ignoredLines?: string[] };
  attributes: Attributes[];
  decisions: PairDecision[];
  /** The order after RFC 8305 §4 family interleaving. */
  interleaved: string[];
  firstAddressFamilyCount: number;
  notes: string[];
}

/** The policy table a choice names: the system's, glibc's built-in, RFC 6724's default, or the given table itself. */
export function resolvePolicy(choice: PolicyChoice): PolicyTable {
  if (choice === 'system') return systemTable();
  if (choice === 'glibc') return glibcTable("glibc's built-in table, asked for explicitly");
  if (choice === 'rfc6724') return rfc6724Table();
  return choice;
}

export const SORT_NOTES = [
  'RFC 6724 rules 3 (deprecated), 4 (home address) and 7 (native transport) need kernel flags Node does not expose; they are treated as ties.',
  'Source addresses were learned with a connected UDP socket per destination (no packet is sent).',
];
