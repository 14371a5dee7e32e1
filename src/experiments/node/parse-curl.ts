/**
 * Reads what curl printed: the `-w '%{json}'` write-out (which address it connected to, and
 * when) and the `-v` trace (which addresses it resolved and tried, in what order, which
 * attempts failed and why, where it connected, the status line). With `--trace-time` each
 * line carries a time, so the trace is also a timeline; a plain `curl -v` (the article's
 * samples, curl 7 or 8) is read the same way, without times.
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
  /** ms since the first trace line (0 for every line of an untimed trace). */
  atMs: number;
  text: string;
}

export interface CurlTrace {
  lines: CurlTraceLine[];
  /** true when the lines carried `--trace-time` stamps, so that `atMs` means something. */
  timed: boolean;
  /** curl 8's "* IPv6: ..." / "* IPv4: ..." lines: what the name resolved to, per family. */
  resolved?: { ipv6: string[]; ipv4: string[] };
  /** Addresses in the order curl tried them, each with when it started. */
  tries: Array<{ address: string; atMs: number }>;
  /** Attempts curl reported as failed, and why (refused, timeout, ...). */
  failures: Array<{ address?: string; atMs: number; reason: string }>;
  connected?: { address: string; atMs: number };
  statusLine?: string;
  /** The final error, e.g. `{ code: 28, message: 'Failed to connect ... Timeout was reached' }`. */
  error?: { code: number; message: string };
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
/** What a `curl -v` line starts with: info, request, response, data. */
const VERBOSE_LINE = /^[*<>{}](?:\s|$)/;

function secondsOfDay(h: string, m: string, s: string, us: string): number {
  return Number(h) * 3600 + Number(m) * 60 + Number(s) + Number(us) / 1e6;
}

/** Unbrackets `[fd00::10]:80` / `172.30.0.10:80` to the address. */
function addressOfTrying(text: string): string | undefined {
  const m = /Trying (\[([^\]]+)\]|([^\s:]+)):\d+/.exec(text);
  return m ? (m[2] ?? m[3]) : undefined;
}

function addressList(text: string): string[] {
  const list = text.trim();
  return list === '(none)' || list === '' ? [] : list.split(/,\s*/);
}

export function parseCurlTrace(stderr: string): CurlTrace {
  const lines: CurlTraceLine[] = [];
  let t0: number | undefined;
  let timed = false;
  let error: CurlTrace['error'];
  for (const raw of stderr.split(/\r?\n/)) {
    const m = TIME_PREFIX.exec(raw);
    if (m) {
      const t = secondsOfDay(m[1]!, m[2]!, m[3]!, m[4]!);
      t0 ??= t;
      timed = true;
      // a trace that crosses midnight is not worth a special case: clamp
      lines.push({ atMs: Math.max(0, (t - t0) * 1000), text: m[5]! });
      continue;
    }
    const e = /^curl: \((\d+)\) (.*)$/.exec(raw);
    if (e) error = { code: Number(e[1]), message: e[2]!.trim() };
    else if (VERBOSE_LINE.test(raw)) lines.push({ atMs: lines.at(-1)?.atMs ?? 0, text: raw });
  }
  const trace: CurlTrace = { lines, timed, tries: [], failures: [] };
  if (error) trace.error = error;
  for (const l of lines) {
    const tried = addressOfTrying(l.text);
    if (tried) trace.tries.push({ address: tried, atMs: l.atMs });
    const fam = /^\* IPv([46]): (.*)$/.exec(l.text);
    if (fam) {
      trace.resolved ??= { ipv6: [], ipv4: [] };
      trace.resolved[fam[1] === '6' ? 'ipv6' : 'ipv4'] = addressList(fam[2]!);
    }
    const failed = /connect to (\S+) port \d+ failed: (.*)$/.exec(l.text);
    if (failed) trace.failures.push({ address: failed[1]!, atMs: l.atMs, reason: failed[2]!.trim() });
    // curl 7 gives up on a family without naming the address: the last one tried of it
    const gaveUp = /^\* (ipv[46]) connect timeout after (\d+)ms/.exec(l.text);
    if (gaveUp) {
      const six = gaveUp[1] === 'ipv6';
      const last = [...trace.tries].reverse().find((t) => t.address.includes(':') === six);
      trace.failures.push({ ...(last ? { address: last.address } : {}), atMs: l.atMs, reason: `timeout after ${gaveUp[2]} ms` });
    }
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
