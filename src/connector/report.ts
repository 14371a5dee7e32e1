/**
 * The stable JSON shape of one connection (what `dslab connect --json` prints and the
 * experiments read), built from a result or from the error of a failed connection.
 * docs/connector.md documents every field.
 */
import { isDslabError } from '../errors.js';
import type { SortExplanation } from './explain.js';
import type { AttemptRecord, Candidate, ConnectMode, Family, HappyResult, ResolutionSummary, TlsInfo, TraceEvent } from './types.js';

/** The stable JSON report of one connection (what `dslab connect --json` prints): candidates, attempts, winner, timings in ms, trace, and the error when it failed. */
export interface ConnectReport {
  host: string;
  port: number;
  mode: ConnectMode;
  delayMs: number;
  resolution: ResolutionSummary;
  candidates: Array<{ address: string; family: Family; origin: Candidate['origin']; source: string | null }>;
  attempts: AttemptRecord[];
  winner: { address: string; family: Family } | null;
  fromCache: boolean;
  totalMs: number;
  handshakeMs: number | null;
  tlsMs?: number;
  /** With TLS: the protocol and whether the certificate was verified. */
  tls?: TlsInfo;
  http?: { statusLine: string } | { error: string };
  warnings: string[];
  trace: TraceEvent[];
  explain?: SortExplanation;
  error?: { code: string; message: string; hint?: string };
}

/** The report of a successful connection, built from its result. */
export function reportFromResult(result: HappyResult): ConnectReport {
  return {
    host: result.host,
    port: result.port,
    mode: result.mode,
    delayMs: result.delayMs,
    resolution: result.resolution,
    candidates: result.candidates.map((c) => ({ address: c.address, family: c.family, origin: c.origin, source: c.source ?? null })),
    attempts: result.attempts,
    winner: { address: result.address, family: result.family },
    fromCache: result.fromCache,
    totalMs: result.timings.totalMs,
    handshakeMs: result.timings.handshakeMs,
    ...(result.timings.tlsMs !== undefined ? { tlsMs: result.timings.tlsMs } : {}),
    ...(result.tls ? { tls: result.tls } : {}),
    warnings: result.warnings,
    trace: result.trace,
    ...(result.explain ? { explain: result.explain } : {}),
  };
}

/** A report for a connection that did not happen; the error's details carry what was tried. */
export function reportFromError(base: { host: string; port: number; mode: ConnectMode; delayMs: number }, err: unknown, totalMs: number): ConnectReport {
  const details = isDslabError(err) ? (err.details ?? {}) : {};
  const trace = (details.trace as TraceEvent[] | undefined) ?? [];
  return {
    ...base,
    resolution: (details.resolution as ResolutionSummary | undefined) ?? { source: 'dns', aaaa: { addresses: [], ms: null }, a: { addresses: [], ms: null } },
    candidates: ((details.candidates as Candidate[] | undefined) ?? []).map((c) => ({ address: c.address, family: c.family, origin: c.origin, source: c.source ?? null })),
    attempts: (details.attempts as AttemptRecord[] | undefined) ?? [],
    winner: null,
    fromCache: false,
    totalMs: trace.length > 0 ? Math.max(totalMs, trace[trace.length - 1]!.t) : totalMs,
    handshakeMs: null,
    warnings: [],
    trace,
    ...(details.explain ? { explain: details.explain as SortExplanation } : {}),
    error: {
      code: isDslabError(err) ? err.code : 'DSLAB_E_INTERNAL',
      message: err instanceof Error ? err.message : String(err),
      ...(isDslabError(err) && err.hint ? { hint: err.hint } : {}),
    },
  };
}
