/**
 * Processes we started, tracked by PID *and* their start time in /proc, so that a reused
 * PID is never mistaken for ours; stopping them (SIGTERM, then SIGKILL after a grace), and
 * finding the processes that live inside a given network namespace (by its inode).
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProcRef {
  pid: number;
  /** Field 22 of /proc/PID/stat: clock ticks since boot when the process started. */
  startTime: number;
}

/** The fields of /proc/PID/stat from field 3 (the state) on, or undefined when it is gone. */
function statFields(pid: number): string[] | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // the command name (field 2) may contain spaces and parentheses: split after the last ')'
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Field 22 (index 19 from field 3) of a process's stat: its start time. */
function startTimeOf(fields: readonly string[] | undefined): number | undefined {
  const value = Number(fields?.[19]);
  return Number.isFinite(value) ? value : undefined;
}

function readStartTime(pid: number): number | undefined {
  return startTimeOf(statFields(pid));
}

export function procRef(pid: number): ProcRef | undefined {
  const startTime = readStartTime(pid);
  return startTime === undefined ? undefined : { pid, startTime };
}

/** True when the process is alive (and not a zombie) and is still the one we recorded. */
export function isAlive(ref: ProcRef): boolean {
  // one read of stat: the start time and the state must come from the same process
  const fields = statFields(ref.pid);
  if (startTimeOf(fields) !== ref.startTime) return false;
  const state = fields?.[0];
  return state !== 'Z' && state !== 'X';
}

function signal(ref: ProcRef, sig: NodeJS.Signals): void {
  if (!isAlive(ref)) return;
  try {
    process.kill(ref.pid, sig);
  } catch {
    // gone in between: fine
  }
}

/**
 * Stops the given processes: SIGTERM, wait up to `graceMs` for all to exit, then SIGKILL
 * the rest. Returns the ones that had to be killed.
 */
export async function terminate(refs: readonly ProcRef[], graceMs = 1000): Promise<ProcRef[]> {
  const live = refs.filter(isAlive);
  for (const r of live) signal(r, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  let left = live.filter(isAlive);
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(5);
    left = left.filter(isAlive);
  }
  for (const r of left) signal(r, 'SIGKILL');
  const killDeadline = Date.now() + 1000;
  while (left.some(isAlive) && Date.now() < killDeadline) await sleep(5);
  return left;
}

/** Every live process but this one for which `match(pid)` holds. */
export function processesWhere(match: (pid: number) => boolean): ProcRef[] {
  const found: ProcRef[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) continue;
    if (!match(pid)) continue;
    const ref = procRef(pid);
    if (ref && isAlive(ref)) found.push(ref);
  }
  return found;
}

/** The name of a process's program (/proc/PID/comm), if it is there. */
export function procComm(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The real uid a process runs as (as this process's user namespace sees it), if readable. */
export function procUid(pid: number): number | undefined {
  try {
    const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return uid === undefined ? undefined : Number(uid);
  } catch {
    return undefined;
  }
}

/** A process's environment as `NAME=value` entries, or undefined when it is not ours to read. */
export function procEnviron(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  } catch {
    return undefined;
  }
}

/** A process's command line (argv), or undefined when it is gone. */
export function procArgv(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
  } catch {
    return undefined;
  }
}

/** The inode of a namespace of a process (what /proc/PID/ns/<kind> links to), if readable. */
export function nsInode(pid: number, kind: 'net' | 'user'): number | undefined {
  try {
    const m = /^\w+:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/ns/${kind}`));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Processes whose network namespace is one of `inodes` (the inodes of /run/netns/<ns>). */
export function processesInNetns(inodes: ReadonlySet<number>): ProcRef[] {
  if (inodes.size === 0) return [];
  return processesWhere((pid) => inodes.has(nsInode(pid, 'net') ?? -1));
}

/** Processes whose user namespace is one of `inodes` (rootless: the lab's keeper's). */
export function processesInUserNs(inodes: ReadonlySet<number>): ProcRef[] {
  if (inodes.size === 0) return [];
  return processesWhere((pid) => inodes.has(nsInode(pid, 'user') ?? -1));
}
