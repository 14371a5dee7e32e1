/**
 * Web and probe test fixtures: is a tool or IPv6 loopback there, a real curl call, free
 * ports on both loopbacks, temp folders that are removed after the test, and child-process
 * helpers (first stdout line, wait for exit) for the service programs.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { findProgram } from '../../src/util/find-program.js';
import { run } from '../../src/util/run.js';
import { compiledSrcDir } from '../../src/util/package-root.js';

/** Whether `file` is installed (on PATH or in the sbin folders), as dslab itself looks for it. */
export async function hasProgram(file: string): Promise<boolean> {
  return findProgram(file) !== null;
}

let ipv6: Promise<boolean> | undefined;
/** Whether ::1 can be bound here (some containers run without IPv6). */
export function ipv6Loopback(): Promise<boolean> {
  ipv6 ??= new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen({ host: '::1', port: 0 }, () => s.close(() => resolve(true)));
  });
  return ipv6;
}

export interface CurlResult {
  status: number;
  body: string;
  headers: string;
}

/** Real curl: `args` before the URL (e.g. ['-4'] or ['-6', '-g']); never throws on HTTP errors. */
export async function curl(args: string[], url: string): Promise<CurlResult> {
  // --noproxy '*': an http_proxy in the environment must not send a loopback request off the machine
  const r = await run('curl', ['-sS', '-i', '--noproxy', '*', '--max-time', '5', '-w', '\n%{http_code}', ...args, url], { timeoutMs: 10000 });
  const cut = r.stdout.lastIndexOf('\n');
  const all = r.stdout.slice(0, cut);
  const split = all.indexOf('\r\n\r\n');
  return { status: Number(r.stdout.slice(cut + 1)), headers: all.slice(0, split), body: all.slice(split + 4) };
}

/** A port free on both 127.0.0.1 and ::1 (nginx cannot be told to pick one itself). */
export async function freeDualPort(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const port = await bindFree('127.0.0.1', 0);
    if (await bindFree('::1', port).then(() => true, () => false)) return port;
  }
  throw new Error('no port free on both 127.0.0.1 and ::1');
}

function bindFree(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen({ host, port, exclusive: true }, () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

/** A temp folder removed in t.after (also when the test fails). */
export async function tempDir(t: TestContext, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Compiled path of a service program, e.g. serviceMain('web'). */
export function serviceMain(service: 'web' | 'probe'): string {
  return join(compiledSrcDir(), 'services', service, 'main.js');
}

/** First line the child writes to stdout (rejects if it exits first). */
export function firstLine(child: ChildProcess, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`no line on stdout within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      buf += chunk.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(buf.slice(0, nl));
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before writing a line`));
    });
  });
}

/** Exit code (or signal name) of a child, or 'timeout'. */
export function waitExit(child: ChildProcess, timeoutMs = 5000): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal ?? 'unknown');
    });
  });
}

/** Whether a pid is alive; EPERM counts as alive. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
