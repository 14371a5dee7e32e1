/**
 * dslab's own client in the experiments: the Happy Eyeballs connector (RFC 8305) and its
 * sequential mode (the seed's ds_client.py), then one HTTP request on the winning socket,
 * like ds_client.py's `recv:` line. Failures become data, not exceptions: a check decides.
 */
import type { Socket } from 'node:net';
import type { AttemptRecord, ConnectMode, HappyOptions, HappyResult, TraceEvent } from '../../connector/types.js';

export interface ConnectObservation {
  mode: ConnectMode;
  host: string;
  port: number;
  delayMs: number | null;
  candidates: Array<{ address: string; family: 4 | 6 }>;
  attempts: AttemptRecord[];
  winner: { address: string; family: 4 | 6 } | null;
  totalMs: number;
  handshakeMs: number | null;
  statusLine?: string;
  error?: { code: string; message: string };
  trace: TraceEvent[];
}

type ConnectFn = (options: HappyOptions) => Promise<HappyResult>;

let connectFn: Promise<ConnectFn> | undefined;

async function loadConnector(): Promise<ConnectFn> {
  // loaded on first use: the in-node runner starts its other checks meanwhile
  connectFn ??= import('../../connector/connect.js').then((m) => m.happyConnect);
  return connectFn;
}

/** Sends a GET and resolves with the first response line (what ds_client.py prints after `recv:`). */
function firstResponseLine(socket: Socket, host: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`no HTTP answer within ${timeoutMs} ms`)), timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      buf += chunk;
      const end = buf.indexOf('\r\n');
      if (end >= 0) {
        clearTimeout(timer);
        resolve(buf.slice(0, end));
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('end', () => {
      clearTimeout(timer);
      if (!buf.includes('\r\n')) reject(new Error('the server closed the connection before answering'));
    });
    socket.write(`GET / HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: dslab\r\nConnection: close\r\n\r\n`);
  });
}

export interface ObserveOptions {
  host: string;
  port: number;
  mode: ConnectMode;
  delayMs?: number;
  attemptTimeoutMs?: number;
  signal?: AbortSignal;
}

export async function observeConnect(o: ObserveOptions): Promise<ConnectObservation> {
  const connect = await loadConnector();
  const started = performance.now();
  const base = { mode: o.mode, host: o.host, port: o.port };
  let result: HappyResult;
  try {
    result = await connect({
      host: o.host,
      port: o.port,
      mode: o.mode,
      // each check must measure the race itself, not a winner remembered from the last one
      cache: false,
      ...(o.delayMs !== undefined ? { connectionAttemptDelayMs: o.delayMs } : {}),
      ...(o.attemptTimeoutMs !== undefined ? { attemptTimeoutMs: o.attemptTimeoutMs } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
  } catch (err) {
    const e = err as { code?: string; message?: string; details?: Record<string, unknown> };
    const attempts = (e.details?.attempts as AttemptRecord[] | undefined) ?? [];
    return {
      ...base,
      delayMs: o.delayMs ?? null,
      candidates: [],
      attempts,
      winner: null,
      totalMs: performance.now() - started,
      handshakeMs: null,
      error: { code: String(e.code ?? 'ERROR'), message: String(e.message ?? err) },
      trace: (e.details?.trace as TraceEvent[] | undefined) ?? [],
    };
  }
  const observation: ConnectObservation = {
    ...base,
    delayMs: result.delayMs,
    candidates: result.candidates.map((c) => ({ address: c.address, family: c.family })),
    attempts: result.attempts,
    winner: { address: result.address, family: result.family },
    totalMs: result.timings.totalMs,
    handshakeMs: result.timings.handshakeMs,
    trace: result.trace,
  };
  try {
    observation.statusLine = await firstResponseLine(result.socket, o.host, 3000);
  } catch (err) {
    observation.error = { code: 'HTTP', message: (err as Error).message };
  } finally {
    result.socket.destroy();
  }
  return observation;
}

/** The seed's ds_client.py output, rebuilt from an observation (sequential mode). */
export function dsClientText(obs: ConnectObservation): string {
  const sockaddr = (a: { address: string; family: 4 | 6 }) => (a.family === 6 ? `('${a.address}', ${obs.port}, 0, 0)` : `('${a.address}', ${obs.port})`);
  const lines = [`resolved: ${obs.host}:${obs.port}`];
  for (const c of obs.candidates) lines.push(`  - IPv${c.family} ${sockaddr(c)}`);
  for (const a of obs.attempts) {
    lines.push(`try IPv${a.family}: ${sockaddr(a)} ...`);
    if (a.outcome === 'connected') {
      const took = a.endMs === null ? 0 : a.endMs - a.startMs;
      lines.push(`connected via IPv${a.family} in ${took.toFixed(1)} ms`);
    } else {
      const why = a.error?.code === 'ETIMEDOUT' ? 'timed out' : (a.error?.message ?? a.outcome);
      lines.push(`failed via IPv${a.family}: ${why}`);
    }
  }
  if (obs.statusLine) lines.push(`recv: ${obs.statusLine}`);
  if (obs.error) lines.push(`error: ${obs.error.message}`);
  return lines.join('\n');
}

function at(msValue: number): string {
  return `${msValue < 10 ? msValue.toFixed(1) : Math.round(msValue)} ms`.padStart(8);
}

/** A race as a person reads it: what resolved, then each attempt's start and end, in time order. */
export function raceText(obs: ConnectObservation): string {
  const lines = [`resolved: ${obs.host}:${obs.port} (mode ${obs.mode}${obs.delayMs !== null ? `, Connection Attempt Delay ${obs.delayMs} ms` : ''})`];
  for (const c of obs.candidates) lines.push(`  - IPv${c.family} ${c.address}`);
  const events: Array<{ t: number; text: string }> = [];
  for (const a of obs.attempts) {
    events.push({ t: a.startMs, text: `try IPv${a.family} ${a.address}` });
    if (a.endMs !== null) {
      const how = a.outcome === 'connected' ? 'connected' : a.outcome === 'cancelled' ? 'cancelled (another attempt won)' : `failed: ${a.error?.code === 'ETIMEDOUT' ? 'timed out' : (a.error?.message ?? a.outcome)}`;
      events.push({ t: a.endMs, text: `IPv${a.family} ${a.address} ${how}` });
    }
  }
  events.sort((x, y) => x.t - y.t);
  for (const e of events) lines.push(`${at(e.t)}  ${e.text}`);
  if (obs.winner) lines.push(`winner: IPv${obs.winner.family} ${obs.winner.address} after ${obs.totalMs.toFixed(1)} ms`);
  if (obs.statusLine) lines.push(`recv: ${obs.statusLine}`);
  if (obs.error) lines.push(`error: ${obs.error.message}`);
  return lines.join('\n');
}
