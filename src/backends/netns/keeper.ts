/**
 * Rootless mode: a keeper process (`unshare --user --map-root-user sleep infinity`) holds a
 * user namespace in which we are root; one holder process per lab namespace, started inside
 * it, holds a network and a mount namespace (`unshare --net --mount`). The namespaces live
 * exactly as long as these processes, so stopping them (by tracked PID) removes the lab.
 * Each node's /etc files are bind-mounted in its holder's mount namespace.
 *
 * A process can be killed (kill -9) after it spawned a holder and before the journal names
 * it; so every keeper and holder also carries `DSLAB_HOLDER=<state folder>` in its
 * environment, by which `down` finds the ones the journal missed (`holdersOf`).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { DslabError } from '../../errors.js';
import { run } from '../../util/run.js';
import { currentUid } from '../../util/private-fs.js';
import { procComm, procEnviron, processesWhere, procRef, procUid, type ProcRef } from './proc.js';

const START_TIMEOUT_MS = 5000;

/**
 * Environment variable naming the lab (by its state folder) a process belongs to: the
 * keeper, the holders and the services carry it; `down` signals no journaled PID without it.
 */
export const HOLDER_ENV = 'DSLAB_HOLDER';

/** Spawns a detached `... sleep infinity` chain and waits until it has become `sleep` (namespaces made). */
async function spawnHolder(argv: string[], what: string, stateDir: string, onSpawn: (ref: ProcRef) => void, signal?: AbortSignal): Promise<ProcRef> {
  const env = { ...process.env, [HOLDER_ENV]: stateDir };
  const child = spawn(argv[0]!, argv.slice(1), { detached: true, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (c: string) => (stderr += c));
  let exited: string | undefined;
  child.on('exit', (code, sig) => (exited = sig ?? `exit ${code}`));
  child.on('error', (err) => (exited = err.message));
  const ref = child.pid === undefined ? undefined : procRef(child.pid);
  if (ref) onSpawn(ref);
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (ref && exited === undefined && procComm(ref.pid) !== 'sleep' && Date.now() < deadline && !signal?.aborted) await sleep(2);
  if (ref && exited === undefined && procComm(ref.pid) === 'sleep') {
    child.stderr?.destroy();
    child.unref();
    return ref;
  }
  if (signal?.aborted) throw new DslabError('DSLAB_E_INTERRUPTED', `Interrupted while starting the ${what}.`, { hint: 'Run the command again when you are ready.' });
  const reason = stderr.trim() || exited || 'it did not start in time';
  throw new DslabError('DSLAB_E_NOT_PRIVILEGED', `Cannot create the ${what} without root: ${reason}.`, {
    value: argv,
    hint: 'Run "dslab doctor": unprivileged user namespaces may be disabled (kernel.unprivileged_userns_clone, user.max_user_namespaces, or Ubuntu\'s kernel.apparmor_restrict_unprivileged_userns); or run dslab with sudo.',
  });
}

export function startKeeper(stateDir: string, onSpawn: (ref: ProcRef) => void, signal?: AbortSignal): Promise<ProcRef> {
  return spawnHolder(['unshare', '--user', '--map-root-user', 'sleep', 'infinity'], 'rootless keeper (user namespace)', stateDir, onSpawn, signal);
}

export function startNamespaceHolder(keeper: ProcRef, ns: string, stateDir: string, onSpawn: (ref: ProcRef) => void, signal?: AbortSignal): Promise<ProcRef> {
  return spawnHolder(
    ['nsenter', `--target=${keeper.pid}`, '--user', '--preserve-credentials', '--', 'unshare', '--net', '--mount', '--propagation', 'private', 'sleep', 'infinity'],
    `namespace ${ns}`,
    stateDir,
    onSpawn,
    signal,
  );
}

export const ETC_FILES = ['resolv.conf', 'hosts', 'nsswitch.conf'] as const;

/** Bind-mounts the node's files over /etc/* in its holder's private mount namespace. */
export async function mountNodeEtc(holder: ProcRef, etcDir: string, signal?: AbortSignal): Promise<void> {
  await Promise.all(
    ETC_FILES.map((f) =>
      run('nsenter', [`--target=${holder.pid}`, '--user', '--mount', '--preserve-credentials', '--', 'mount', '--bind', join(etcDir, f), `/etc/${f}`], { signal }),
    ),
  );
}

/** Live keepers and holders of the lab whose state folder is `stateDir`, journaled or not (our own uid only). */
export function holdersOf(stateDir: string): ProcRef[] {
  const uid = currentUid();
  // gone, or not ours to read: not one of ours
  return processesWhere((pid) => procComm(pid) === 'sleep' && procUid(pid) === uid && hasLabMarker(pid, stateDir));
}

/** True when the process's environment holds `DSLAB_HOLDER=<stateDir>`. */
export function hasLabMarker(pid: number, stateDir: string): boolean {
  return procEnviron(pid)?.includes(`${HOLDER_ENV}=${stateDir}`) ?? false;
}
