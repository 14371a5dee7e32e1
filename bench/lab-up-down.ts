/**
 * Times `dslab up` and `dslab down` as the user waits for them (a fresh `node` process each
 * time, start-up included) on the default lab, and `up`/`down` of a 50-node lab in-process,
 * with the cost per node. Run as root after a build:
 *   node <out>/bench/lab-up-down.js [--runs 10 | --quick] [--nodes 50] [--lab nt9] [--json]
 * Uses the lab name `nt9` (or --lab); removes it at the end, also on failure.
 */
import process from 'node:process';
import { parseArgs } from 'node:util';
import { down } from '../src/backends/netns/down.js';
import { checkLabName } from '../src/backends/netns/lab-name.js';
import { up } from '../src/backends/netns/up.js';
import { loadLab } from '../src/lab/load.js';
import type { Node, Topology } from '../src/lab/topology.js';
import { dslabCli, nodeWallMs, stats } from './bench-lib.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    nodes: { type: 'string', default: '50' },
    lab: { type: 'string', default: 'nt9' },
    json: { type: 'boolean', default: false },
    // from `npm run bench -- --quick`: fewer runs
    quick: { type: 'boolean', default: false },
  },
});
const LAB = checkLabName(values.lab);
const cli = dslabCli();
const wallMs = nodeWallMs;

/** The default lab plus `extra` host nodes on the same network (addresses .100 and up). */
function biggerLab(base: Topology, total: number): Topology {
  const client = base.nodes.find((n) => n.role === 'client')!;
  const extra: Node[] = [];
  for (let i = 0; extra.length < total - base.nodes.length; i++) {
    const host = 100 + i;
    extra.push({ ...client, name: `h${i}`, role: 'host', attachments: [{ network: 'dsnet', ifname: 'eth0', ipv4: `172.30.0.${host}`, ipv6: `fd00:dead:beef::${host.toString(16)}` }] });
  }
  return { ...base, name: LAB, nodes: [...base.nodes, ...extra] };
}

async function main(): Promise<void> {
  const runs = Number(values.runs ?? (values.quick ? '3' : '10'));
  const nodes = Number(values.nodes);
  await down(LAB);
  const node0: number[] = [];
  const version: number[] = [];
  const upMs: number[] = [];
  const downMs: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      node0.push(wallMs(['-e', '0']));
      version.push(wallMs([cli, '--version']));
      upMs.push(wallMs([cli, 'up', '--name', LAB, '--json']));
      downMs.push(wallMs([cli, 'down', '--lab', LAB, '--json']));
    }
    const base = { ...(await loadLab()), name: LAB };
    const small: number[] = [];
    const big: number[] = [];
    const bigDown: number[] = [];
    for (let i = 0; i < Math.max(1, Math.min(3, runs)); i++) {
      let t0 = performance.now();
      await up(base);
      small.push(performance.now() - t0);
      await down(LAB);
      t0 = performance.now();
      await up(biggerLab(base, nodes));
      big.push(performance.now() - t0);
      t0 = performance.now();
      await down(LAB);
      bigDown.push(performance.now() - t0);
    }
    const result = {
      runs,
      loadAverage: (await import('node:os')).loadavg().map((x) => Number(x.toFixed(2))),
      nodeStartMs: stats(node0),
      cliVersionMs: stats(version),
      upCommandMs: stats(upMs),
      downCommandMs: stats(downMs),
      inProcess: {
        up3Ms: stats(small),
        [`up${nodes}Ms`]: stats(big),
        [`down${nodes}Ms`]: stats(bigDown),
        perNodeUpMs: (stats(big).median - stats(small).median) / (nodes - base.nodes.length),
      },
    };
    if (values.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else {
      const f = (s: { median: number; min: number }) => `${s.median.toFixed(0)} ms (min ${s.min.toFixed(0)})`;
      console.log(`load average ${result.loadAverage.join(' ')}, ${runs} runs`);
      console.log(`node -e 0            ${f(result.nodeStartMs)}`);
      console.log(`dslab --version      ${f(result.cliVersionMs)}`);
      console.log(`dslab up (default)   ${f(result.upCommandMs)}`);
      console.log(`dslab down           ${f(result.downCommandMs)}`);
      console.log(`up() 3 nodes         ${f(result.inProcess.up3Ms)}`);
      console.log(`up() ${nodes} nodes        ${f(stats(big))}`);
      console.log(`down() ${nodes} nodes      ${f(stats(bigDown))}`);
      console.log(`per extra node       ${result.inProcess.perNodeUpMs.toFixed(1)} ms`);
    }
  } finally {
    await down(LAB);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
