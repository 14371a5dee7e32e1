/**
 * `dslab connect --explain`: which address-selection table sorted the candidates and why it
 * applies, each address's scope/label/precedence and source, and the RFC 6724 rule that
 * ordered each neighbouring pair; then the RFC 8305 interleaving.
 */
import type { ConnectReport } from '../../connector/report.js';
import { table } from './table.js';

export function renderExplain(r: ConnectReport): string[] {
  const e = r.explain;
  if (!e) return ['', 'explain: nothing was sorted (no connection attempt was made after resolution).'];
  const lines = ['', `sorting table: ${e.table.name}`, `  ${e.table.origin}`];
  for (const l of e.table.ignoredLines ?? []) lines.push(`  ignored line: ${l}`);
  lines.push('');
  lines.push(
    ...table(
      ['destination', 'source', 'scope', 'label', 'src label', 'precedence'],
      e.attributes.map((a) => [a.address, a.source ?? '(none: unusable)', String(a.scope), String(a.label), a.sourceLabel === null ? '-' : String(a.sourceLabel), String(a.precedence)]),
    ),
  );
  if (e.decisions.length > 0) lines.push('', 'order (RFC 6724 §6):');
  for (const d of e.decisions) lines.push(`  ${d.first} before ${d.second}: rule ${d.rule}, ${d.reason}`);
  lines.push('', `interleaved (RFC 8305 §4, First Address Family Count ${e.firstAddressFamilyCount}): ${e.interleaved.join(', ')}`);
  for (const n of e.notes) lines.push(`note: ${n}`);

  return lines;
}
