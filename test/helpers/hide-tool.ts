/**
 * Runs the compiled dslab CLI with one tool really missing, not mocked: inside a private mount
 * namespace (unshare -m), /dev/null, which nobody can execute, is bind-mounted over the tool's
 * binary; the machine's own tool is untouched and the mount goes away with the namespace.
 */
import { realpathSync } from 'node:fs';
import { findProgram } from '../../src/util/find-program.js';
import { run, type RunOptions, type RunResult } from '../../src/util/run.js';
import { cliPath } from './netns-lab.js';

// runs inside the private mount namespace: hide the tool, then run dslab there
const INNER = `
const { execFileSync, spawnSync } = require('node:child_process');
const [tool, cli, ...args] = process.argv.slice(1);
execFileSync('mount', ['--bind', '/dev/null', tool]);
const r = spawnSync(process.execPath, [cli, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
process.exit(r.status ?? 1);
`;

/** Why dslabWithoutTool cannot run here, or undefined. */
export function hideToolSkipReason(tool: string): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (mount --bind)';
  if (!findProgram('unshare') || !findProgram('mount')) return 'needs unshare and mount (util-linux)';
  if (!findProgram(tool)) return `${tool} is not installed, so there is nothing to hide`;
  return undefined;
}

export function dslabWithoutTool(tool: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const path = realpathSync(findProgram(tool)!);
  return run(findProgram('unshare')!, ['--mount', '--propagation', 'private', '--', process.execPath, '-e', INNER, path, cliPath(), ...args], {
    allowFailure: true,
    ...options,
  });
}
