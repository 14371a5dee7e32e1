/**
 * `dslab measure --matrix`: every installed built-in client (clients.ts) against a set of
 * fault scenarios, each run measured from its packets. A scenario's faults are added to the
 * lab once for its column and removed after it, also on failure or Ctrl-C.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { labStateDir } from '../backends/netns/state.js';
import { DslabError } from '../errors.js';
import { findScenario } from '../faults/scenarios.js';
import { loadLabState } from '../backends/netns/state.js';
import { CLIENTS, DEFAULT_MATRIX_SCENARIOS, type ClientSpec } from './clients.js';
import { openSession } from './measure.js';
import type { Grade } from './verdict.js';

export interface MatrixCell {
  client: string;
  scenario: string;
  target: string;
  family: 4 | 6 | null;
  /** Time to the connection that carried the request, from the client's first packet (its start-up not counted). */
  connectMs: number | null;
  /** The program's own start-up: command start to its first packet. */
  startupMs: number | null;
  /** The observed Connection Attempt Delay, if the client tried the other family on a timer. */
  attemptDelayMs: number | null;
  /** `timer`, `error` (moved on after RST/ICMP) or null. */
  fallback: 'timer' | 'error' | null;
  grade: Grade;
  exitCode: number | null;
  wallMs: number;
  /** One line: what happened. */
  summary: string;
}

export interface MatrixResult {
  lab: string;
  clients: Array<{ id: string; name: string }>;
  skipped: Array<{ id: string; name: string; reason: string }>;
  scenarios: Array<{ name: string; description: string; target: string }>;
  cells: MatrixCell[];
  ms: number;
}

export interface MatrixOptions {
  lab: string;
  clients?: string[];
  scenarios?: string[];
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

/** The built-in clients named by `ids` (all when undefined); an unknown id is a usage error. */
export function pickClients(ids: readonly string[] | undefined): ClientSpec[] {
  if (!ids) return [...CLIENTS];
  return ids.map((id) => {
    const c = CLIENTS.find((x) => x.id === id);
    if (!c) throw new DslabError('DSLAB_E_BAD_OPTION', `--clients: there is no built-in client "${id}".`, { field: '--clients', value: id, hint: `Use some of: ${CLIENTS.map((x) => x.id).join(', ')}.` });
    return c;
  });
}

function summary(family: 4 | 6 | null, connectMs: number | null, exitCode: number | null, fallback: MatrixCell['fallback'], delay: number | null): string {
  if (family === null) return exitCode === 0 ? 'no connection seen' : `failed (exit ${exitCode ?? 'killed'})`;
  const how = fallback === 'timer' ? `, tried the other family after ${Math.round(delay!)} ms` : fallback === 'error' ? ', moved on after an error' : '';
  return `IPv${family} at ${Math.round(connectMs!)} ms${how}`;
}

export async function runMatrix(options: MatrixOptions): Promise<MatrixResult> {
  const t0 = performance.now();
  const topology = loadLabState(options.lab);
  const scenarios = (options.scenarios ?? [...DEFAULT_MATRIX_SCENARIOS]).map((s) => findScenario(s, topology, '--scenarios'));
  const clients: ClientSpec[] = [];
  const skipped: MatrixResult['skipped'] = [];
  for (const c of pickClients(options.clients)) {
    const reason = await c.missing();
    if (reason) skipped.push({ id: c.id, name: c.name, reason });
    else clients.push(c);
  }
  const cells: MatrixCell[] = [];
  for (const scenario of scenarios) {
    // one capture and one set of faults per scenario; each client's run is its own time window
    const session = await openSession({ lab: options.lab, scenarios: [scenario.name], ...(options.signal ? { signal: options.signal } : {}) });
    const temps: string[] = [];
    let results: Awaited<ReturnType<typeof session.finish>>;
    try {
      for (const client of clients) {
        options.onProgress?.(`${scenario.name}: ${client.name}`);
        const tmp = client.needsTmp ? mkdtempSync(join(labStateDir(options.lab), `client-${client.id}-`)) : '';
        if (tmp) temps.push(tmp);
        await session.run({ argv: client.argv(scenario.target, tmp), host: scenario.target, label: client.name, timeoutMs: 20_000 });
      }
    } finally {
      results = await session.finish();
      for (const t of temps) rmSync(t, { recursive: true, force: true });
    }
    results.forEach((r, i) => {
      const client = clients[i]!;
      const v = r.verdict;
      const family = v.familyUsed ?? null;
      const connectMs = v.connectFromStartMs ?? null;
      const fallback = v.attemptDelay?.trigger ?? null;
      const delay = v.attemptDelay?.ms ?? null;
      cells.push({ client: client.id, scenario: scenario.name, target: scenario.target, family, connectMs, startupMs: v.networkStartMs ?? null, attemptDelayMs: fallback === 'timer' ? delay : null, fallback, grade: r.exitCode === 0 ? v.grade : 'failed', exitCode: r.exitCode, wallMs: r.wallMs, summary: summary(family, connectMs, r.exitCode, fallback, delay) });
    });
  }
  return {
    lab: options.lab,
    clients: clients.map((c) => ({ id: c.id, name: c.name })),
    skipped,
    scenarios: scenarios.map((s) => ({ name: s.name, description: s.description, target: s.target })),
    cells,
    ms: performance.now() - t0,
  };
}
