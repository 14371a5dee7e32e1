/**
 * Times `dslab up` and `dslab down` as the user waits for them (a fresh `node` process each
 * time, start-up included) on the default lab, and `up`/`down` in-process of labs of each size
 * in --nodes (3: the default lab; more: one /20 network with web, dns, client and hosts), with
 * the cost per node and the step times. Run as root after a build:
 *   node <out>/bench/lab-up-down.js [--runs 10 | --quick] [--nodes 3,50,200,500,1000] [--tune-kernel] [--lab nt9] [--json]
 * --tune-kernel raises the neighbour-table limits a lab of 500+ nodes needs and puts them back
 * at the end.
 * Uses the lab name `nt9` (or --lab); removes it at the end, also on failure.
 */
import process from 'node:process';
import { parseArgs } from 'node:util';
import { down } from '../src/backends/netns/down.js';
import { checkLabName } from '../src/backends/netns/lab-name.js';
import { up } from '../src/backends/netns/up.js';
import { readFileSync, writeFileSync } from 'node:fs';
import type { KernelChange } from '../src/backends/netns/kernel-limits.js';
import { sysctlPath } from '../src/backends/netns/plan.js';
import { loadLab, parseLab } from '../src/lab/load.js';
import { dslabCli, nodeWallMs, scaleLabYaml, settle, stats } from './bench-lib.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    nodes: { type: 'string', default: '3,50' },
    // raise the neighbour-table limits a large lab needs (root; put back at the end)
    'tune-kernel': { type: 'boolean', default: false },
    lab: { type: 'string', default: 'nt9' },
    json: { type: 'boolean', default: false },
    // from `npm run bench -- --quick`: fewer runs
    quick: { type: 'boolean', default: false },
  },
});
const LAB = checkLabName(values.lab);
const cli = dslabCli();
const wallMs = nodeWallMs;

/** Puts back the neighbour-table limits `--tune-kernel` raised, where nobody changed them since. */
function restoreKernel(changes: readonly KernelChange[]): void {
  for (const c of [...changes].reverse()) {
    const path = sysctlPath(c.sysctl);
    if (Number(readFileSync(path, 'utf8')) === c.to) writeFileSync(path, `${c.from}\n`);
  }
}

async function main(): Promise<void> {
  const runs = Number(values.runs ?? (values.quick ? '3' : '10'));
  const sizes = String(values.nodes).split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 3 || n > 4000)) throw new Error(`--nodes ${values.nodes}: give node counts from 3 to 4000, e.g. --nodes 3,50,200,500,1000`);
  await down(LAB);
  const node0: number[] = [];
  const version: number[] = [];
  const upMs: number[] = [];
  const downMs: number[] = [];
  const changed: KernelChange[] = [];
  // how long each in-process run waited for the machine to be quiet first (the kernel's teardown of the previous lab)
  const settledMs: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      node0.push(wallMs(['-e', '0']));
      version.push(wallMs([cli, '--version']));
      upMs.push(wallMs([cli, 'up', '--name', LAB, '--json']));
      downMs.push(wallMs([cli, 'down', '--lab', LAB, '--json']));
    }
    const base = { ...(await loadLab()), name: LAB };
    const rows: Array<{ nodes: number; upMs: ReturnType<typeof stats>; downMs: ReturnType<typeof stats>; perNodeUpMs: number; perNodeDownMs: number; steps: Record<string, number> }> = [];
    for (const n of sizes) {
      // the default lab itself for 3; the single /20 network of the scale issue for more
      const topology = n === 3 ? base : parseLab(scaleLabYaml(LAB, n), `<bench: ${n}-node lab>`);
      const ups: number[] = [];
      const downs: number[] = [];
      let steps: Record<string, number> = {};
      const repeat = n >= 500 ? 1 : Math.max(1, Math.min(3, runs));
      for (let i = 0; i < repeat; i++) {
        const waited = await settle();
        settledMs.push(Math.round(waited));
        let t0 = performance.now();
        const r = await up(topology, { tuneKernel: values['tune-kernel'] });
        ups.push(performance.now() - t0);
        changed.push(...r.kernelChanges);
        steps = Object.fromEntries(r.steps.map((st) => [st.step, Math.round(st.ms)]));
        t0 = performance.now();
        await down(LAB);
        downs.push(performance.now() - t0);
      }
      const u = stats(ups);
      const d = stats(downs);
      rows.push({ nodes: n, upMs: u, downMs: d, perNodeUpMs: u.median / n, perNodeDownMs: d.median / n, steps });
      if (!values.json) console.error(`  ... ${n} nodes: up ${u.median.toFixed(0)} ms, down ${d.median.toFixed(0)} ms`);
    }
    const result = {
      runs,
      loadAverage: (await import('node:os')).loadavg().map((x) => Number(x.toFixed(2))),
      nodeStartMs: stats(node0),
      cliVersionMs: stats(version),
      upCommandMs: stats(upMs),
      downCommandMs: stats(downMs),
      inProcess: rows,
      kernelChanges: changed,
      settledMs,
    };
    if (values.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else {
      const f = (s: { median: number; min: number }) => `${s.median.toFixed(0)} ms (min ${s.min.toFixed(0)})`;
      console.log(`load average ${result.loadAverage.join(' ')}, ${runs} runs`);
      console.log(`node -e 0            ${f(result.nodeStartMs)}`);
      console.log(`dslab --version      ${f(result.cliVersionMs)}`);
      console.log(`dslab up (default)   ${f(result.upCommandMs)}`);
      console.log(`dslab down           ${f(result.downCommandMs)}`);
      console.log(`waited for a quiet machine before each in-process run: ${settledMs.join(', ')} ms`);
      console.log('NODES  up()                 down()              up per node  down per node  steps (last run, ms)');
      for (const r of rows) {
        console.log(`${String(r.nodes).padEnd(6)} ${f(r.upMs).padEnd(20)} ${f(r.downMs).padEnd(19)} ${r.perNodeUpMs.toFixed(1).padStart(8)} ms  ${r.perNodeDownMs.toFixed(2).padStart(10)} ms  ${Object.entries(r.steps).filter(([, ms]) => ms >= 5).map(([k, ms]) => `${k} ${ms}`).join(', ')}`);
      }
    }
  } finally {
    await down(LAB);
    restoreKernel(changed);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
