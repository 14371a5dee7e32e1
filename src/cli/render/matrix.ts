/**
 * Text of `dslab measure --matrix`: one row per client, one column per scenario, each cell
 * the family used and the time to connect (with the attempt delay seen), then the clients
 * that were skipped and why.
 */
import type { MatrixResult } from '../../measure/matrix.js';
import { cellText } from '../../reports/matrix-cells.js';
import { table } from './table.js';

export { cellText };

export function renderMatrix(m: MatrixResult): string[] {
  const header = ['CLIENT', ...m.scenarios.map((s) => s.name)];
  const rows = m.clients.map((c) => [c.name, ...m.scenarios.map((s) => cellText(m.cells.find((x) => x.client === c.id && x.scenario === s.name)))]);
  const out = [`How real clients fall back, measured from their packets in lab "${m.lab}" (family used, time from the client's first packet to the connection; delay = the attempt delay seen):`, '', ...table(header, rows), ''];
  for (const s of m.scenarios) out.push(`  ${s.name}: ${s.description}`);
  for (const s of m.skipped) out.push(`  skipped ${s.name}: ${s.reason}`);
  out.push('', `${m.cells.length} runs in ${(m.ms / 1000).toFixed(1)} s.`);
  return out;
}
