/**
 * DNS benchmark: dslab's DNS server (query logging on, to a file) against dnsmasq serving the
 * same records, both measured with Debian's dnsperf at saturation and at a fixed 5,000 q/s.
 * Everything runs on loopback inside a private network namespace `dslabbench-dns`, made here
 * and removed in the end (also on failure and Ctrl-C); the processes started are tracked by PID.
 *
 *   node dist/bench/dns-throughput.js [--seconds 10 | --quick] [--json]
 *
 * Needs root, ip (iproute2), dnsperf, dnsmasq and dig (dnsutils). Prints a Markdown table.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { findProgram } from '../src/util/find-program.js';
import { run } from '../src/util/run.js';
import { compiledSrcDir } from '../src/util/package-root.js';
import { articleTopology } from '../test/helpers/dns-lab.js';
import { buildDnsConfig } from '../src/services/dns/config.js';

const NAMESPACE = 'dslabbench-dns';
const OURS_PORT = 5300;
const DNSMASQ_PORT = 5301;
const CLIENTS = 10;
const FIXED_QPS = 5000;

/** A mix of what clients ask in the lab: answers, NODATA and NXDOMAIN. */
const QUERIES = [
  'dual-ok.local A',
  'dual-ok.local AAAA',
  'dual-badv6.local A',
  'dual-badv6.local AAAA',
  'v4only.local AAAA', // NODATA
  'v4only.local A',
  'no-such-name.local A', // NXDOMAIN
  'web.local AAAA',
];

export interface PerfResult {
  server: string;
  mode: string;
  qps: number;
  sent: number;
  completed: number;
  lost: number;
  avgLatencyMs: number;
  maxLatencyMs: number;
  rcodes: string;
}

function parseDnsperf(out: string): Omit<PerfResult, 'server' | 'mode'> {
  const num = (re: RegExp): number => {
    const m = re.exec(out);
    if (!m) throw new Error(`dnsperf output lacks ${re}:\n${out}`);
    return Number(m[1]);
  };
  return {
    sent: num(/Queries sent:\s+(\d+)/),
    completed: num(/Queries completed:\s+(\d+)/),
    lost: num(/Queries lost:\s+(\d+)/),
    qps: num(/Queries per second:\s+([\d.]+)/),
    avgLatencyMs: num(/Average Latency \(s\):\s+([\d.]+)/) * 1000,
    maxLatencyMs: num(/Average Latency \(s\):.*max ([\d.]+)\)/) * 1000,
    rcodes: (/Response codes:\s+(.*)/.exec(out)?.[1] ?? '').trim(),
  };
}

function inNamespace(argv: string[]): [string, string[]] {
  return ['ip', ['netns', 'exec', NAMESPACE, ...argv]];
}

async function waitForReady(child: ChildProcess, what: string, stderr: () => string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within 10 s: ${stderr()}`)), 10_000);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready\n')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) before it was ready: ${stderr()}`));
    });
  });
}

/** Polls with dig inside the namespace until the server answers. */
async function waitForAnswer(port: number, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const [file, args] = inNamespace(['dig', '@127.0.0.1', '-p', String(port), 'dual-ok.local', 'A', '+short', '+time=1', '+tries=1']);
    const r = await run(file, args, { allowFailure: true });
    if (r.stdout.trim() === '172.30.0.10') return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`${what} did not answer on port ${port}`);
}

class Bench {
  readonly #children: ChildProcess[] = [];
  #nsCreated = false;
  #dir: string | undefined;

  async setUp(): Promise<string> {
    const existing = await run('ip', ['netns', 'list'], {});
    if (existing.stdout.split('\n').some((l) => l.split(' ')[0] === NAMESPACE)) {
      throw new Error(`namespace ${NAMESPACE} already exists (left by an interrupted run?): remove it with "ip netns del ${NAMESPACE}" and run again.`);
    }
    await run('ip', ['netns', 'add', NAMESPACE]);
    this.#nsCreated = true;
    await run('ip', ['-n', NAMESPACE, 'link', 'set', 'lo', 'up']);
    this.#dir = await mkdtemp(join(tmpdir(), 'dslab-bench-dns-'));
    return this.#dir;
  }

  spawn(argv: string[]): { child: ChildProcess; stderr: () => string } {
    const [file, args] = inNamespace(argv);
    // ip netns exec execs the program itself, so this PID is the server's
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#children.push(child);
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.stdout!.resume();
    return { child, stderr: () => err };
  }

  async tearDown(): Promise<void> {
    for (const child of this.#children) {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await gone;
        clearTimeout(timer);
      }
    }
    if (this.#nsCreated) {
      await run('ip', ['netns', 'del', NAMESPACE], { allowFailure: true });
      this.#nsCreated = false;
    }
    if (this.#dir) await rm(this.#dir, { recursive: true, force: true });
  }
}

async function dnsperf(port: number, queryFile: string, seconds: number, qps?: number): Promise<Omit<PerfResult, 'server' | 'mode'>> {
  const argv = ['dnsperf', '-s', '127.0.0.1', '-p', String(port), '-d', queryFile, '-l', String(seconds), '-c', String(CLIENTS)];
  if (qps !== undefined) argv.push('-Q', String(qps));
  const [file, args] = inNamespace(argv);
  const r = await run(file, args, { timeoutMs: (seconds + 30) * 1000 });
  return parseDnsperf(r.stdout);
}

export function markdownTable(results: PerfResult[]): string {
  const rows = results.map(
    (r) => `| ${r.server} | ${r.mode} | ${Math.round(r.qps).toLocaleString('en-US')} | ${r.avgLatencyMs.toFixed(3)} | ${r.maxLatencyMs.toFixed(3)} | ${r.lost} | ${r.rcodes} |`,
  );
  return ['| server | load | queries/s | avg latency (ms) | max latency (ms) | lost | response codes |', '|---|---|---:|---:|---:|---:|---|', ...rows].join('\n');
}

async function main(): Promise<void> {
  // --quick (from `npm run bench -- --quick`) makes each dnsperf run 3 s
  const { values } = parseArgs({ options: { seconds: { type: 'string' }, quick: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
  const seconds = Number(values.seconds ?? (values.quick ? 3 : 10));
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 120) throw new Error(`--seconds must be a whole number from 1 to 120, not "${values.seconds}".`);
  if (process.getuid?.() !== 0) throw new Error('the DNS benchmark needs root (it creates a network namespace): run it with sudo.');
  for (const tool of ['ip', 'dnsperf', 'dnsmasq', 'dig']) {
    if (!findProgram(tool)) throw new Error(`${tool} is not installed: apt-get install iproute2 dnsperf dnsmasq-base dnsutils.`);
  }

  const bench = new Bench();
  const onSignal = (): void => {
    void bench.tearDown().finally(() => {
      process.exitCode = 130;
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const results: PerfResult[] = [];
  let logSummary = '';
  try {
    const dir = await bench.setUp();
    const topology = articleTopology();
    const config = { ...buildDnsConfig(topology, topology.nodes.find((n) => n.name === 'dns')!), listen: [{ address: '127.0.0.1', port: OURS_PORT }] };
    await writeFile(join(dir, 'dns.json'), JSON.stringify(config));
    await writeFile(join(dir, 'queries.txt'), QUERIES.join('\n') + '\n');
    // dnsmasq gets the same forward records as a hosts file
    await writeFile(join(dir, 'hosts'), config.records.map((r) => `${r.address} ${r.name}`).join('\n') + '\n');

    const ours = bench.spawn(['node', join(compiledSrcDir(), 'services', 'dns', 'main.js'), '--config', join(dir, 'dns.json'), '--log', join(dir, 'dns.log')]);
    await waitForReady(ours.child, 'the dslab DNS server', ours.stderr);
    const dnsmasq = bench.spawn([
      'dnsmasq', '--no-daemon', '--no-resolv', '--no-hosts', `--addn-hosts=${join(dir, 'hosts')}`, `--port=${DNSMASQ_PORT}`,
      '--listen-address=127.0.0.1', '--bind-interfaces', `--pid-file=${join(dir, 'dnsmasq.pid')}`, '--local=/local/',
      '--log-queries', `--log-facility=${join(dir, 'dnsmasq.log')}`, '--user=root',
    ]);
    await waitForAnswer(DNSMASQ_PORT, 'dnsmasq');
    if (dnsmasq.child.exitCode !== null) throw new Error(`dnsmasq exited: ${dnsmasq.stderr()}`);

    for (const [server, port] of [['dslab dns (Node, logging on)', OURS_PORT], ['dnsmasq (log-queries on)', DNSMASQ_PORT]] as const) {
      results.push({ server, mode: 'saturation', ...(await dnsperf(port, join(dir, 'queries.txt'), seconds)) });
      results.push({ server, mode: `fixed ${FIXED_QPS.toLocaleString('en-US')} q/s`, ...(await dnsperf(port, join(dir, 'queries.txt'), seconds, FIXED_QPS)) });
    }
    // the log is the proof that logging was on: one line per answered query
    const logBytes = (await stat(join(dir, 'dns.log'))).size;
    const lines = (await readFile(join(dir, 'dns.log'), 'utf8')).split('\n').length - 1;
    logSummary = `dslab dns server log: ${lines.toLocaleString('en-US')} lines, ${(logBytes / 1e6).toFixed(1)} MB`;
  } finally {
    await bench.tearDown();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  if (values.json) process.stdout.write(JSON.stringify({ clients: CLIENTS, seconds, queries: QUERIES, results, log: logSummary }, null, 2) + '\n');
  else process.stdout.write(`${markdownTable(results)}\n\n${logSummary}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`dns benchmark failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
