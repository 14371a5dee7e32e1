/**
 * A real packet capture inside a lab node: tcpdump in the node's network namespace, written
 * as pcap (`-U`: each packet flushed as it comes), started before the measured command and
 * stopped after it. The capture process is ours by PID; if dslab dies, `dslab down` stops
 * it with the other processes left in the lab's namespaces.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Access } from '../backends/netns/access.js';
import { DslabError } from '../errors.js';
import { findProgram } from '../util/find-program.js';

const READY_MS = 5000;

export interface Capture {
  file: string;
  stop(): Promise<void>;
}

/** Starts tcpdump in the namespace `ns` of a lab, capturing every interface into `file`. */
export async function startCapture(access: Access, ns: string, file: string, signal?: AbortSignal): Promise<Capture> {
  return startCaptureWith((argv) => access.inNs(ns, argv, false), file, signal);
}

/**
 * Starts tcpdump through `inNode`, which turns its command line into the command that runs it
 * in a lab node (a backend's), and resolves once tcpdump listens.
 */
export async function startCaptureWith(inNode: (argv: string[]) => { file: string; args: string[] }, file: string, signal?: AbortSignal): Promise<Capture> {
  const tcpdump = findProgram('tcpdump');
  if (!tcpdump) {
    throw new DslabError('DSLAB_E_TOOL_MISSING', 'dslab measure captures with tcpdump, which is not installed.', {
      field: 'tcpdump',
      hint: 'Install it: apt-get install -y --no-install-recommends tcpdump.',
    });
  }
  // -Z root: write the file as we are (tcpdump would switch to its own user, which cannot write here)
  const cmd = inNode([tcpdump, '-i', 'any', '-n', '-U', '--immediate-mode', '-s', '512', '-Z', 'root', '-w', file]);
  const child = spawn(cmd.file, cmd.args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`tcpdump did not start within ${READY_MS / 1000} s`)), READY_MS);
    const onAbort = (): void => done(new DslabError('DSLAB_E_INTERRUPTED', 'Interrupted while the capture was starting.', { hint: 'Run the command again when you are ready.' }));
    const onExit = (code: number | null): void => done(new Error(`tcpdump exited (${code})`));
    const done = (err?: Error): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      child.removeListener('exit', onExit);
      if (err) {
        child.kill('SIGKILL');
        reject(err instanceof DslabError ? err : new DslabError('DSLAB_E_MEASURE_FAILED', `The capture could not start: ${err.message}${stderr ? `: ${stderr.trim()}` : ''}`, { hint: 'Check that tcpdump runs as root ("dslab doctor").' }));
      } else resolve();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (c: string) => {
      stderr += c;
      if (stderr.includes('listening on')) done();
    });
    child.once('exit', onExit);
  });
  return { file, stop: () => stopCapture(child, exited) };
}

async function stopCapture(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const ok = await Promise.race([exited.then(() => true), sleep(2000, undefined, { ref: false }).then(() => false)]);
  if (!ok) {
    child.kill('SIGKILL');
    await exited;
  }
}
