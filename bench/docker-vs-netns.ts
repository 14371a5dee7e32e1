/**
 * `up` and `down` of the same lab (the default lab, under the name `dk2`; with `--nodes N` the
 * scale lab of N nodes on one network, bench-lib's scaleLabYaml) with the Docker backend and
 * with the namespace backend, side by side in one run, in-process (no CLI start-up). The Docker side uses the hermetic engine (docker/engine.sh) and the local images
 * (docker/build-images.sh), started here unless one answers, and stopped again if started here.
 * Run as root after a build:
 *   node <out>/bench/docker-vs-netns.js [--runs 5 | --quick] [--nodes 50] [--name dk2] [--json]
 */
import process from 'node:process';
import { parseArgs } from 'node:util';
import { dockerDown, dockerUp } from '../src/backends/docker/backend.js';
import { loadLab, parseLab } from '../src/lab/load.js';
import { scaleLabYaml } from './bench-lib.js';
import { dockerSkipReason, withHermeticEngine } from '../test/helpers/docker-engine.js';

let LAB = 'dk2';

interface Row {
  backend: string;
  up: number[];
  down: number[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function main(): Promise<void> {
  // --quick (from `npm run bench -- --quick`) makes it 1 run of each
  const { values } = parseArgs({
    options: { runs: { type: 'string' }, nodes: { type: 'string' }, quick: { type: 'boolean', default: false }, name: { type: 'string', default: LAB }, json: { type: 'boolean', default: false } },
  });
  const runs = Number(values.runs ?? (values.quick ? 1 : 5));
  // another lab name, so that the benchmark never meets a lab someone else has up
  const { checkLabName } = await import('../src/backends/netns/lab-name.js');
  LAB = checkLabName(values.name, '--name');
  const skip = dockerSkipReason();
  if (skip) throw new Error(`cannot run: ${skip}`);
  const nodes = values.nodes === undefined ? undefined : Number(values.nodes);
  if (nodes !== undefined && !(Number.isInteger(nodes) && nodes >= 4)) throw new Error(`--nodes must be a whole number of 4 or more, got "${values.nodes}"`);
  const topology = nodes === undefined ? { ...(await loadLab()), name: LAB } : parseLab(scaleLabYaml(LAB, nodes), `<${nodes} nodes>`);
  const rows: Row[] = [];

  const netns = await import('../src/backends/netns/index.js');
  const n: Row = { backend: 'netns (namespaces)', up: [], down: [] };
  for (let i = 0; i < runs; i++) {
    n.up.push(await time(() => netns.up(topology, { replace: false })));
    n.down.push(await time(() => netns.down(LAB)));
  }
  rows.push(n);

  await withHermeticEngine(async () => {
    const d: Row = { backend: 'docker (docker-compose 1.29, engine 20.10)', up: [], down: [] };
    for (let i = 0; i < runs; i++) {
      d.up.push(await time(() => dockerUp(topology)));
      d.down.push(await time(() => dockerDown(LAB)));
    }
    rows.push(d);
  });

  if (values.json) {
    process.stdout.write(JSON.stringify({ runs, nodes: topology.nodes.length, rows }, null, 2) + '\n');
    return;
  }
  process.stdout.write(`${topology.nodes.length} nodes\n`);
  process.stdout.write(`| Backend | up (median of ${runs}) | up min..max | down (median) | down min..max |\n| --- | --- | --- | --- | --- |\n`);
  for (const r of rows) {
    const f = (x: number) => `${Math.round(x)} ms`;
    process.stdout.write(`| ${r.backend} | ${f(median(r.up))} | ${f(Math.min(...r.up))}..${f(Math.max(...r.up))} | ${f(median(r.down))} | ${f(Math.min(...r.down))}..${f(Math.max(...r.down))} |\n`);
  }
}

main().catch(async (err: unknown) => {
  process.stderr.write(`docker-vs-netns: ${(err as Error).stack ?? String(err)}\n`);
  // leave nothing behind
  const netns = await import('../src/backends/netns/index.js').catch(() => undefined);
  await netns?.down(LAB).catch(() => undefined);
  process.exitCode = 1;
});
