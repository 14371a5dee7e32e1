/**
 * The main job: bring the lab up (or use the one that is up), run the article's three
 * experiments from the client node, and take down what this run brought up (unless kept).
 * Returns the whole run as data; the CLI renders it and src/reports writes the files.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DslabError } from '../errors.js';
import type { Topology } from '../lab/topology.js';
import { buildPlan, planNode } from './plan.js';
import { findings } from './findings.js';
import { SECTIONS, type CheckResult, type NodeEvent, type RunEnvironment, type RunReport, type RunSummary } from './types.js';
import { runEnvironment } from './report-parts.js';

export interface RunOptions {
  /** A lab file, or the name of a lab that is up; default: the default lab file. */
  lab?: string;
  /** Run the lab under this name instead of its file's (lets tests and users run side by side). */
  name?: string;
  /** Leave a lab this run brought up running. */
  keep?: boolean;
  signal?: AbortSignal;
  onEvent?: (event: NodeEvent) => void;
  /** Up/down progress messages. */
  onProgress?: (message: string) => void;
  /** Called once the lab to run is known, before it is brought up. */
  onTopology?: (topology: Topology) => void;
}

/** A lab file path, or the name of a file in examples/ (`big`), as `dslab up` accepts. */
async function labFile(lab: string): Promise<string | undefined> {
  if (existsSync(lab)) return lab;
  const { packageRoot } = await import('../util/package-root.js');
  if (/^[a-z0-9._-]+$/i.test(lab)) {
    for (const candidate of [join(packageRoot(), 'examples', `${lab}.yaml`), join(packageRoot(), 'examples', lab)]) {
      if (existsSync(candidate)) return candidate;
    }
  }
  return /\.ya?ml$/i.test(lab) || lab.includes('/') ? lab : undefined;
}

/** The topology to run, and whether its lab is already up. */
async function resolveTopology(o: RunOptions): Promise<{ topology: Topology; alreadyUp: boolean }> {
  const { loadLab } = await import('../lab/load.js');
  const { readState, loadLabState } = await import('../backends/netns/index.js');
  const { checkLabName } = await import('../backends/netns/lab-name.js');
  let topology: Topology;
  const file = o.lab === undefined ? undefined : await labFile(o.lab);
  if (o.lab !== undefined && file === undefined) {
    const name = checkLabName(o.lab, 'LAB');
    if (!readState(name)) {
      throw new DslabError('DSLAB_E_LAB_NOT_FOUND', `"${o.lab}" is neither a lab file nor a lab that is up.`, {
        field: 'LAB',
        value: o.lab,
        hint: 'Give a lab file (e.g. examples/big.yaml or big), the name of a lab that is up ("dslab ls"), or nothing for the default lab.',
      });
    }
    topology = loadLabState(name);
  } else {
    topology = await loadLab(file);
  }
  if (o.name !== undefined) topology = { ...topology, name: checkLabName(o.name, '--name') };
  const state = readState(topology.name);
  if (state) {
    const { status } = await import('../backends/netns/index.js');
    const health = status(topology.name).health;
    if (health !== 'up') {
      throw new DslabError('DSLAB_E_LAB_EXISTS', `The lab "${topology.name}" exists but is ${health}, so its results would mean nothing.`, {
        field: 'lab',
        value: topology.name,
        hint: `Remove it with "dslab down --lab ${topology.name}", then run again.`,
      });
    }
    // what is live is what gets measured
    return { topology: state.topology, alreadyUp: true };
  }
  return { topology, alreadyUp: false };
}

/** checkLabUp and checkNodeAddresses, run here rather than in the client node. */
const HOST_CHECKS = 2;

export function summarize(checks: CheckResult[]): RunSummary {
  const count = (s: CheckResult['status']) => checks.filter((c) => c.status === s).length;
  const fail = count('fail');
  return { total: checks.length, pass: count('pass'), fail, skip: count('skip'), notApplicable: count('n/a'), ok: fail === 0 };
}


function sortChecks(checks: CheckResult[]): CheckResult[] {
  // the article's order: by section, then in the order they started
  return [...checks].sort((a, b) => SECTIONS.indexOf(a.section) - SECTIONS.indexOf(b.section) || a.startMs - b.startMs);
}

export async function runLab(o: RunOptions = {}): Promise<RunReport> {
  const t0 = performance.now();
  const netns = await import('../backends/netns/index.js');
  const { checkLabName } = await import('../backends/netns/lab-name.js');
  const { runInClient } = await import('./in-node-process.js');
  const { checkLabUp, checkNodeAddresses } = await import('./host-checks.js');
  if (o.name !== undefined) checkLabName(o.name, '--name');
  const { topology, alreadyUp } = await resolveTopology(o);
  const plan = buildPlan(topology);
  o.onTopology?.(topology);
  const onEvent = o.onEvent ?? (() => {});
  // the host's own environment checks (lab up, node addresses) join the client's count
  const emit = (e: NodeEvent): void => onEvent(e.type === 'expect' ? { ...e, counts: { ...e.counts, environment: (e.counts.environment ?? 0) + HOST_CHECKS } } : e);

  let upMs = 0;
  let mode = 'root';
  if (!alreadyUp) {
    const u = await netns.up(topology, { ...(o.onProgress ? { onProgress: o.onProgress } : {}), ...(o.signal ? { signal: o.signal } : {}) });
    upMs = u.ms;
    mode = u.mode;
  } else {
    mode = netns.readState(topology.name)?.mode ?? mode;
    // a lab that was already up may still be resolving the broken AAAA from an earlier
    // attempt (a curl typed just before): wait for that, so the run measures its own timeout
    const { settleNeighbour } = await import('./run-here.js');
    await settleNeighbour(plan, o.signal, o.onProgress, (args) =>
      netns.runInNode(topology.name, plan.client.name, ['ip', ...args], { allowFailure: true, timeoutMs: 2000 }),
    );
  }
  const broughtUp = !alreadyUp;
  let checks: CheckResult[] = [];
  let experimentsMs = 0;
  let downMs = 0;
  let env: RunEnvironment;
  try {
    const tx = performance.now();
    const envP = runEnvironment(`netns (${mode})`);
    const labUp = checkLabUp(topology, broughtUp, upMs, emit);
    const [nodes, inNode] = await Promise.all([checkNodeAddresses(topology, emit), runInClient(plan, { onEvent: emit, ...(o.signal ? { signal: o.signal } : {}) })]);
    experimentsMs = performance.now() - tx;
    checks = sortChecks([labUp, nodes, ...inNode.results]);
    env = await envP;
  } finally {
    if (broughtUp && !o.keep) {
      const d = await netns.down(topology.name, o.onProgress ? { onProgress: o.onProgress } : {});
      downMs = d.ms;
    }
  }
  return {
    schema: 'dslab.run/1',
    lab: topology.name,
    source: topology.source,
    broughtUp,
    kept: broughtUp && Boolean(o.keep),
    environment: env,
    topology: {
      networks: topology.networks.map((n) => ({ name: n.name, ...(n.ipv4 ? { ipv4: n.ipv4.cidr } : {}), ...(n.ipv6 ? { ipv6: n.ipv6.cidr } : {}) })),
      nodes: topology.nodes.map(planNode),
      records: topology.records.map((r) => ({ name: r.name, type: r.type, address: r.address })),
    },
    plan,
    checks,
    summary: summarize(checks),
    findings: findings(plan, checks),
    timings: { upMs, experimentsMs, downMs, wallMs: performance.now() - t0 },
  };
}
