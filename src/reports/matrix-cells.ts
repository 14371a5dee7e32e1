/**
 * One cell of the client × scenario grid in words: the family used and the time to connect,
 * with the attempt delay seen (`v4 208 ms (delay 201)`), or why there was no connection.
 * Shared by the terminal table, the Markdown report and the JUnit properties.
 */
import type { MatrixCell, MatrixResult } from '../measure/matrix.js';

export function cellText(c: MatrixCell | undefined): string {
  if (!c) return '-';
  if (c.family === null) return c.exitCode === null ? 'FAIL (killed)' : `FAIL (exit ${c.exitCode})`;
  const t = c.connectMs === null ? '?' : c.connectMs >= 1000 ? `${(c.connectMs / 1000).toFixed(2)} s` : `${Math.round(c.connectMs)} ms`;
  // a "delay" of 2 s or more is the client's own timeout (RFC 8305 §5: a delay SHOULD NOT exceed 2 s)
  const d = c.attemptDelayMs !== null ? (c.attemptDelayMs >= 2000 ? ' (after its timeout)' : ` (delay ${Math.round(c.attemptDelayMs)})`) : c.fallback === 'error' ? ' (on error)' : '';
  return `v${c.family} ${t}${d}${c.grade === 'slow' ? ' SLOW' : c.grade === 'failed' ? ' FAIL' : ''}`;
}

/** The cell of `client` in `scenario`, if it ran. */
export function findCell(m: MatrixResult, client: string, scenario: string): MatrixCell | undefined {
  return m.cells.find((x) => x.client === client && x.scenario === scenario);
}
