/**
 * `dslab run --backend docker`: the same experiments as the namespace backend, run by the
 * same in-node runner, but inside the client container (`docker exec -i ... node in-node.js`
 * with the plan on stdin); the report is assembled and written on the host. Brings the
 * Compose project up first and removes it afterwards unless it was already up or kept.
 */
import { hostname, release } from 'node:os';
import type { Topology } from '../../lab/topology.js';
import { SECTIONS, type CheckResult, type NodeEvent, type RunReport } from '../../experiments/types.js';
import { dockerDown, dockerUp, type DockerUpOptions } from './backend.js';
import { containerName, projectName } from './names.js';
import { readDockerState } from './state.js';
import { docker, dockerFile } from './tools.js';

/** Where dslab lives in the client image (docker/client/Dockerfile). */
export const IMAGE_DSLAB_DIR = '/opt/dslab';

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
  const out: Record<string, string | null> = {};
  const probes: Record<string, string[]> = { curl: ['curl', '--version'], dig: ['dig', '-v'], ping: ['ping', '-V'], ip: ['ip', '-V'] };
  for (const [name, argv] of Object.entries(probes)) {
    const r = await docker(['exec', container, ...argv], { allowFailure: true, timeoutMs: 10_000 });
    out[name] = r.code === 0 ? ((r.stdout || r.stderr).trim().split('\n')[0] ?? null) : null;
  }
  return out;
}

export async function dockerRunLab(labTopology: Topology, options: DockerRunOptions = {}): Promise<RunReport> {
  const t0 = performance.now();
  const [{ buildPlan, planNode }, { runInClient, summarize }, { findings }] = await Promise.all([
    import('../../experiments/plan.js'),
    import('../../experiments/in-node-process.js').then(async (m) => ({ ...m, summarize: (await import('../../experiments/run.js')).summarize })),
    import('../../experiments/findings.js'),
  ]);
  const topology = asRunInDocker(labTopology);
  const plan = buildPlan(topology);
  options.onTopology?.(topology);
  const project = options.project ?? projectName(topology.name);
  const alreadyUp = (await readDockerState(project)) !== undefined;
  let upMs = 0;
  let engine = 'unknown';
  const tu = performance.now();
  if (!alreadyUp) engine = (await dockerUp(topology, options)).engine;
  upMs = alreadyUp ? 0 : performance.now() - tu;
  const broughtUp = !alreadyUp;
  const state = await readDockerState(project);
  const client = state?.containers[plan.client.name] ?? containerName(topology.name, plan.client.name);
  let checks: CheckResult[] = [];
  let experimentsMs = 0;
  let downMs = 0;
  let tools: Record<string, string | null> = {};
  try {
    const tx = performance.now();
    const inNode = await runInClient(plan, {
      command: { file: dockerFile(), args: ['exec', '-i', client, 'node', `${IMAGE_DSLAB_DIR}/dist/src/experiments/in-node.js`] },
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    experimentsMs = performance.now() - tx;
    checks = [...inNode.results].sort((a, b) => SECTIONS.indexOf(a.section) - SECTIONS.indexOf(b.section) || a.startMs - b.startMs);
    tools = await containerTools(client);
  } finally {
    if (broughtUp && !options.keep) {
      const td = performance.now();
      await dockerDown(topology.name, project);
      downMs = performance.now() - td;
    }
  }
  return {
    schema: 'dslab.run/1',
    lab: topology.name,
    source: topology.source,
    broughtUp,
    kept: broughtUp && Boolean(options.keep),
    environment: { date: new Date().toISOString(), kernel: `Linux ${release()}`, node: process.version, backend: `docker (engine ${engine}, client ${client})`, hostname: hostname(), tools },
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

/** `dslab run --backend docker [LAB] [--name NAME]`: loads the lab, then dockerRunLab. */
export async function dockerRunCommand(lab: string | undefined, options: DockerRunOptions & { name?: string }): Promise<RunReport> {
  const { loadLab } = await import('../../lab/load.js');
  const topology = await loadLab(lab);
  if (options.name !== undefined) topology.name = options.name;
  return dockerRunLab(topology, options);
}
