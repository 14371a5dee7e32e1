/**
 * Runs the real tools the way the article does, with the extra flags that make their output
 * measurable (curl's JSON write-out and trace times, dig's single try, ping's short interval).
 */
import { run } from '../../util/run.js';
import { shellLine } from '../../util/shell-line.js';
import { findTool } from './tools.js';
import { parseCurlTrace, parseCurlWriteOut, type CurlTrace, type CurlWriteOut } from './parse-curl.js';
import { parseDig, type DigResult } from './parse-dig.js';
import { parsePing, type PingSummary } from './parse-ping.js';

function tool(name: string): string {
  // runCheck has already turned a missing tool into a skip; the name is a last resort
  return findTool(name) ?? name;
}

export interface CurlRun {
  writeOut?: CurlWriteOut;
  trace: CurlTrace;
  code: number;
  stderr: string;
  /** The exact command line that ran. */
  command: string;
}

/** `curl <flags> URL` with `-v --trace-time` and the JSON write-out; body discarded. */
export async function runCurl(flags: string[], url: string, signal?: AbortSignal): Promise<CurlRun> {
  const args = ['-sS', '-v', '--trace-time', '-o', '/dev/null', '-w', '%{json}', '--max-time', '5', ...flags, url];
  const r = await run(tool('curl'), args, { allowFailure: true, timeoutMs: 8000, ...(signal ? { signal } : {}) });
  const writeOut = parseCurlWriteOut(r.stdout);
  return { ...(writeOut ? { writeOut } : {}), trace: parseCurlTrace(r.stderr), code: r.code, stderr: r.stderr, command: shellLine('curl', args) };
}

export interface DigRun {
  result?: DigResult;
  stdout: string;
  code: number;
  command: string;
}

export async function runDig(name: string, type: 'A' | 'AAAA', signal?: AbortSignal): Promise<DigRun> {
  const args = ['+time=2', '+tries=1', name, type];
  const r = await run(tool('dig'), args, { allowFailure: true, timeoutMs: 6000, ...(signal ? { signal } : {}) });
  const result = parseDig(r.stdout);
  return { ...(result ? { result } : {}), stdout: r.stdout, code: r.code, command: shellLine('dig', args) };
}

export interface PingRun {
  summary?: PingSummary;
  stdout: string;
  code: number;
  command: string;
}

export async function runPing(address: string, count: number, intervalS: number, signal?: AbortSignal): Promise<PingRun> {
  const args = ['-n', '-c', String(count), '-i', String(intervalS), '-W', '1', address];
  const r = await run(tool('ping'), args, { allowFailure: true, timeoutMs: 10_000, ...(signal ? { signal } : {}) });
  const summary = parsePing(r.stdout);
  return { ...(summary ? { summary } : {}), stdout: (r.stdout + r.stderr).trim(), code: r.code, command: shellLine('ping', args) };
}

export async function runIp(args: string[]): Promise<{ stdout: string; code: number; command: string }> {
  const r = await run(tool('ip'), args, { allowFailure: true, timeoutMs: 5000 });
  return { stdout: r.stdout, code: r.code, command: shellLine('ip', args) };
}

/** `getent ahosts NAME`: the system resolver's answer (getaddrinfo, with /etc/gai.conf), as getent prints it. */
export async function runGetent(name: string, signal?: AbortSignal): Promise<{ stdout: string; code: number; command: string } | undefined> {
  const getent = findTool('getent');
  if (!getent) return undefined;
  const args = ['ahosts', name];
  const r = await run(getent, args, { allowFailure: true, timeoutMs: 6000, ...(signal ? { signal } : {}) });
  return { stdout: r.stdout.trim(), code: r.code, command: shellLine('getent', args) };
}
