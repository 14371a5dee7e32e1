/**
 * Reads what curl printed: the `-w '%{json}'` write-out (which address it connected to, and
 * when) and the `-v --trace-time` trace (which addresses it tried, in what order, when).
 */

export interface CurlWriteOut {
  remoteIp: string;
  httpCode: number;
  /** Seconds from start until the TCP connection was established. */
  timeConnectS: number;
  timeTotalS: number;
  exitCode: number;
  errorMessage: string | null;
}

export interface CurlTraceLine {
  /** ms since the first trace line. */
  atMs: number;
  text: string;
}

export interface CurlTrace {
  lines: CurlTraceLine[];
  /** Addresses in the order curl tried them, each with when it started. */
  tries: Array<{ address: string; atMs: number }>;
  connected?: { address: string; atMs: number };
  statusLine?: string;
}

export function parseCurlWriteOut(stdout: string): CurlWriteOut | undefined {
  const start = stdout.lastIndexOf('{"');
  if (start < 0) return undefined;
  try {
    const j = JSON.parse(stdout.slice(start)) as Record<string, unknown>;
    return {
      remoteIp: String(j.remote_ip ?? ''),
      httpCode: Number(j.http_code ?? 0),
      timeConnectS: Number(j.time_connect ?? 0),
      timeTotalS: Number(j.time_total ?? 0),
      exitCode: Number(j.exitcode ?? 0),
      errorMessage: typeof j.errormsg === 'string' ? j.errormsg : null,
    };
  } catch {
    return undefined;
  }
}

const TIME_PREFIX = /^(\d\d):(\d\d):(\d\d)\.(\d{6}) (.*)$/;

function secondsOfDay(h: string, m: string, s: string, us: string): number {
  return Number(h) * 3600 + Number(m) * 60 + Number(s) + Number(us) / 1e6;
}

/** Unbrackets `[fd00::10]:80` / `172.30.0.10:80` to the address. */
function addressOfTrying(text: string): string | undefined {
  const m = /Trying (\[([^\]]+)\]|([^\s:]+)):\d+/.exec(text);
  return m ? (m[2] ?? m[3]) : undefined;
}

export function parseCurlTrace(stderr: string): CurlTrace {
  const lines: CurlTraceLine[] = [];
  let t0: number | undefined;
  for (const raw of stderr.split(/\r?\n/)) {
    const m = TIME_PREFIX.exec(raw);
    if (!m) continue;
    const t = secondsOfDay(m[1]!, m[2]!, m[3]!, m[4]!);
    t0 ??= t;
    // a trace that crosses midnight is not worth a special case: clamp
    lines.push({ atMs: Math.max(0, (t - t0) * 1000), text: m[5]! });
  }
  const trace: CurlTrace = { lines, tries: [] };
  for (const l of lines) {
    const tried = addressOfTrying(l.text);
    if (tried) trace.tries.push({ address: tried, atMs: l.atMs });
    const c = /Connected to \S+ \(([^)]+)\)/.exec(l.text);
    if (c && !trace.connected) trace.connected = { address: c[1]!, atMs: l.atMs };
    const s = /^< (HTTP\/[\d.]+ \d{3}.*)$/.exec(l.text);
    if (s && !trace.statusLine) trace.statusLine = s[1]!.trim();
  }
  return trace;
}

/** The trace without timestamps, as a person sees `curl -v` (request and response headers). */
export function curlVerboseText(trace: CurlTrace, maxLines = 14): string {
  const kept = trace.lines.map((l) => l.text).filter((t) => !t.startsWith('{ [') && !t.startsWith('} ['));
  return kept.slice(0, maxLines).join('\n');
}
