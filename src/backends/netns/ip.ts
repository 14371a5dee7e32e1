/**
 * Thin wrappers over iproute2 and friends, all through the lab's `Access`: batched `ip`
 * scripts (one process per namespace) and sysctls inside a namespace.
 */
import { commandFailed, run, type RunOptions, type RunResult } from '../../util/run.js';
import { shellWord } from '../../util/shell-line.js';
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

/** One command of a shared shell script (runInOneShell): what to run, and its standard input. */
export interface ShellJob {
  cmd: Cmd;
  input: string;
}

const INPUT_END = 'DSLAB_INPUT_END';
const FAILED = 'DSLAB_JOB_FAILED';

/**
 * Runs `jobs` one after another from one shell (`sh -s`, the script on its standard input, each
 * job's input a quoted here-document, every word quoted where it must be): the shell forks a small process
 * for each where Node would fork itself, a large process, on its main thread (about 2.5 ms each
 * here, which is where a 1,000-node lab's time went). Stops at the first job that fails and
 * throws DSLAB_E_COMMAND_FAILED naming it, with what it printed. A single job runs directly.
 */
export async function runInOneShell(jobs: readonly ShellJob[], signal?: AbortSignal): Promise<void> {
  if (jobs.length === 1) {
    await runCmd(jobs[0]!.cmd, { input: jobs[0]!.input, signal });
    return;
  }
  const script = jobs.map((j, i) => {
    if (j.input.split('\n').includes(INPUT_END)) throw new Error(`job input contains ${INPUT_END}`);
    const body = j.input.endsWith('\n') ? j.input : `${j.input}\n`;
    return `${[j.cmd.file, ...j.cmd.args].map(shellWord).join(' ')} <<'${INPUT_END}' || { rc=$?; echo "${FAILED} ${i} $rc" >&2; exit 1; }\n${body}${INPUT_END}\n`;
  });
  const r = await run('sh', ['-s'], { input: script.join(''), allowFailure: true, signal });
  if (r.code === 0) return;
  const m = new RegExp(`${FAILED} (\\d+) (\\d+)`).exec(r.stderr);
  const job = m ? jobs[Number(m[1])] : undefined;
  const printed = r.stderr.slice(0, m?.index ?? r.stderr.length).trim();
  if (!job) throw commandFailed(['sh', '-s'], r);
  throw commandFailed([job.cmd.file, ...job.cmd.args], { stdout: r.stdout, stderr: printed, code: Number(m![2]) });
}

/** The command and input that set up one node (plan.ts's node batch): its sysctls then `ip -batch`, or `ip -batch` alone. */
export function nodeBatchJob(access: Access, b: { ns: string; lines: readonly string[]; sysctls?: readonly string[] }): ShellJob {
  const input = b.lines.join('\n') + '\n';
  return { cmd: b.sysctls ? access.inNs(b.ns, ['sh', '-c', sysctlsThenIpBatch(b.sysctls)]) : access.ip(b.ns, ['-batch', '-']), input };
}
