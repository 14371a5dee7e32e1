/**
 * What the benchmark scripts share: the `dslab` command as the user runs it, the wall time of
 * a fresh `node` process, and the median/min/max of a series.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { compiledSrcDir } from '../src/util/package-root.js';

/** The `dslab` bin (the bundle `npm run build` makes); main.js where a build has no bundle (a bare tsc output folder). */
export function dslabCli(): string {
  const bundled = join(compiledSrcDir(), 'cli', 'dslab.js');
  return existsSync(bundled) ? bundled : join(compiledSrcDir(), 'cli', 'main.js');
}

/** Runs `node ARGS` to the end and returns its wall time in ms; throws with its stderr when it fails. */
export function nodeWallMs(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (exit ${r.status}): ${r.stderr.toString()}`);
  return ms;
}

/** The median (upper middle of an even series), minimum and maximum. */
export function stats(xs: readonly number[]): { median: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s[s.length - 1]! };
}
