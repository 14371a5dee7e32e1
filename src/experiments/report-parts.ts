/**
 * Builds a RunReport from what a runner gathered (topology, plan, checks, environment,
 * timings): the part every way of running the experiments shares (the namespace backend,
 * the Docker backend from the host, and `dslab run --here` inside a node or container).
 */
import { hostname, release } from 'node:os';
import type { Topology } from '../lab/topology.js';
import { findings } from './findings.js';
import { planNode } from './plan.js';
import { SECTIONS, type CheckResult, type RunEnvironment, type RunPlan, type RunReport, type RunSummary } from './types.js';

export interface ReportParts {
  topology: Topology;
  plan: RunPlan;
  checks: CheckResult[];
  environment: RunEnvironment;
  broughtUp: boolean;
  kept: boolean;
  timings: RunReport['timings'];
  clients?: NonNullable<RunReport['clients']>;
}

/** How many checks passed, failed, were skipped or did not apply; ok when none failed. */
export function summarize(checks: readonly CheckResult[]): RunSummary {
  const count = (s: CheckResult['status']) => checks.filter((c) => c.status === s).length;
  const fail = count('fail');
  return { total: checks.length, pass: count('pass'), fail, skip: count('skip'), notApplicable: count('n/a'), ok: fail === 0 };
}

/** The article's order: by section, then in the order the checks started. */
function sortChecks(checks: readonly CheckResult[]): CheckResult[] {
  return [...checks].sort((a, b) => SECTIONS.indexOf(a.section) - SECTIONS.indexOf(b.section) || a.startMs - b.startMs);
}

/** Versions of the reported tools on this machine or in this node (null: not installed). */
export async function localToolVersions(): Promise<Record<string, string | null>> {
  const { REPORTED_TOOLS, toolVersion } = await import('./node/tools.js');
  const versions = await Promise.all(REPORTED_TOOLS.map((n) => toolVersion(n)));
  return Object.fromEntries(REPORTED_TOOLS.map((n, i) => [n, versions[i] ?? null]));
}

/** The report's environment section: date, kernel, Node, backend, host and tool versions. */
export async function runEnvironment(backend: string, tools?: Record<string, string | null>): Promise<RunEnvironment> {
  return {
    date: new Date().toISOString(),
    kernel: `Linux ${release()}`,
    node: process.version,
    backend,
    hostname: hostname(),
    tools: tools ?? (await localToolVersions()),
  };
}

/** The clients experiment in one sentence: how many runs connected, which waited a second or more, which failed. */
export function clientsFinding(c: NonNullable<RunReport['clients']>): string {
  const m = c.matrix;
  const name = (id: string) => m.clients.find((x) => x.id === id)?.name ?? id;
  const connected = m.cells.filter((x) => x.family !== null);
  const waited = connected.filter((x) => (x.connectMs ?? 0) >= 1000);
  const failed = m.cells.filter((x) => x.family === null);
  const list = (cells: typeof m.cells) => cells.map((x) => `${name(x.client)} in ${x.scenario}`).join(', ');
  return [
    `How real clients fall back (Experiment 4): ${connected.length} of ${m.cells.length} runs connected.`,
    waited.length ? `Waited a second or more: ${list(waited)}.` : '',
    failed.length ? `No connection at all: ${list(failed)}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

export function assembleReport(p: ReportParts): RunReport {
  const checks = sortChecks(p.checks);
  return {
    schema: 'dslab.run/1',
    lab: p.topology.name,
    source: p.topology.source,
    broughtUp: p.broughtUp,
    kept: p.kept,
    environment: p.environment,
    topology: {
      networks: p.topology.networks.map((n) => ({ name: n.name, ...(n.ipv4 ? { ipv4: n.ipv4.cidr } : {}), ...(n.ipv6 ? { ipv6: n.ipv6.cidr } : {}) })),
      nodes: p.topology.nodes.map(planNode),
      records: p.topology.records.map((r) => ({ name: r.name, type: r.type, address: r.address })),
    },
    plan: p.plan,
    checks,
    summary: summarize(checks),
    findings: [...findings(p.plan, checks), ...(p.clients ? [clientsFinding(p.clients)] : [])],
    timings: p.timings,
    ...(p.clients ? { clients: p.clients } : {}),
  };
}
