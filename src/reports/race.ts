/**
 * One connection race as data: the single model behind every picture of a race (the text
 * timelines in the terminal and the Markdown report, and the SVG). A race is one lane per
 * attempt, the DNS answers, the delay or timeout the client waits, the winner and the total.
 * It is built from dslab's connector (a `dslab connect` report or a run's observation) or
 * from curl's trace; renderers only draw it.
 */
import type { HappyResult, TraceEvent } from '../connector/types.js';

/** One attempt of a race: its address and family, when it started and ended (ms since the call began), and how it ended. */
export interface Lane {
  /** `IPv6 fd00:dead:beef::10`: what the text timelines print before the bar. */
  label: string;
  family: 4 | 6;
  address: string;
  startMs: number;
  /** null: still running when the race ended. */
  endMs: number | null;
  /** `connected`, `failed` or `cancelled` (lost the race). */
  outcome: string;
  /** errno code of a failed or cancelled attempt (`ETIMEDOUT`, `ECONNREFUSED`, ...). */
  error?: string;
}

/** A DNS answer as the client saw it: when it arrived (ms since the call began). */
export interface RaceAnswer {
  qtype: 'AAAA' | 'A';
  atMs: number;
  addresses: string[];
  /** The error code when the query failed instead (e.g. ENODATA). */
  failed?: string;
}

/** A vertical line across the lanes: the Connection Attempt Delay, or a per-attempt timeout. */
export interface RaceMark {
  atMs: number;
  label: string;
  kind: 'delay' | 'timeout';
}

/** One connection race as data: the lanes (one per attempt), DNS answers, wait marks, winner and total time in ms. */
export interface Race {
  host: string;
  port?: number;
  /** Who raced, in words: `dslab, Happy Eyeballs (RFC 8305)`, `curl`, ... */
  client: string;
  lanes: Lane[];
  answers: RaceAnswer[];
  marks: RaceMark[];
  winner: { address: string; family: 4 | 6 } | null;
  /** Call to connected (or to giving up); null when unknown. */
  totalMs: number | null;
}

/** One connection attempt as a report or an observation carries it: address, family, start and end in ms, outcome and error code. */
export type AttemptLike = { address: string; family: number; startMs: number; endMs: number | null; outcome: string; error?: { code: string } };

function familyOf(address: string, family?: number): 4 | 6 {
  if (family === 4 || family === 6) return family;
  return address.includes(':') ? 6 : 4;
}

/** Lanes from connector attempts (`{ address, family, startMs, endMs, outcome, error? }`). */
export function lanesFromAttempts(attempts: readonly AttemptLike[]): Lane[] {
  return attempts.map((a) => {
    const family = familyOf(a.address, a.family);
    return {
      label: `IPv${family} ${a.address}`,
      family,
      address: a.address,
      startMs: a.startMs,
      endMs: a.endMs,
      outcome: a.outcome,
      ...(a.error?.code ? { error: a.error.code } : {}),
    };
  });
}

/** Lanes from curl's trace: each address from its "Trying" line until the connection, or the end. */
export function lanesFromCurl(tries: ReadonlyArray<{ address: string; atMs: number }>, connected: { address: string; atMs: number } | undefined): Lane[] {
  const end = connected?.atMs ?? null;
  return tries.map((t) => {
    const family = familyOf(t.address);
    return {
      label: `IPv${family} ${t.address}`,
      family,
      address: t.address,
      startMs: t.atMs,
      endMs: end,
      outcome: connected?.address === t.address ? 'connected' : 'cancelled',
    };
  });
}

/** The AAAA and A answers (or failures) in a connector trace, in the order they came. */
export function answersFromTrace(trace: readonly TraceEvent[]): RaceAnswer[] {
  const out: RaceAnswer[] = [];
  for (const e of trace) {
    if ((e.type !== 'query-answered' && e.type !== 'query-failed') || (e.qtype !== 'A' && e.qtype !== 'AAAA')) continue;
    out.push({ qtype: e.qtype, atMs: e.t, addresses: e.addresses ?? [], ...(e.type === 'query-failed' ? { failed: e.code ?? 'failed' } : {}) });
  }
  return out;
}

/**
 * The delay (or timeout) as a line where it ends: it runs from the first attempt's start, so
 * the line falls where the next attempt may begin.
 */
export function waitMark(lanes: readonly Lane[], waitMs: number, kind: RaceMark['kind'], name: string): RaceMark {
  const from = lanes.length > 0 ? Math.min(...lanes.map((l) => l.startMs)) : 0;
  return { atMs: from + waitMs, label: `${name} ${waitMs} ms`, kind };
}

const MODE_WORDS: Record<string, string> = {
  happy: 'Happy Eyeballs (RFC 8305)',
  sequential: 'sequential, like ds_client.py',
  ipv4: 'IPv4 only',
  ipv6: 'IPv6 only',
};

/** What `dslab connect` reports and what a run observes: both carry these fields. */
export interface ConnectLike {
  host: string;
  port: number;
  mode: string;
  delayMs: number | null;
  attempts: readonly AttemptLike[];
  winner: { address: string; family: 4 | 6 } | null;
  totalMs: number;
  trace: readonly TraceEvent[];
}

/**
 * A race of dslab's connector. `attemptTimeoutMs` is the per-attempt timeout, drawn for the
 * sequential client (whose fallback waits for it); the happy client draws its delay.
 */
export function raceFromConnect(c: ConnectLike, options: { attemptTimeoutMs?: number | null } = {}): Race {
  const lanes = lanesFromAttempts(c.attempts);
  const marks: RaceMark[] = [];
  if (c.mode === 'happy' && c.delayMs !== null) marks.push(waitMark(lanes, c.delayMs, 'delay', 'Connection Attempt Delay'));
  if (c.mode === 'sequential' && options.attemptTimeoutMs) marks.push(waitMark(lanes, options.attemptTimeoutMs, 'timeout', 'timeout'));
  // a wait that a one-attempt race never reached would only stretch the axis past the race
  const reached = (m: RaceMark): boolean => lanes.length > 1 || m.atMs <= Math.max(c.totalMs, ...lanes.map((l) => l.endMs ?? l.startMs));
  return {
    host: c.host,
    port: c.port,
    client: `dslab, ${MODE_WORDS[c.mode] ?? c.mode}`,
    lanes,
    answers: answersFromTrace(c.trace),
    marks: marks.filter(reached),
    winner: c.winner,
    totalMs: c.totalMs,
  };
}

/** The race of a `happyConnect()` result, for library users: `renderRaceSvg(raceFromResult(r))`. */
export function raceFromResult(r: HappyResult, options: { attemptTimeoutMs?: number | null } = {}): Race {
  const { host, port, mode, delayMs, attempts, trace } = r;
  return raceFromConnect({ host, port, mode, delayMs, attempts, trace, winner: { address: r.address, family: r.family }, totalMs: r.timings.totalMs }, options);
}

/** A race of curl, from its `-v --trace-time` tries; `delayMs` is curl's own Happy Eyeballs delay. */
export function raceFromCurl(
  host: string,
  port: number | undefined,
  tries: ReadonlyArray<{ address: string; atMs: number }>,
  connected: { address: string; atMs: number } | undefined,
  delayMs?: number,
): Race {
  const lanes = lanesFromCurl(tries, connected);
  return {
    host,
    ...(port !== undefined ? { port } : {}),
    client: 'curl',
    lanes,
    answers: [],
    marks: delayMs !== undefined ? [waitMark(lanes, delayMs, 'delay', "curl's delay")] : [],
    winner: connected ? { address: connected.address, family: familyOf(connected.address) } : null,
    totalMs: connected?.atMs ?? null,
  };
}
