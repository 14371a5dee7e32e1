/**
 * Benchmark of the whole `dslab run` (up, all experiments, report, down) on the default lab
 * under the lab name ex1: wall time per run and its parts, median of N runs.
 * Usage: node <out>/bench/run-wall.js [N] [--quick] [--name LAB]   (as root; targets only the
 * lab's namespaces). N defaults to 5; --quick makes it 2 (for `npm run bench -- --quick`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { compiledSrcDir } from '../src/util/package-root.js';
import { run } from '../src/util/run.js';
import type { RunReport } from '../src/experiments/types.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const nameAt = argv.indexOf('--name');
  const lab = nameAt >= 0 ? argv[nameAt + 1]! : 'ex1';
  const positional = argv.find((a, i) => /^\d+$/.test(a) && argv[i - 1] !== '--name');
  const n = positional !== undefined ? Number(positional) : argv.includes('--quick') ? 2 : 5;
  const out = mkdtempSync(join(tmpdir(), 'dslab-bench-run-'));
  const rows: Array<{ wall: number; up: number; exp: number; down: number; he: number; seq: number }> = [];
  try {
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const r = await run(process.execPath, [join(compiledSrcDir(), 'cli', 'main.js'), 'run', '--json', '--name', lab, '--out', out], { allowFailure: true, timeoutMs: 60_000 });
      const wall = performance.now() - t0;
      let report: RunReport;
      try {
        report = JSON.parse(r.stdout) as RunReport;
      } catch {
        throw new Error(`dslab run printed no JSON (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
      }
      const fb = (id: string) => Number(report.checks.find((c) => c.id === id)?.data?.fallbackMs ?? NaN);
      rows.push({ wall, up: report.timings.upMs, exp: report.timings.experimentsMs, down: report.timings.downMs, he: fb('fallback.broken.happy'), seq: fb('fallback.broken.sequential') });
      process.stdout.write(`run ${i + 1}: wall ${wall.toFixed(0)} ms (exit ${r.code}), up ${report.timings.upMs.toFixed(0)}, experiments ${report.timings.experimentsMs.toFixed(0)}, down ${report.timings.downMs.toFixed(0)}; HE fallback ${fb('fallback.broken.happy').toFixed(1)} ms, sequential ${fb('fallback.broken.sequential').toFixed(1)} ms\n`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const m = (k: keyof (typeof rows)[number]) => median(rows.map((r) => r[k])).toFixed(0);
  process.stdout.write(`median of ${n}: wall ${m('wall')} ms (up ${m('up')}, experiments ${m('exp')}, down ${m('down')}); HE fallback ${m('he')} ms, sequential ${m('seq')} ms\n`);
}

void main();
