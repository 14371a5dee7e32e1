/**
 * `dslab measure`: runs any command inside a lab node while capturing the node's traffic,
 * then says what the command did from its packets (analyze.ts) and how that compares with
 * RFC 8305 (verdict.ts). Scenarios named for the measurement are added to the lab for its
 * duration and removed afterwards, also when it fails. The node's neighbour cache is
 * flushed first, so every run starts from the same state (an address that failed neighbour
 * discovery a moment ago would otherwise fail at once, without a packet).
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import process from 'node:process';
import { addFaults, removeFaults } from '../backends/netns/fault-ops.js';
import { accessOf, nodeCommand } from '../backends/netns/exec.js';
import { inNetns } from '../backends/netns/ip.js';
import { labStateDir, requireState } from '../backends/netns/state.js';
import { describeFault } from '../faults/describe.js';
import { DslabError } from '../errors.js';
import { nodeNamespace } from '../lab/names.js';
import { nodeAddresses } from '../lab/topology.js';
import { waitMark, type Lane, type Race, type RaceAnswer } from '../reports/race.js';
import { analyzePackets, type Attempt, type PacketAnalysis } from './analyze.js';
import { startCapture } from './capture.js';
import { decodePcap } from './packets.js';
import { judge, type Verdict } from './verdict.js';

export interface MeasureOptions {
  lab: string;
  /** The name the race is about (default: the one the program connected to). */
  host?: string;
  node?: string;
  argv: string[];
  scenarios?: string[];
  /** Keep the capture in this file. */
  pcap?: string;
  /** The command is stopped (SIGKILL) after this long; default 30 s. */
  timeoutMs?: number;
  /** Who is measured, for the race picture (default: the command). */
  label?: string;
  signal?: AbortSignal;
}

export interface MeasureResult {
  lab: string;
  node: string;
  command: string[];
  scenarios: string[];
  /** The faults in effect during the measurement, in words. */
  faults: string[];
  exitCode: number | null;
  /** `timeout` when dslab stopped it, or the signal that ended it. */
  ended: 'exit' | 'timeout' | 'signal';
  wallMs: number;
  stdout: string;
  stderr: string;
  analysis: PacketAnalysis;
  verdict: Verdict;
  race: Race;
  pcap?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const LATE_PACKETS_MS = 50;
const OUTPUT_LIMIT = 64 * 1024;

export interface SessionOptions {
  lab: string;
  node?: string;
  /** Scenarios added for the session and removed when it ends. */
  scenarios?: string[];
  pcap?: string;
  signal?: AbortSignal;
}

export interface RunOptions {
  argv: string[];
  /** The name the race is about (default: the one the program connected to). */
  host?: string;
  label?: string;
  timeoutMs?: number;
}

/**
 * One capture for several commands run one after the other (the matrix runs a column of
 * clients under one capture): each run gets the packets of its own time window. The
 * neighbour cache is flushed before each run.
 */
export interface MeasureSession {
  run(options: RunOptions): Promise<void>;
  /** Stops the capture, removes the session's faults and gives one result per run. */
  finish(): Promise<MeasureResult[]>;
}

interface Ran {
  options: RunOptions;
  startEpochMs: number;
  endEpochMs: number;
  done: Finished;
  faults: string[];
}

export async function openSession(options: SessionOptions): Promise<MeasureSession> {
  const state = requireState(options.lab);
  const lab = state.lab;
  const node = options.node ?? state.topology.nodes.find((n) => n.role === 'client')?.name ?? 'client';
  const topoNode = state.topology.nodes.find((n) => n.name === node);
  if (!topoNode) {
    throw new DslabError('DSLAB_E_NODE_NOT_FOUND', `The lab "${lab}" has no node "${node}".`, { field: 'node', value: node, hint: `Use one of: ${state.topology.nodes.map((n) => n.name).join(', ')}.` });
  }
  const access = accessOf(state);
  const ns = nodeNamespace(lab, node);
  const file = options.pcap ?? join(labStateDir(lab), `measure-${process.pid}-${Date.now()}.pcap`);
  const added = options.scenarios?.length ? await addFaults(lab, { scenarios: options.scenarios }) : [];
  let capture: Awaited<ReturnType<typeof startCapture>> | undefined;
  let closed = false;
  const cleanup = async (): Promise<void> => {
    closed = true;
    await capture?.stop();
    capture = undefined;
    if (!options.pcap) rmSync(file, { force: true });
    if (added.length > 0) await removeFaults(lab, added.map((f) => f.id)).catch(() => undefined);
    added.length = 0;
  };
  try {
    capture = await startCapture(access, ns, file, options.signal);
  } catch (err) {
    await cleanup();
    throw err;
  }
  const faults = (requireState(lab).faults ?? []).map((f) => `${f.id}: ${describeFault(f)}`);
  const runs: Ran[] = [];
  const now = (): number => performance.timeOrigin + performance.now();
  return {
    async run(r: RunOptions): Promise<void> {
      if (r.argv.length === 0) throw new DslabError('DSLAB_E_USAGE', 'No command given to measure.', { field: 'command', hint: 'Give it after --, e.g. dslab measure -- curl -s http://dual-badv6.local/' });
      try {
        const cmd = nodeCommand(lab, node, r.argv);
        await inNetns(access, ns, ['ip', 'neigh', 'flush', 'all'], { allowFailure: true });
        const startEpochMs = now();
        const done = await runMeasured(cmd, r.timeoutMs ?? DEFAULT_TIMEOUT_MS, options.signal);
        await sleep(LATE_PACKETS_MS);
        runs.push({ options: r, startEpochMs, endEpochMs: now(), done, faults });
        if (options.signal?.aborted) throw new DslabError('DSLAB_E_INTERRUPTED', 'Interrupted; the capture was stopped and the scenario faults removed.', { hint: 'Run it again when you are ready.' });
      } catch (err) {
        await cleanup();
        throw err;
      }
    },
    async finish(): Promise<MeasureResult[]> {
      if (closed) return []; // a run failed and already cleaned up: its error is the one to report
      try {
        await capture?.stop();
        capture = undefined;
        const packets = await decodePcap(file, 0);
        return runs.map((ran) => {
          const mine = packets.filter((p) => p.t >= ran.startEpochMs && p.t <= ran.endEpochMs).map((p) => ({ ...p, t: p.t - ran.startEpochMs }));
          const analysis = analyzePackets(mine, nodeAddresses(topoNode), ran.options.host);
          const verdict = judge(analysis);
          return {
            lab,
            node,
            command: ran.options.argv,
            scenarios: options.scenarios ?? [],
            faults: ran.faults,
            exitCode: ran.done.code,
            ended: ran.done.ended,
            wallMs: ran.done.wallMs,
            stdout: ran.done.stdout,
            stderr: ran.done.stderr,
            analysis,
            verdict,
            race: raceOf(ran.options.label ?? ran.options.argv.join(' '), analysis, verdict),
            ...(options.pcap ? { pcap: options.pcap } : {}),
          };
        });
      } finally {
        await cleanup();
      }
    },
  };
}

/** Measures one command (a session of one run). */
export async function measure(options: MeasureOptions): Promise<MeasureResult> {
  if (options.argv.length === 0) throw new DslabError('DSLAB_E_USAGE', 'No command given to measure.', { field: 'command', hint: 'Give it after --, e.g. dslab measure -- curl -s http://dual-badv6.local/' });
  const session = await openSession(options);
  await session.run(options);
  return (await session.finish())[0]!;
}

interface Finished {
  code: number | null;
  ended: MeasureResult['ended'];
  wallMs: number;
  stdout: string;
  stderr: string;
}

/** Runs the measured command, keeping (the start of) its output, its exit status and wall time. */
function runMeasured(cmd: { file: string; args: string[] }, timeoutMs: number, signal?: AbortSignal): Promise<Finished> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(cmd.file, cmd.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let ended: Finished['ended'] = 'exit';
    const keep = (text: string, chunk: Buffer): string => (text.length < OUTPUT_LIMIT ? (text + chunk.toString('utf8')).slice(0, OUTPUT_LIMIT) : text);
    child.stdout.on('data', (c: Buffer) => (stdout = keep(stdout, c)));
    child.stderr.on('data', (c: Buffer) => (stderr = keep(stderr, c)));
    const timer = setTimeout(() => {
      ended = 'timeout';
      child.kill('SIGKILL');
    }, timeoutMs);
    const onAbort = (): void => void child.kill('SIGTERM');
    signal?.addEventListener('abort', onAbort, { once: true });
    child.once('close', (code, sig) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (ended === 'exit' && sig) ended = 'signal';
      resolve({ code, ended, wallMs: performance.now() - t0, stdout, stderr });
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve({ code: null, ended: 'exit', wallMs: performance.now() - t0, stdout, stderr: err.message });
    });
  });
}

function laneOf(a: Attempt, winner: Attempt | undefined): Lane {
  const won = a === winner;
  const outcome = won || a.outcome === 'connected' ? 'connected' : a.outcome === 'no-answer' ? 'cancelled' : 'failed';
  const error = a.outcome === 'refused' ? 'ECONNREFUSED (TCP reset)' : a.outcome === 'icmp-error' ? a.icmp : a.outcome === 'no-neighbour' ? 'no neighbour answer (ND)' : undefined;
  return {
    label: `IPv${a.family} ${a.address}`,
    family: a.family,
    address: a.address,
    startMs: a.startMs,
    endMs: a.endMs ?? null,
    outcome,
    ...(error ? { error } : {}),
  };
}

/** The race in the model every picture of a race uses (text timeline, SVG). */
export function raceOf(client: string, a: PacketAnalysis, v: Verdict): Race {
  const lanes = a.attempts.map((x) => laneOf(x, a.winner));
  const answers: RaceAnswer[] = a.queries
    .filter((q) => (q.qtype === 'A' || q.qtype === 'AAAA') && q.answer)
    .map((q) => ({
      qtype: q.qtype as 'A' | 'AAAA',
      atMs: q.answer!.atMs,
      addresses: q.answer!.addresses,
      ...(q.answer!.rcode !== 'NOERROR' ? { failed: q.answer!.rcode } : q.answer!.truncated ? { failed: 'TC (truncated)' } : q.answer!.addresses.length === 0 ? { failed: 'no records' } : {}),
    }));
  const marks = v.attemptDelay && v.attemptDelay.trigger === 'timer' ? [waitMark(lanes, Math.round(v.attemptDelay.ms), 'delay', 'observed attempt delay')] : [];
  const host = a.host ?? a.attempts[0]?.address ?? '?';
  return {
    host,
    ...(a.attempts[0] ? { port: a.attempts[0].port } : {}),
    client,
    lanes,
    answers,
    marks,
    winner: a.winner ? { address: a.winner.address, family: a.winner.family } : null,
    totalMs: a.winner?.endMs ?? null,
  };
}
