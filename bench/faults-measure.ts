/**
 * The figures of faults and `dslab measure`, in one run on one lab (as root, after a build):
 *   node <out>/bench/faults-measure.js [--runs 20 | --quick] [--lab fb1] [--no-matrix] [--json]
 * 1. Fault precision: the IPv6 and IPv4 connect() time in the client without faults and
 *    with v6-slow (+300 ms on IPv6), median of N each (one Python process per set).
 * 2. Measurement fidelity: curl on dual-badv6.local under `dslab measure`: the Connection
 *    Attempt Delay derived from packets against curl's own --write-out times
 *    (time_connect − time_namelookup − the IPv4 handshake), median |difference| of N.
 * 3. Capture cost: curl's time_connect to dual-ok.local with and without the capture.
 * 4. The matrix: built-in clients × 6 scenarios, its wall time and what dominates it.
 * Uses the lab `fb1` (or --lab); removes it at the end, also on failure.
 */
import process from 'node:process';
import { parseArgs } from 'node:util';
import { addFaults, removeFaults } from '../src/backends/netns/fault-ops.js';
import { down } from '../src/backends/netns/down.js';
import { runInNode } from '../src/backends/netns/exec.js';
import { checkLabName } from '../src/backends/netns/lab-name.js';
import { up } from '../src/backends/netns/up.js';
import { loadLab } from '../src/lab/load.js';
import { runMatrix } from '../src/measure/matrix.js';
import { measure } from '../src/measure/measure.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    lab: { type: 'string', default: 'fb1' },
    quick: { type: 'boolean', default: false },
    'no-matrix': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const LAB = checkLabName(values.lab);
const RUNS = Number(values.runs ?? (values.quick ? 5 : 20));

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const r2 = (x: number): number => Math.round(x * 100) / 100;

const CONNECTS = `
import socket, sys, time
host, n = sys.argv[1], int(sys.argv[2])
fam = socket.AF_INET6 if ':' in host else socket.AF_INET
out = []
for _ in range(n):
    s = socket.socket(fam); s.settimeout(5)
    t = time.perf_counter(); s.connect((host, 80)); out.append((time.perf_counter() - t) * 1000); s.close()
    time.sleep(0.01)
print(' '.join('%.3f' % x for x in out))
`;

async function connectTimes(host: string): Promise<number[]> {
  const r = await runInNode(LAB, 'client', ['python3', '-c', CONNECTS, host, String(RUNS)]);
  return r.stdout.trim().split(/\s+/).map(Number);
}

async function precision(): Promise<Record<string, number>> {
  const base6 = median(await connectTimes('fd00:dead:beef::10'));
  const base4 = median(await connectTimes('172.30.0.10'));
  const added = await addFaults(LAB, { scenarios: ['v6-slow'] });
  try {
    const slow6 = median(await connectTimes('fd00:dead:beef::10'));
    const slow4 = median(await connectTimes('172.30.0.10'));
    return { base6: r2(base6), base4: r2(base4), slow6: r2(slow6), slow4: r2(slow4), added6: r2(slow6 - base6), added4: r2(slow4 - base4) };
  } finally {
    await removeFaults(LAB, added.map((f) => f.id));
  }
}

const WRITE_OUT = '%{time_namelookup} %{time_connect}';

async function fidelity(): Promise<Record<string, number>> {
  const diffs: number[] = [];
  const fromPackets: number[] = [];
  const fromCurl: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await measure({ lab: LAB, argv: ['curl', '-sS', '-o', '/dev/null', '-w', WRITE_OUT, 'http://dual-badv6.local/'] });
    const [lookup, connect] = r.stdout.trim().split(/\s+/).map((x) => Number(x) * 1000);
    const v4 = r.analysis.attempts.find((a) => a.family === 4);
    const delay = r.verdict.attemptDelay?.ms;
    if (!v4 || v4.endMs === undefined || delay === undefined || lookup === undefined || connect === undefined) throw new Error(`run ${i}: no fallback seen: ${JSON.stringify(r.analysis.attempts)}`);
    const curls = connect - lookup - (v4.endMs - v4.startMs);
    fromPackets.push(delay);
    fromCurl.push(curls);
    diffs.push(Math.abs(delay - curls));
  }
  return { packetsMedian: r2(median(fromPackets)), curlMedian: r2(median(fromCurl)), absDiffMedian: r2(median(diffs)), absDiffMax: r2(Math.max(...diffs)) };
}

async function captureCost(): Promise<Record<string, number>> {
  const plain: number[] = [];
  const captured: number[] = [];
  const args = ['curl', '-sS', '-o', '/dev/null', '-w', '%{time_connect}', 'http://dual-ok.local/'];
  for (let i = 0; i < RUNS; i++) {
    // alternate, so that drift in the machine's load falls on both sides
    plain.push(Number((await runInNode(LAB, 'client', args)).stdout) * 1000);
    captured.push(Number((await measure({ lab: LAB, argv: args })).stdout) * 1000);
  }
  return { withoutMs: r2(median(plain)), withMs: r2(median(captured)), addedMs: r2(median(captured) - median(plain)) };
}

async function matrix(): Promise<Record<string, unknown>> {
  const m = await runMatrix({ lab: LAB });
  const clientWall = m.cells.reduce((s, c) => s + c.wallMs, 0);
  const byScenario: Record<string, number> = {};
  for (const c of m.cells) byScenario[c.scenario] = r2((byScenario[c.scenario] ?? 0) + c.wallMs / 1000);
  return { runs: m.cells.length, clients: m.clients.length, wallS: r2(m.ms / 1000), clientsOwnS: r2(clientWall / 1000), overheadS: r2((m.ms - clientWall) / 1000), byScenarioS: byScenario };
}

async function main(): Promise<void> {
  const topology = { ...(await loadLab()), name: LAB };
  await down(LAB);
  await up(topology);
  try {
    const out: Record<string, unknown> = { runs: RUNS };
    out['precision'] = await precision();
    out['fidelity'] = await fidelity();
    out['capture'] = await captureCost();
    if (!values['no-matrix']) out['matrix'] = await matrix();
    if (values.json) console.log(JSON.stringify(out, null, 2));
    else {
      const p = out['precision'] as Record<string, number>;
      const f = out['fidelity'] as Record<string, number>;
      const c = out['capture'] as Record<string, number>;
      console.log(`fault precision (v6-slow, +300 ms, median of ${RUNS} connects): IPv6 ${p['base6']} -> ${p['slow6']} ms (+${p['added6']}), IPv4 ${p['base4']} -> ${p['slow4']} ms (+${p['added4']})`);
      console.log(`fidelity (curl, dual-badv6.local, ${RUNS} runs): attempt delay from packets ${f['packetsMedian']} ms, from curl's write-out ${f['curlMedian']} ms, |difference| median ${f['absDiffMedian']} ms, max ${f['absDiffMax']} ms`);
      console.log(`capture cost (curl time_connect, dual-ok.local, median of ${RUNS}): without ${c['withoutMs']} ms, with ${c['withMs']} ms (+${c['addedMs']} ms)`);
      if (out['matrix']) console.log(`matrix: ${JSON.stringify(out['matrix'])}`);
    }
  } finally {
    await down(LAB);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
