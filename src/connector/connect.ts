/**
 * The Happy Eyeballs connector as a plain function: `happyConnect({ host, port, signal, ... })`
 * resolves to the winning socket with its address, family, timings and trace. A factory,
 * `createHappyConnector(defaults)`, validates shared options once for agents and tools.
 */
import { performance } from 'node:perf_hooks';
import { DslabError, isDslabError } from '../errors.js';
import type { HappyOptions, HappyResult, TlsInfo } from './types.js';
import { normalizeOptions, type NormalizedOptions } from './options.js';
import { defaultCache, delayFromRtts } from './cache.js';
import { Race } from './race.js';
import { Trace, round } from './trace.js';
import { upgradeToTls } from './tls-upgrade.js';

export async function happyConnect(options: HappyOptions): Promise<HappyResult> {
  const t0 = performance.now();
  const trace = new Trace(t0);
  const opts = normalizeOptions(options);
  return connectNormalized(opts, trace);
}

async function connectNormalized(opts: NormalizedOptions, trace: Trace): Promise<HappyResult> {
  trace.add({ type: 'start', address: opts.host, message: `${opts.mode} port ${opts.port}` });
  const warnings = [...opts.warnings];
  const cache = opts.cache === false ? undefined : opts.cache === true ? defaultCache : opts.cache;
  const cached = cache?.get(opts.host, opts.port);
  let delayMs = opts.delayMs;
  if (opts.delayFromRtt && cached) {
    const derived = delayFromRtts(cached.rttsMs);
    if (derived !== undefined) delayMs = derived;
  }
  for (const w of warnings) trace.add({ type: 'warning', message: w });
  const race = new Race({ ...opts, delayMs }, trace, cached);
  let outcome;
  try {
    outcome = await race.run();
  } catch (err) {
    if (cached && isDslabError(err, 'DSLAB_E_CONNECT_FAILED')) cache?.forget(opts.host, opts.port);
    throw err;
  }
  const handshakeMs = round((outcome.attempt.endMs ?? 0) - outcome.attempt.startMs);
  let socket = outcome.socket;
  let tlsMs: number | undefined;
  let tlsInfo: TlsInfo | undefined;
  if (opts.tls) {
    const before = trace.now();
    const remaining = opts.timeoutMs - before;
    try {
      const upgraded = await upgradeToTls(socket, opts.host, opts.tls, remaining, opts.signal);
      socket = upgraded.socket;
      tlsInfo = upgraded.info;
    } catch (err) {
      outcome.socket.destroy();
      // the race itself went well: keep what it did, so that the report shows it
      if (err instanceof DslabError && err.details === undefined) {
        trace.add({ type: 'tls-failed', address: outcome.winner.address, family: outcome.winner.family, code: err.code, message: err.message });
        throw new DslabError(err.code, err.message, {
          field: err.field,
          value: err.value,
          hint: err.hint,
          cause: err.cause,
          details: { attempts: outcome.attempts, resolution: outcome.resolution, candidates: outcome.candidates.map((c) => ({ ...c })), trace: trace.events },
        });
      }
      throw err;
    }
    tlsMs = round(trace.now() - before);
    trace.add({ type: 'tls-connected', address: outcome.winner.address, family: outcome.winner.family, message: tlsInfo.authorized ? 'certificate verified' : `certificate NOT verified (${tlsInfo.authorizationError ?? 'rejectUnauthorized: false'})` });
  }
  const totalMs = trace.now();
  cache?.remember(opts.host, opts.port, outcome.winner.address, outcome.winner.family, handshakeMs);
  return {
    socket,
    host: opts.host,
    port: opts.port,
    mode: opts.mode,
    address: outcome.winner.address,
    family: outcome.winner.family,
    delayMs,
    fromCache: outcome.winner.origin === 'cache',
    resolution: outcome.resolution,
    candidates: outcome.candidates.map((c) => ({ ...c })),
    attempts: outcome.attempts,
    timings: {
      totalMs,
      handshakeMs,
      aaaaMs: outcome.resolution.aaaa.ms,
      aMs: outcome.resolution.a.ms,
      ...(tlsMs !== undefined ? { tlsMs } : {}),
    },
    trace: trace.events,
    warnings,
    ...(tlsInfo ? { tls: tlsInfo } : {}),
    ...(outcome.explain ? { explain: outcome.explain } : {}),
  };
}

export type HappyConnector = (options: { host: string; port: number; signal?: AbortSignal } & Partial<HappyOptions>) => Promise<HappyResult>;

/**
 * Validates `defaults` once (bad values throw here, not on the first request) and returns a
 * connector that merges them under each call's own options.
 */
export function createHappyConnector(defaults: Partial<HappyOptions> = {}): HappyConnector {
  normalizeOptions({ host: 'localhost', port: 1, ...defaults });
  return (options) => happyConnect({ ...defaults, ...options });
}

