/**
 * The main job on the namespace backend: bring the lab up (or use the one that is up), run
 * the article's experiments through the shared path (src/experiments/run-in-lab.ts, with
 * this backend's LabAccess), the clients experiment if asked, and take down what this run
 * brought up (unless kept). Returns the whole run as data; the CLI renders it and src/reports
 * writes the files. The Docker backend's counterpart is src/backends/docker/run.ts.
 */
import { DslabError } from '../../errors.js';
import type { Topology } from '../../lab/topology.js';
import { buildPlan } from '../../experiments/plan.js';
import type { CheckResult, NodeEvent, RunEnvironment, RunReport } from '../../experiments/types.js';
import { assembleReport, runEnvironment } from '../../experiments/report-parts.js';
import type { ClientsOptions, ClientsReport } from '../../experiments/clients.js';

export interface RunOptions {
  /** A lab file, or the name of a lab that is up; default: the default lab file. */
  lab?: string;
  /** The name of a lab that is up (`dslab run --lab NAME`): used as it is, never read as a file or example. */
  upLab?: string;
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
  /** Also run the experiment "how real clients fall back" (the client matrix) in the lab. */
  clients?: ClientsOptions;
}

/** The topology to run, and whether its lab is already up (then the mode its journal records). */
async function resolveTopology(o: RunOptions): Promise<{ topology: Topology; alreadyUp: boolean; mode?: string }> {
  const { loadLab, findLabFile } = await import('../../lab/load.js');
  const { readState } = await import('./index.js');
  const { checkLabName } = await import('./lab-name.js');
  let topology: Topology;
  // a lab file or example (as `dslab up` takes them), else what looks like a path (loadLab says it is missing), else a lab name
  const file = o.lab === undefined || o.upLab !== undefined ? undefined : (findLabFile(o.lab) ?? (/\.ya?ml$/i.test(o.lab) || o.lab.includes('/') ? o.lab : undefined));
  const upName = o.upLab ?? o.lab;
  if (upName !== undefined && file === undefined) {
    const upState = readState(checkLabName(upName, o.upLab !== undefined ? '--lab' : 'LAB'));
    if (!upState) {
      throw new DslabError('DSLAB_E_LAB_NOT_FOUND', `"${upName}" is neither a lab file nor a lab that is up.`, {
        field: o.upLab !== undefined ? '--lab' : 'LAB',
        value: upName,
        hint: 'Give a lab file (e.g. examples/big.yaml or big), the name of a lab that is up ("dslab ls"), or nothing for the default lab.',
      });
    }
    topology = upState.topology;
  } else {
    topology = await loadLab(file);
  }
  if (o.name !== undefined) topology = { ...topology, name: checkLabName(o.name, '--name') };
  const state = readState(topology.name);
  if (state) {
    const { status } = await import('./index.js');
    const health = status(topology.name).health;
    if (health !== 'up') {
      throw new DslabError('DSLAB_E_LAB_EXISTS', `The lab "${topology.name}" exists but is ${health}, so its results would mean nothing.`, {
        field: 'lab',
        value: topology.name,
        hint: `Remove it with "dslab down --lab ${topology.name}", then run again.`,
      });
    }
    // what is live is what gets measured
    return { topology: state.topology, alreadyUp: true, mode: state.mode };
  }
  return { topology, alreadyUp: false };
}

export async function runLab(o: RunOptions = {}): Promise<RunReport> {
  const t0 = performance.now();
  const netns = await import('./index.js');
  const { checkLabName } = await import('./lab-name.js');
  const [{ runExperimentsIn }, { netnsLabAccess }] = await Promise.all([import('../../experiments/run-in-lab.js'), import('./lab-access.js')]);
  if (o.name !== undefined) checkLabName(o.name, '--name');
  const resolved = await resolveTopology(o);
  const { alreadyUp, mode: upMode } = resolved;
  let topology = resolved.topology;
  let plan = buildPlan(topology);
  if (o.clients) await (await import('../../experiments/clients.js')).checkClientsOptions(o.clients, topology);
  o.onTopology?.(topology);

  let upMs = 0;
  let mode = upMode ?? 'root';
  if (!alreadyUp) {
    const u = await netns.up(topology, { ...(o.onProgress ? { onProgress: o.onProgress } : {}), ...(o.signal ? { signal: o.signal } : {}) });
    upMs = u.ms;
    mode = u.mode;
    if (u.slaac.length > 0) {
      // the addresses SLAAC formed and DHCPv6 leased are known only now: the journal has them
      topology = netns.readState(topology.name)?.topology ?? topology;
      plan = buildPlan(topology);
    }
  }
  const broughtUp = !alreadyUp;
  let checks: CheckResult[] = [];
  let experimentsMs = 0;
  let downMs = 0;
  let env: RunEnvironment;
  let clients: ClientsReport | undefined;
  try {
    const envP = runEnvironment(`netns (${mode})`);
    // a lab that was already up may still be resolving the broken AAAA from an earlier
    // attempt (a curl typed just before): runExperimentsIn waits for that first
    const ran = await runExperimentsIn(netnsLabAccess(topology.name), topology, plan, {
      hostChecks: { broughtUp, upMs },
      ...(o.onEvent ? { onEvent: o.onEvent } : {}),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    experimentsMs = ran.experimentsMs;
    checks = ran.checks;
    env = await envP;
    if (o.clients) {
      const { runClientsExperiment } = await import('../../experiments/clients.js');
      clients = await runClientsExperiment(topology.name, { ...o.clients, ...(o.signal ? { signal: o.signal } : {}), ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
    }
  } finally {
    if (broughtUp && !o.keep) {
      const d = await netns.down(topology.name, o.onProgress ? { onProgress: o.onProgress } : {});
      downMs = d.ms;
    }
  }
  return assembleReport({
    topology,
    plan,
    checks,
    environment: env,
    broughtUp,
    kept: broughtUp && Boolean(o.keep),
    timings: { upMs, experimentsMs, downMs, wallMs: performance.now() - t0 },
    ...(clients ? { clients } : {}),
  });
}
