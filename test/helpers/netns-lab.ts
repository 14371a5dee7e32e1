/**
 * Lab helpers for tests that need a real lab: why a test must be skipped here, the lab
 * Topology under a test's own name, `withLab` (up, run, always down, then assert nothing of
 * the lab is left), the leftover check itself, and running the compiled `dslab` CLI.
 *
 *   import { withLab, netnsSkipReason } from './helpers/netns-lab.js';
 *   test('...', { skip: netnsSkipReason() }, async () => {
 *     await withLab('nt1', undefined, async (lab) => {
 *       const r = await runInNode(lab.lab, 'client', ['curl', '-sS', 'http://172.30.0.10/']);
 *     });
 *   });
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { down } from '../../src/backends/netns/down.js';
import { labStateDir } from '../../src/backends/netns/state.js';
import { up, type UpOptions, type UpResult } from '../../src/backends/netns/up.js';
import { labPath, loadLab } from '../../src/lab/load.js';
import type { Topology } from '../../src/lab/topology.js';
import { findProgram } from '../../src/util/find-program.js';
import { compiledSrcDir } from '../../src/util/package-root.js';
import { run, type RunOptions, type RunResult } from '../../src/util/run.js';

/** Why a test that builds a lab cannot run here (undefined: it can), for `{ skip: ... }`. */
export function netnsSkipReason(extraTools: readonly string[] = []): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux network namespaces';
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'needs root to create network namespaces (run the tests as root)';
  if (!existsSync('/proc/sys/net/ipv6')) return 'IPv6 is disabled in this kernel';
  for (const tool of ['ip', 'nsenter', 'sysctl', 'ping', ...extraTools]) if (!findProgram(tool)) return `needs ${tool} (not installed)`;
  return undefined;
}

/** A lab file (default: the article's lab; a bare name means examples/<name>.yaml) under the test's own lab name. */
export async function labTopology(name: string, file?: string): Promise<Topology> {
  const topology = await loadLab(labPath(file));
  return { ...topology, name };
}

/** What is left of lab `name`: namespaces, /etc/netns folders, state folder, service processes. */
export function labLeftovers(name: string, netnsInodes: ReadonlySet<number> = new Set()): string[] {
  const left: string[] = [];
  const prefix = `${name}-`;
  const list = (dir: string): string[] => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  for (const ns of list('/run/netns')) if (ns.startsWith(prefix)) left.push(`namespace ${ns}`);
  for (const d of list('/etc/netns')) if (d.startsWith(prefix)) left.push(`/etc/netns/${d}`);
  const stateDir = labStateDir(name);
  if (existsSync(stateDir)) left.push(`state folder ${stateDir}`);
  for (const entry of list('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes(`${stateDir}/`)) left.push(`process ${pid}: ${cmdline.split('\0').join(' ').trim()}`);
      if (netnsInodes.size > 0) {
        const m = /net:\[(\d+)\]/.exec(readFileSyncLink(`/proc/${pid}/ns/net`));
        if (m && netnsInodes.has(Number(m[1]))) left.push(`process ${pid} still in a namespace of ${name}`);
      }
    } catch {
      // exited meanwhile
    }
  }
  return left;
}

function readFileSyncLink(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
}
/** Inodes of the lab's namespaces right now (to find processes left in them after `down`). */
export function labNetnsInodes(name: string): Set<number> {
  const out = new Set<number>();
  let names: string[] = [];
  try {
    names = readdirSync('/run/netns');
  } catch {
    return out;
  }
  for (const ns of names) if (ns.startsWith(`${name}-`)) out.add(statSync(`/run/netns/${ns}`).ino);
  return out;
}

export function assertLabGone(name: string, netnsInodes?: ReadonlySet<number>): void {
  assert.deepEqual(labLeftovers(name, netnsInodes), [], `lab ${name} left things behind`);
}

/**
 * Brings lab `name` up (from a lab file, an example name, or a Topology), runs `fn`, then
 * always takes it down and asserts that nothing of it is left, even when `fn` failed.
 * Leftovers of an earlier crashed run of the same lab are removed first.
 */
export async function withLab<T>(name: string, lab: string | Topology | undefined, fn: (result: UpResult) => Promise<T>, options: Omit<UpOptions, 'replace'> = {}): Promise<T> {
  const topology = lab !== undefined && typeof lab === 'object' ? { ...lab, name } : await labTopology(name, lab);
  await down(name);
  let inodes = new Set<number>();
  let result: T;
  try {
    const upResult = await up(topology, options);
    inodes = labNetnsInodes(name);
    result = await fn(upResult);
  } catch (err) {
    if (inodes.size === 0) inodes = labNetnsInodes(name);
    await down(name);
    const left = labLeftovers(name, inodes);
    if (left.length > 0 && err instanceof Error) err.message += `\n(and lab ${name} left: ${left.join('; ')})`;
    throw err;
  }
  await down(name);
  assertLabGone(name, inodes);
  return result;
}

/** Path of the compiled CLI entry (`<out>/src/cli/main.js`). */
export function cliPath(): string {
  return join(compiledSrcDir(), 'cli', 'main.js');
}

/** Runs the compiled `dslab` CLI with `args`; never throws on a non-zero exit. */
export function dslab(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return run(process.execPath, [cliPath(), ...args], { allowFailure: true, ...options });
}
