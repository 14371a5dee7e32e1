/**
 * A measured race held against RFC 8305 (Happy Eyeballs v2), with the numbers (pure):
 * - §3 query order: AAAA first, then A at once (in parallel: both out before an answer);
 * - §3 Resolution Delay: when A came first, how long the client waited for AAAA before
 *   connecting over IPv4 (recommended 50 ms), or whether it waited for both answers;
 * - §5 Connection Attempt Delay: from the first attempt to the first one of the other
 *   family, while the first had no answer yet (MUST NOT be under 10 ms; recommended minimum
 *   100 ms, default 250 ms, maximum 2 s), or a fallback triggered by an error (RST/ICMP);
 * - §4 interleaving of families, and whether the losing attempts were abandoned;
 * - how long the user waited, against the best possible here: the first usable DNS answer
 *   (of either family, as if its path worked) plus one handshake.
 * (The article gives other bounds for the delay; these are the RFC's.)
 */
import { DELAY_FLOOR_MS, DELAY_MAX_MS, DELAY_RECOMMENDED_MIN_MS } from '../connector/options.js';
import type { Attempt, PacketAnalysis } from './analyze.js';

export type Grade = 'good' | 'slow' | 'failed';

export interface Verdict {
  queryOrder: 'AAAA first' | 'A first' | 'parallel' | 'A only' | 'AAAA only' | 'no DNS';
  /** A answered before AAAA: ms from the A answer to the first IPv4 attempt, and whether it waited for AAAA to end. */
  resolutionDelay?: { waitedMs: number; waitedForAaaa: boolean; note: string };
  firstFamily?: 4 | 6;
  /** The observed Connection Attempt Delay, with where it lies in RFC 8305's bounds. */
  attemptDelay?: { ms: number; trigger: 'timer' | 'error'; bound: string };
  interleaved: boolean | null;
  /** Losing attempts not retransmitted after the winner connected. */
  losersAbandoned: boolean | null;
  familyUsed?: 4 | 6;
  /** When the client's first packet (DNS query or attempt) left, ms since the command started: its own start-up time. */
  networkStartMs?: number;
  /** Connected, ms since the command started. */
  connectMs?: number;
  /** Connected, ms since its first packet: the fallback cost without the program's start-up. */
  connectFromStartMs?: number;
  firstByteMs?: number;
  /** The best possible time to connect here (first usable answer + one handshake). */
  bestMs?: number;
  /** connectMs − bestMs. */
  extraMs?: number;
  grade: Grade;
  notes: string[];
}

/** A client that waits more than this beyond the best possible counts as slow. */
export const SLOW_EXTRA_MS = 500;
/** An AAAA answer this much later than A counts as late (the Resolution Delay then matters). */
export const RESOLUTION_LATE_MS = 10;

export function delayBound(ms: number): string {
  if (ms < DELAY_FLOOR_MS) return `below RFC 8305's floor of ${DELAY_FLOOR_MS} ms (MUST NOT)`;
  if (ms < DELAY_RECOMMENDED_MIN_MS) return `below the recommended minimum of ${DELAY_RECOMMENDED_MIN_MS} ms`;
  if (ms <= DELAY_MAX_MS) return `within RFC 8305's bounds (${DELAY_RECOMMENDED_MIN_MS} ms to ${DELAY_MAX_MS / 1000} s; 250 ms recommended)`;
  return `above RFC 8305's maximum of ${DELAY_MAX_MS / 1000} s`;
}

function queryOrder(a: PacketAnalysis): Verdict['queryOrder'] {
  const first = (t: string) => a.queries.filter((q) => q.qtype === t).sort((x, y) => x.sentMs - y.sentMs)[0];
  const q4 = first('A');
  const q6 = first('AAAA');
  if (!q4 && !q6) return 'no DNS';
  if (!q6) return 'A only';
  if (!q4) return 'AAAA only';
  const firstAnswer = Math.min(...a.queries.flatMap((q) => (q.answer ? [q.answer.atMs] : [])), Infinity);
  const sentFirst = q6.sentMs <= q4.sentMs ? 'AAAA first' : 'A first';
  // both out before any answer came back: in parallel, as RFC 8305 asks, in the order given
  if (Math.max(q4.sentMs, q6.sentMs) < firstAnswer) return sentFirst === 'AAAA first' ? 'AAAA first' : 'parallel';
  return sentFirst;
}

export function judge(a: PacketAnalysis): Verdict {
  const notes: string[] = [];
  const attempts = a.attempts;
  const first = attempts[0];
  const verdict: Verdict = { queryOrder: queryOrder(a), interleaved: null, losersAbandoned: null, grade: a.winner ? 'good' : 'failed', notes };
  if (first) verdict.firstFamily = first.family;
  const starts = [...a.queries.map((q) => q.sentMs), ...attempts.map((x) => x.startMs)];
  if (starts.length > 0) verdict.networkStartMs = Math.min(...starts);

  // Resolution Delay: A answered before AAAA
  const ans = (t: string) => a.queries.filter((q) => q.qtype === t && q.answer && q.answer.rcode === 'NOERROR' && !q.answer.truncated && q.answer.addresses.length > 0).map((q) => q.answer!.atMs).sort((x, y) => x - y)[0];
  const aAt = ans('A');
  const aaaaAt = ans('AAAA');
  // only when AAAA was late (or never came): otherwise there was nothing to wait for
  const aaaaLate = aAt !== undefined && (aaaaAt === undefined || aaaaAt - aAt > RESOLUTION_LATE_MS);
  const firstAfterA = aAt !== undefined ? attempts.find((x) => x.startMs >= aAt) : undefined;
  if (aaaaLate && firstAfterA) {
    const waitedForAaaa = aaaaAt !== undefined && firstAfterA.startMs >= aaaaAt;
    const waitedMs = firstAfterA.startMs - aAt!;
    verdict.resolutionDelay = {
      waitedMs,
      waitedForAaaa,
      note: waitedForAaaa
        ? `the AAAA answer came ${Math.round(aaaaAt! - aAt!)} ms after A and the client waited for it (${Math.round(waitedMs)} ms) before connecting: no Resolution Delay (RFC 8305 §3 recommends 50 ms)`
        : `the AAAA answer was late; the client connected over IPv${firstAfterA.family} ${Math.round(waitedMs)} ms after the A answer (RFC 8305 §3 recommends a 50 ms Resolution Delay)`,
    };
  }

  // Connection Attempt Delay: from the first attempt to the first of the other family
  if (first) {
    const next = attempts.find((x) => x.family !== first.family);
    if (next) {
      const ms = next.startMs - first.startMs;
      const errorFirst = first.endMs !== undefined && first.endMs <= next.startMs && first.outcome !== 'connected';
      verdict.attemptDelay = { ms, trigger: errorFirst ? 'error' : 'timer', bound: errorFirst ? `moved on after the first attempt failed (${first.icmp ?? first.outcome})` : delayBound(ms) };
      if (!errorFirst && ms > DELAY_MAX_MS) notes.push(`the other family was tried only after ${(ms / 1000).toFixed(2)} s: a timeout of the first attempt, not a Happy Eyeballs delay`);
    }
    const families = attempts.map((x) => x.family);
    if (new Set(families).size > 1 && attempts.length > 2) verdict.interleaved = families.every((f, i) => i === 0 || f !== families[i - 1] || families.slice(i).every((g) => g === f));
  }

  if (a.winner) {
    const w = a.winner;
    verdict.familyUsed = w.family;
    verdict.connectMs = w.endMs;
    if (w.endMs !== undefined && verdict.networkStartMs !== undefined) verdict.connectFromStartMs = w.endMs - verdict.networkStartMs;
    if (a.firstByteMs !== undefined) verdict.firstByteMs = a.firstByteMs;
    const losers = attempts.filter((x) => x !== w && x.outcome === 'no-answer');
    if (losers.length > 0) verdict.losersAbandoned = losers.every((x) => x.lastSynMs <= (w.endMs ?? 0) + 5);
    // optimistic: the first usable answer of either family, as if its path worked
    const firstAnswer = Math.min(aAt ?? Infinity, aaaaAt ?? Infinity);
    const usable = Number.isFinite(firstAnswer) ? firstAnswer : undefined;
    const rtt = w.endMs !== undefined ? w.endMs - w.startMs : 0;
    if (usable !== undefined && w.endMs !== undefined) {
      verdict.bestMs = usable + rtt;
      verdict.extraMs = w.endMs - verdict.bestMs;
      if (verdict.extraMs > SLOW_EXTRA_MS) verdict.grade = 'slow';
    }
    if (first && first.family === 4 && aaaaAt !== undefined && aAt !== undefined && aaaaAt <= first.startMs) notes.push('IPv4 was tried first although an AAAA answer was there: IPv6 is not preferred (RFC 6724 / RFC 8305 §4)');
  } else if (attempts.length === 0) {
    notes.push('no connection attempt was seen');
  }
  return verdict;
}

/** The attempts in words, for a one-line summary. */
export function attemptsInWords(attempts: readonly Attempt[]): string {
  return attempts.map((x) => `IPv${x.family} ${x.outcome}${x.icmp ? ` (${x.icmp})` : ''}`).join(', ');
}
