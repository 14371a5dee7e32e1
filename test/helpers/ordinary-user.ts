/**
 * Running dslab as an ordinary user, as a new user would: when the tests run as root, as the
 * user nobody (setpriv, util-linux; nobody's home is /nonexistent); otherwise as the user
 * running them. The environment is the test's own with HOME=/nonexistent (nobody's) and
 * without XDG_RUNTIME_DIR, XDG_CACHE_HOME or DSLAB_STATE_ROOT unless the test sets them, so
 * that dslab picks its state folder itself: /tmp/dslab-<uid>.
 *
 *   const user = ordinaryUser();
 *   const r = await user.dslab(['up', '--name', 'hs1', '--json'], { HOME: '/nonexistent' });
 */
import { existsSync } from 'node:fs';
import process from 'node:process';
import { run, type RunResult } from '../../src/util/run.js';
import { cliPath } from './netns-lab.js';

export const NOBODY = 65534;

export interface OrdinaryUser {
  uid: number;
  /** argv prefix that runs a program as this user (empty when the tests already run as one). */
  prefix: string[];
  /** The environment dslab gets: HOME=/nonexistent, no XDG_RUNTIME_DIR, XDG_CACHE_HOME or DSLAB_STATE_ROOT, plus `extra`. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /** Runs the compiled CLI as this user; never throws on a non-zero exit. */
  dslab(args: readonly string[], extra?: NodeJS.ProcessEnv): Promise<RunResult>;
  /** Runs any program as this user. */
  run(argv: readonly string[], extra?: NodeJS.ProcessEnv): Promise<RunResult>;
}

export function ordinaryUser(): OrdinaryUser {
  const asRoot = process.getuid?.() === 0;
  const uid = asRoot ? NOBODY : process.getuid?.() ?? -1;
  const prefix = asRoot ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'] : [];
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = { ...process.env, HOME: '/nonexistent' };
    for (const k of ['XDG_RUNTIME_DIR', 'XDG_CACHE_HOME', 'DSLAB_STATE_ROOT', 'DSLAB_ROOTLESS']) delete e[k];
    return { ...e, ...extra };
  };
  const runAs = (argv: readonly string[], extra?: NodeJS.ProcessEnv): Promise<RunResult> => {
    const [file, ...args] = [...prefix, ...argv];
    return run(file!, args, { env: env(extra), allowFailure: true, timeoutMs: 60_000 });
  };
  return { uid, prefix, env, run: runAs, dslab: (args, extra) => runAs([process.execPath, cliPath(), ...args], extra) };
}

/** Why dslab cannot be run as an ordinary user here (undefined: it can). */
export async function ordinaryUserSkipReason(needLab: boolean): Promise<string | undefined> {
  if (process.platform !== 'linux') return 'needs Linux';
  const user = ordinaryUser();
  if (user.prefix.length > 0 && !existsSync('/usr/bin/setpriv')) return 'needs setpriv (util-linux) to run as the user nobody';
  const read = await user.run([process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(cliPath())})`]);
  if (read.code !== 0) return `the user with uid ${user.uid} cannot read the compiled dslab (check folder permissions)`;
  if (needLab) {
    if (!existsSync('/proc/sys/net/ipv6')) return 'IPv6 is disabled in this kernel';
    const probe = await user.run(['unshare', '--user', '--map-root-user', '--net', '--mount', 'true']);
    if (probe.code !== 0) return `unprivileged user namespaces are not available here: ${probe.stderr.trim()} (see "dslab doctor")`;
  }
  return undefined;
}
