/**
 * Times the NAT64 lab, as root after a build:
 *   node <out>/bench/nat64.js [--runs 5 | --quick] [--connects 300] [--json]
 * - `dslab up examples/nat64.yaml` as the user waits for it (a fresh `node` process, start-up
 *   included) and its `down`;
 * - with that lab up, from its IPv6-only client: TCP connects and HTTP GETs (new connection each)
 *   to the IPv4-only web server through the translator (its DNS64 address fd00:64::ac1e:a, so
 *   Tayga and the masquerade) and, interleaved with them, to the dual-stack web6 over native
 *   IPv6 (fd00:dead:beef::11), the same number of hops away. The medians' difference is what
 *   NAT64 adds.
 * Lab name bn64; removed at the end, also on failure.
 */
import { join } from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { down } from '../src/backends/netns/down.js';
import { runInNode } from '../src/backends/netns/exec.js';
import { compiledSrcDir, packageRoot } from '../src/util/package-root.js';
import { dslabCli, nodeWallMs, stats } from './bench-lib.js';

const { values } = parseArgs({ options: { runs: { type: 'string' }, connects: { type: 'string' }, json: { type: 'boolean', default: false }, quick: { type: 'boolean', default: false } } });
const RUNS = Number(values.runs ?? (values.quick ? 2 : 5));
const CONNECTS = Number(values.connects ?? (values.quick ? 50 : 300));
const LAB = 'bn64';
const TRANSLATED = 'fd00:64::ac1e:a';
const NATIVE = 'fd00:dead:beef::11';
const cli = dslabCli();
const file = join(packageRoot(), 'examples', 'nat64.yaml');

interface Paths {
  connectMs: number[];
  getMs: number[];
}

async function main(): Promise<void> {
  const result = { runs: RUNS, connects: CONNECTS, upMs: [] as number[], downMs: [] as number[], translated: { address: TRANSLATED } as Partial<Paths> & { address: string }, native: { address: NATIVE } as Partial<Paths> & { address: string } };
  try {
    for (let i = 0; i < RUNS; i++) {
      result.upMs.push(nodeWallMs([cli, 'up', file, '--name', LAB, '--json']));
      if (i === RUNS - 1) {
        const worker = join(compiledSrcDir(), '..', 'bench', 'nat64-worker.js');
        const r = await runInNode(LAB, 'client', [process.execPath, worker, String(CONNECTS), '20', TRANSLATED, NATIVE], { timeoutMs: 600_000 });
        const out = JSON.parse(r.stdout) as Record<string, Paths>;
        Object.assign(result.translated, out[TRANSLATED]);
        Object.assign(result.native, out[NATIVE]);
      }
      result.downMs.push(nodeWallMs([cli, 'down', '--lab', LAB, '--json']));
    }
  } finally {
    await down(LAB).catch(() => undefined);
  }
  if (values.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  const ms = (x: number) => `${x.toFixed(3)} ms`;
  const f = (xs: number[]) => `${Math.round(stats(xs).median)} ms (min ${Math.round(stats(xs).min)}, ${xs.length} runs)`;
  console.log(`dslab up examples/nat64.yaml   ${f(result.upMs)}   target <= 1000 ms`);
  console.log(`dslab down (nat64)             ${f(result.downMs)}`);
  for (const kind of ['connectMs', 'getMs'] as const) {
    const t = stats(result.translated[kind]!);
    const n = stats(result.native[kind]!);
    const label = kind === 'connectMs' ? 'TCP connect' : 'HTTP GET   ';
    console.log(`${label} via NAT64 ${TRANSLATED}  median ${ms(t.median)} (min ${ms(t.min)})  native ${NATIVE}  median ${ms(n.median)} (min ${ms(n.min)})  NAT64 adds ${ms(t.median - n.median)}${kind === 'connectMs' ? '  target <= 1 ms' : ''}  (${CONNECTS} each, interleaved)`);
  }
}

await main();
