/**
 * `dslab run --backend docker`: the same experiments as the namespace backend, run by the
 * same in-node runner, but inside the client container (`docker exec -i ... node in-node.js`
 * with the plan on stdin); the report is assembled and written on the host. Brings the
 * Compose project up first and removes it afterwards unless it was already up or kept.
 */
import type { Topology } from '../../lab/topology.js';
import type { CheckResult, NodeEvent, RunReport } from '../../experiments/types.js';
import { dockerDown, dockerUp, type DockerUpOptions } from './backend.js';
import { containerName, projectName } from './names.js';
import { readDockerState } from './state.js';
import { docker } from './tools.js';

export { IMAGE_DSLAB_DIR } from './lab-access.js';

export interface DockerRunOptions extends DockerUpOptions {
  keep?: boolean;
  onEvent?: (event: NodeEvent) => void;
  onTopology?: (topology: Topology) => void;
}

/** In a container the web node is the nginx image, whatever the lab file's web server says. */
function asRunInDocker(topology: Topology): Topology {
  return { ...topology, nodes: topology.nodes.map((n) => (n.web ? { ...n, web: { ...n.web, server: 'nginx' as const } } : n)) };
}

async function containerTools(container: string): Promise<Record<string, string | null>> {
  const { REPORTED_TOOLS, versionArgs, versionLine } = await import('../../experiments/node/tools.js');
  const lines = await Promise.all(REPORTED_TOOLS.map(async (name) => versionLine(await docker(['exec', container, name, ...versionArgs(name)], { allowFailure: true, timeoutMs: 10_000 }))));
  return Object.fromEntries(REPORTED_TOOLS.map((name, i) => [name, lines[i] ?? null]));
}

export async function dockerRunLab(labTopology: Topology, options: DockerRunOptions = {}): Promise<RunReport> {
  const t0 = performance.now();
  const [{ buildPlan }, { runExperimentsIn }, { assembleReport, runEnvironment }, { dockerLabAccess }] = await Promise.all([
    import('../../experiments/plan.js'),
    import('../../experiments/run-in-lab.js'),
    import('../../experiments/report-parts.js'),
    import('./lab-access.js'),
  ]);
  const project = options.project ?? projectName(labTopology.name);
  const upState = await readDockerState(project);
  const alreadyUp = upState !== undefined;
  // what is up is what gets measured (its records may come from `up --corefile`)
  const topology = asRunInDocker(upState?.topology ?? labTopology);
  const plan = buildPlan(topology);
  options.onTopology?.(topology);
  let engine = 'unknown';
  const tu = performance.now();
  if (!alreadyUp) engine = (await dockerUp(topology, options)).engine;
  const upMs = alreadyUp ? 0 : performance.now() - tu;
  const broughtUp = !alreadyUp;
  // dockerUp journals exactly these container names
  const client = upState?.containers[plan.client.name] ?? containerName(topology.name, plan.client.name);
  let checks: CheckResult[] = [];
  let experimentsMs = 0;
  let downMs = 0;
  let tools: Record<string, string | null> = {};
  try {
    const containers = (node: string) => upState?.containers[node] ?? containerName(topology.name, node);
    // the same path as the namespace backend, through docker exec (no host checks: the containers' health is Docker's)
    const ran = await runExperimentsIn(dockerLabAccess(topology.name, project, containers), topology, plan, {
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    experimentsMs = ran.experimentsMs;
    checks = ran.checks;
    tools = await containerTools(client);
  } finally {
    if (broughtUp && !options.keep) {
      const td = performance.now();
      await dockerDown(topology.name, project);
      downMs = performance.now() - td;
    }
  }
  return assembleReport({
    topology,
    plan,
    checks,
    broughtUp,
    kept: broughtUp && Boolean(options.keep),
    environment: await runEnvironment(`docker (engine ${engine}, client ${client})`, tools),
    timings: { upMs, experimentsMs, downMs, wallMs: performance.now() - t0 },
  });
}

/** `dslab run --backend docker [LAB] [--name NAME]`: loads the lab, then dockerRunLab. */
export async function dockerRunCommand(lab: string | undefined, options: DockerRunOptions & { name?: string }): Promise<RunReport> {
  const [{ loadLab, labPath }, { checkLabName }] = await Promise.all([import('../../lab/load.js'), import('../netns/lab-name.js')]);
  const topology = await loadLab(labPath(lab));
  if (options.name !== undefined) topology.name = checkLabName(options.name, '--name');
  return dockerRunLab(topology, options);
}
