/**
 * Thin wrappers over iproute2 and friends, all through the lab's `Access`: batched `ip`
 * scripts (one process per namespace) and sysctls inside a namespace.
 */
import { run, type RunOptions, type RunResult } from '../../util/run.js';
import type { Access, Cmd } from './access.js';
import { sysctlsThenIpBatch } from './plan.js';

export function runCmd(c: Cmd, options: RunOptions = {}): Promise<RunResult> {
  return run(c.file, c.args, options);
}

/** Runs `ip -batch -` inside `ns`; `force` keeps going past failing lines. */
export function ipBatch(access: Access, ns: string, lines: readonly string[], options: { force?: boolean; signal?: AbortSignal } = {}): Promise<RunResult> {
  const args = [...(options.force ? ['-force'] : []), '-batch', '-'];
  return runCmd(access.ip(ns, args), { input: lines.join('\n') + '\n', allowFailure: options.force ?? false, signal: options.signal });
}

/** Writes `settings` (sysctl `key=value`) and then runs `ip -batch -` with `lines`, in one process inside `ns` (see plan.ts). */
export function sysctlsAndIpBatch(access: Access, ns: string, settings: readonly string[], lines: readonly string[], signal?: AbortSignal): Promise<RunResult> {
  return runCmd(access.inNs(ns, ['sh', '-c', sysctlsThenIpBatch(settings)]), { input: lines.join('\n') + '\n', signal });
}

/** Runs a program in a namespace's network stack only (no /etc files): for dslab's own checks. */
export function inNetns(access: Access, ns: string, argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return runCmd(access.inNs(ns, argv), options);
}

export function setSysctls(access: Access, ns: string, settings: readonly string[], signal?: AbortSignal): Promise<RunResult> {
  return inNetns(access, ns, ['sysctl', '-q', '-w', ...settings], { signal });
}

/** As root: `ip -batch -` at the top (for `netns add` / `netns del`). */
export function rootIpBatch(lines: readonly string[], options: { force?: boolean; signal?: AbortSignal } = {}): Promise<RunResult> {
  return run('ip', [...(options.force ? ['-force'] : []), '-batch', '-'], { input: lines.join('\n') + '\n', allowFailure: options.force ?? false, signal: options.signal });
}
