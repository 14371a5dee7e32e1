/**
 * Starting a long-running lab process (a service, a fault's delayer) and waiting for the
 * `ready` line it prints once it is in business. The process reference goes to `onSpawn`
 * before anything is awaited, so the journal has it even if dslab is killed while waiting;
 * the process runs detached (its own process group: a later Ctrl-C at the terminal does not
 * reach it) with stderr appended to `errFile`.
 */
import { spawn } from 'node:child_process';
import { closeSync, readFileSync } from 'node:fs';
import { DslabError } from '../../errors.js';
import { openPrivateAppend } from '../../util/private-fs.js';
import type { Cmd } from './access.js';
import { procRef, type ProcRef } from './proc.js';

export interface ReadyProcess {
  /** How the process is named in messages, e.g. `the dns service in node "dns"`. */
  what: string;
  cmd: Cmd;
  errFile: string;
  timeoutMs: number;
  onSpawn: (proc: ProcRef) => void;
  /** What a failure asks the user to do. */
  hint: string;
  signal?: AbortSignal;
  /** Added to this process's environment (e.g. the lab's DSLAB_HOLDER mark, which `down` checks before it signals). */
  env?: NodeJS.ProcessEnv;
}

export async function startUntilReady(p: ReadyProcess): Promise<{ proc: ProcRef; ms: number }> {
  const t0 = performance.now();
  if (p.signal?.aborted) throw new DslabError('DSLAB_E_INTERRUPTED', `Interrupted before ${p.what} started.`, { hint: 'Run the command again when you are ready.' });
  const errFd = openPrivateAppend(p.errFile);
  const child = spawn(p.cmd.file, p.cmd.args, { detached: true, stdio: ['ignore', 'pipe', errFd], ...(p.env ? { env: { ...process.env, ...p.env } } : {}) });
  closeSync(errFd);
  const ref = child.pid === undefined ? undefined : procRef(child.pid);
  if (ref) p.onSpawn(ref);
  const failed = (why: string): DslabError => {
    let stderr = '';
    try {
      stderr = readFileSync(p.errFile, 'utf8').trim();
    } catch {
      // nothing written
    }
    return new DslabError('DSLAB_E_SERVICE_FAILED', `${p.what.charAt(0).toUpperCase()}${p.what.slice(1)} ${why}${stderr ? `: ${stderr}` : '.'}`, {
      hint: `See ${p.errFile}; ${p.hint}`,
      details: { argv: [p.cmd.file, ...p.cmd.args] },
    });
  };
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => finish(failed(`did not become ready within ${p.timeoutMs / 1000} s`)), p.timeoutMs);
    const onAbort = (): void => finish(new DslabError('DSLAB_E_INTERRUPTED', `Interrupted while ${p.what} was starting.`, { hint: 'Run the command again when you are ready.' }));
    p.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (err?: Error): void => {
      clearTimeout(timer);
      p.signal?.removeEventListener('abort', onAbort);
      child.removeAllListeners('exit');
      child.removeAllListeners('error');
      child.stdout?.removeAllListeners('data');
      if (err) reject(err);
      else resolve();
    };
    child.on('error', (err) => finish(failed(`could not be started (${err.message})`)));
    child.on('exit', (code, sig) => finish(failed(`exited before it was ready (${sig ?? `exit ${code}`})`)));
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      buffered += chunk;
      if (buffered.split('\n').some((l) => l.trim() === 'ready')) finish();
    });
    if (p.signal?.aborted) onAbort();
  });
  // It never writes to stdout again; let this process exit without waiting for it.
  child.stdout?.destroy();
  child.unref();
  if (!ref) throw failed('has no process id');
  return { proc: ref, ms: performance.now() - t0 };
}
