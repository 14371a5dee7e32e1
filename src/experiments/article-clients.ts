/**
 * The article's table "which clients implement Happy Eyeballs" (its rows, in English), and
 * what the client matrix measured for each: whether the client raced the families on a
 * timer and with what Connection Attempt Delay, how long a silently broken IPv6 path cost
 * it, and whether it waited for a late AAAA answer. Every "measured" sentence is derived from
 * the cells of this run; a row whose clients did not run says so.
 */
import { CLIENTS } from '../measure/clients.js';
import type { MatrixCell, MatrixResult } from '../measure/matrix.js';

export interface ArticleClaim {
  /** The client as the article names it. */
  client: string;
  /** The article's "Happy Eyeballs" and "notes" columns, in English. */
  claim: string;
  /** The built-in clients (src/measure/clients.ts) that stand for it. */
  measuredBy: readonly string[];
  /** Why none does, for a row without built-in clients. */
  notRun?: string;
}

export const ARTICLE_CLIENT_TABLE: readonly ArticleClaim[] = [
  { client: 'Chrome / Chromium', claim: 'RFC 8305, full implementation', measuredBy: ['chromium'] },
  { client: 'Firefox', claim: 'RFC 8305, full implementation', measuredBy: [], notRun: 'not among the built-in clients (Debian packages it as firefox-esr; "dslab measure -- firefox-esr --headless --screenshot /tmp/x.png http://NAME/" measures it where it is installed)' },
  { client: 'Safari', claim: 'RFC 8305, full implementation', measuredBy: [], notRun: 'Safari does not run on Linux' },
  { client: 'curl', claim: 'RFC 8305, since 7.59.0', measuredBy: ['curl'] },
  { client: 'Python requests', claim: 'partial (depends on urllib3)', measuredBy: ['python-requests'] },
  { client: 'Node.js', claim: 'OS dependent (depends on dns.lookup())', measuredBy: ['node-net', 'node-net-noauto', 'node-fetch'] },
];

export interface ArticleComparison {
  client: string;
  claim: string;
  /** What was measured in this run, in words (one sentence per built-in client). */
  measured: string[];
}

/** Scenarios where IPv6 fails without an error (the client can only fall back on a timer). */
const SILENT_V6 = ['unassigned-aaaa', 'v6-blackhole', 'v6-lossy'];

/** RFC 8305 §5: a Connection Attempt Delay SHOULD NOT be greater than 2 s. */
const RACE_MAX_MS = 2000;

const time = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

function cellsOf(m: MatrixResult, client: string): MatrixCell[] {
  return m.cells.filter((c) => c.client === client);
}

/** One sentence on how a client behaved, from its cells. */
export function measuredBehaviour(m: MatrixResult, clientId: string): string {
  const name = m.clients.find((c) => c.id === clientId)?.name ?? CLIENTS.find((c) => c.id === clientId)?.name ?? clientId;
  const cells = cellsOf(m, clientId);
  if (cells.length === 0) {
    const skipped = m.skipped.find((s) => s.id === clientId);
    return `${name}: not measured in this run (${skipped ? skipped.reason : `not among the clients asked for; --clients ${clientId} adds it`}).`;
  }
  const parts: string[] = [];
  const silent = cells.filter((c) => SILENT_V6.includes(c.scenario));
  // a "delay" of 2 s or more is a per-attempt timeout (RFC 8305 §5: SHOULD NOT exceed 2 s), not a race
  const raced = silent.filter((c) => c.fallback === 'timer' && c.attemptDelayMs !== null && c.attemptDelayMs < RACE_MAX_MS);
  if (raced.length > 0) {
    const delays = raced.map((c) => Math.round(c.attemptDelayMs!));
    const lo = Math.min(...delays);
    const hi = Math.max(...delays);
    parts.push(`races on a timer: Connection Attempt Delay ${lo === hi ? lo : `${lo}-${hi}`} ms (RFC 8305 §5 recommends 250 ms)`);
  } else if (silent.length > 0) {
    const failed = silent.filter((c) => c.family === null);
    const slow = silent.filter((c) => c.family === 4 && c.connectMs !== null);
    if (failed.length === silent.length) parts.push(`does not race: with IPv6 silently broken it failed (${silent.map((c) => c.scenario).join(', ')})`);
    else if (slow.length > 0) parts.push(`does not race: with IPv6 silently broken it reached IPv4 only after ${slow.map((c) => `${time(c.connectMs!)} (${c.scenario})`).join(', ')}`);
  }
  const reset = cells.find((c) => c.scenario === 'v6-reset');
  if (reset) parts.push(reset.family === null ? 'failed when IPv6 was refused (v6-reset)' : `moved on at once when IPv6 was refused (${time(reset.connectMs ?? 0)}, v6-reset)`);
  const lateAaaa = cells.find((c) => c.scenario === 'aaaa-slow');
  if (lateAaaa && lateAaaa.family !== null && lateAaaa.connectMs !== null) {
    parts.push(
      lateAaaa.family === 6 && lateAaaa.connectMs >= 500
        ? `waited for the late AAAA answer (${time(lateAaaa.connectMs)}) instead of starting over IPv4 after a Resolution Delay (RFC 8305 §3: 50 ms)`
        : `did not wait for the late AAAA answer: IPv${lateAaaa.family} at ${time(lateAaaa.connectMs)} (aaaa-slow)`,
    );
  }
  return `${name}: ${parts.length ? parts.join('; ') : cells.map((c) => `${c.scenario}: ${c.summary}`).join('; ')}.`;
}

export function compareWithArticle(m: MatrixResult): ArticleComparison[] {
  return ARTICLE_CLIENT_TABLE.map((row) => ({
    client: row.client,
    claim: row.claim,
    measured: row.measuredBy.length === 0 ? [`not measured here: ${row.notRun ?? 'no built-in client stands for it'}.`] : row.measuredBy.map((id) => measuredBehaviour(m, id)),
  }));
}
