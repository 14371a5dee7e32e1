/**
 * Benchmark of the Happy Eyeballs connector against other clients, in a real lab (he3):
 * dslab happy (fresh and cached), dslab sequential, curl, Node's net.connect with
 * autoSelectFamily, Python's asyncio.open_connection(happy_eyeballs_delay=0.25), and a direct
 * net.connect to the IPv6 address as the floor. Every figure is call-to-connected, name
 * resolution included, measured inside the client node; median, p90 and max of N runs.
 *
 *   node dist/bench/connector-bench.js [--runs 50 | --quick] [--json]
 *
 * Needs root (namespaces), curl and python3 in the lab's client node (the machine's own).
 */
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { up } from '../src/backends/netns/up.js';
import { down } from '../src/backends/netns/down.js';
import { runInNode } from '../src/backends/netns/exec.js';
import { loadLab } from '../src/lab/load.js';
import { record } from '../test/helpers/dns-lab.js';
import { compiledSrcDir } from '../src/util/package-root.js';

const LAB = 'he3';
const DEAD6 = 'fd00:dead:beef::9999';

const PY = `
import asyncio, json, subprocess, sys, time
host, port, runs, flush = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
async def once():
    t0 = time.perf_counter()
    r, w = await asyncio.open_connection(host, port, happy_eyeballs_delay=0.25)
    ms = (time.perf_counter() - t0) * 1000
    w.close()
    return ms
async def main():
    times, errors = [], []
    for i in range(runs + 1):
        if flush != '-':
            subprocess.run(['ip', '-6', 'neigh', 'flush', 'to', flush], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            ms = await once()
            if i > 0: times.append(ms)
        except Exception as e:
            errors.append(type(e).__name__)
    print(json.dumps({'times': times, 'errors': errors}))
asyncio.run(main())
`;

export interface Stats {
  n: number;
  median: number;
  p90: number;
  max: number;
  errors: number;
}

function stats(times: number[], errors: number): Stats {
  const s = [...times].sort((a, b) => a - b);
  const q = (p: number): number => (s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!);
  return { n: s.length, median: q(0.5), p90: q(0.9), max: s.length ? s[s.length - 1]! : Number.NaN, errors };
}


interface Row {
  client: string;
  target: string;
  stats: Stats;
}

async function worker(client: string, host: string, runs: number, flush?: string): Promise<Stats> {
  const script = join(compiledSrcDir(), '..', 'bench', 'connector-bench-worker.js');
  const r = await runInNode(LAB, 'client', [process.execPath, script, client, host, '80', String(runs), ...(flush ? [flush] : [])], { timeoutMs: 600_000 });
  const out = JSON.parse(r.stdout) as { times: number[]; errors: string[] };
  return stats(out.times, out.errors.length);
}

async function curl(host: string, runs: number, flush?: string): Promise<Stats> {
  const times: number[] = [];
  let errors = 0;
  for (let i = 0; i <= runs; i++) {
    if (flush) await runInNode(LAB, 'client', ['ip', '-6', 'neigh', 'flush', 'to', flush], { allowFailure: true });
    const r = await runInNode(LAB, 'client', ['curl', '-s', '-o', '/dev/null', '--connect-timeout', '5', '-w', '%{time_connect}', `http://${host}/`], { allowFailure: true });
    if (r.code !== 0) errors++;
    else if (i > 0) times.push(Number(r.stdout) * 1000);
  }
  return stats(times, errors);
}

async function python(host: string, runs: number, flush?: string): Promise<Stats> {
  const r = await runInNode(LAB, 'client', ['python3', '-c', PY, host, '80', String(runs), flush ?? '-'], { timeoutMs: 600_000 });
  const out = JSON.parse(r.stdout) as { times: number[]; errors: string[] };
  return stats(out.times, out.errors.length);
}

export async function runBench(runs = 50, progress: (m: string) => void = () => undefined): Promise<Row[]> {
  const topology = await loadLab();
  topology.name = LAB;
  topology.records = [...topology.records, record('refuse6.local', 'AAAA', 'fd00:dead:beef::53'), record('refuse6.local', 'A', '172.30.0.10')];
  await down(LAB);
  await up(topology);
  const rows: Row[] = [];
  const add = async (client: string, target: string, f: () => Promise<Stats>): Promise<void> => {
    progress(`${client} -> ${target}`);
    rows.push({ client, target, stats: await f() });
  };
  try {
    const targets: Array<[string, string | undefined]> = [
      ['dual-badv6.local', DEAD6],
      ['dual-ok.local', undefined],
      ['refuse6.local', undefined],
    ];
    for (const [host, flush] of targets) {
      await add('dslab happy (fresh)', host, () => worker('dslab-happy', host, runs, flush));
      await add('dslab happy (cached)', host, () => worker('dslab-cached', host, runs, flush));
      await add('dslab sequential', host, () => worker('dslab-sequential', host, runs, flush));
      await add('curl', host, () => curl(host, runs, flush));
      await add('node autoSelectFamily', host, () => worker('node-autoselect', host, runs, flush));
      await add('python asyncio (0.25 s)', host, () => python(host, runs, flush));
    }
    await add('net.connect direct', 'fd00:dead:beef::10', () => worker('node-direct', 'fd00:dead:beef::10', runs));
  } finally {
    await down(LAB);
  }
  return rows;
}

export function markdown(rows: Row[]): string[] {
  const f = (n: number): string => (Number.isNaN(n) ? '-' : n.toFixed(1));
  const lines = ['| target | client | runs | median ms | p90 ms | max ms | errors |', '|---|---|---:|---:|---:|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.target} | ${r.client} | ${r.stats.n} | ${f(r.stats.median)} | ${f(r.stats.p90)} | ${f(r.stats.max)} | ${r.stats.errors} |`);
  return lines;
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--runs');
  const runs = i >= 0 ? Number(process.argv[i + 1]) : process.argv.includes('--quick') ? 10 : 50;
  const rows = await runBench(runs, (m) => process.stderr.write(`  ... ${m}\n`));
  if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  else process.stdout.write(markdown(rows).join('\n') + '\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    process.stderr.write(`connector bench: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 1;
  });
}
