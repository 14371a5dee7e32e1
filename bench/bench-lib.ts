/**
 * What the benchmark scripts share: the `dslab` command as the user runs it, the wall time of
 * a fresh `node` process, the median/min/max of a series, and the large single-network lab
 * that bench/lab-up-down.ts and test/large-lab.test.ts build.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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

/**
 * One network 10.77.0.0/20 + fd00:77::/64 with web, dns and client and `total - 3` hosts, as the
 * scale issue's new user wrote it (a /20 holds 4,094 addresses).
 */
export function scaleLabYaml(name: string, total: number): string {
  const lines = [`name: ${name}`, 'networks:', '  - { name: net, ipv4: 10.77.0.0/20, ipv6: "fd00:77::/64" }', 'nodes:'];
  lines.push('  - { name: web, role: web, addresses: { net: { ipv4: 10.77.0.10, ipv6: "fd00:77::10" } } }');
  lines.push('  - { name: dns, role: dns, addresses: { net: { ipv4: 10.77.0.53, ipv6: "fd00:77::53" } } }');
  lines.push('  - { name: client, role: client, addresses: { net: { ipv4: 10.77.0.20, ipv6: "fd00:77::20" } } }');
  for (let i = 0; i < total - 3; i++) {
    const a = 256 + i;
    lines.push(`  - { name: h${i}, role: host, addresses: { net: { ipv4: 10.77.${a >> 8}.${a & 255}, ipv6: "fd00:77::${a.toString(16)}" } } }`);
  }
  lines.push('records:', '  - { name: www.scale.test, a: 10.77.0.10, aaaa: "fd00:77::10" }');
  return lines.join('\n') + '\n';
}

function cpuTimes(): { idle: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { idle: (fields[3] ?? 0) + (fields[4] ?? 0), total: fields.reduce((a, b) => a + b, 0) };
}

/**
 * Waits until the machine is quiet (at least `idle` of the CPU time idle over half a second),
 * at most `maxMs`; returns the ms waited. The kernel tears a deleted namespace down in the
 * background after `ip netns del` returns, so a large lab's `down` keeps the cores busy for
 * seconds, which would be charged to the next measurement.
 */
export async function settle(idle = 0.85, maxMs = 30_000): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < maxMs) {
    const a = cpuTimes();
    await new Promise((r) => setTimeout(r, 500));
    const b = cpuTimes();
    if ((b.idle - a.idle) / Math.max(1, b.total - a.total) >= idle) break;
  }
  return performance.now() - t0;
}
