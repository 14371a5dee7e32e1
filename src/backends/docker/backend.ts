/**
 * The Docker Compose backend: what the article's start.sh and stop.sh do, for any lab.
 * `dockerUp` brings the project up detached, checks that IPv6 is enabled on each network
 * and really works between the containers, and returns the containers' addresses;
 * `dockerDown` removes containers, networks and volumes; `dockerStatus` lists them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DslabError, isDslabError } from '../../errors.js';
import { DEFAULT_SOURCE } from '../../lab/load.js';
import type { Topology } from '../../lab/topology.js';
import { packageRoot } from '../../util/package-root.js';
import { exportCompose } from './export.js';
import { containerName, DEFAULT_LAB, projectName } from './names.js';
import { readDockerState, removeDockerState, writeDockerState, ensureDockerStateDir, type DockerLabState } from './state.js';
import { checkEngine, compose, composeCommand, docker, findCompose, type ComposeProject } from './tools.js';

export interface DockerUpOptions {
  /** Folder holding compose.yaml and Corefile to use as they are (default: exported for the lab). */
  composeDir?: string;
  /** Compose project name (default `rd-dualstack-lab` for the default lab, `rd-<lab>` otherwise). */
  project?: string;
  /**
   * The lab file's text when the topology no longer matches its file (`up --corefile`): the
   * project is then exported (never the root files) with this text as the client's lab.yaml.
   */
  labText?: string;
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
}

export interface DockerContainer {
  node: string;
  role: string;
  container: string;
  state: string;
  ipv4?: string;
  ipv6?: string;
}

export interface DockerUpResult {
  backend: 'docker';
  lab: string;
  project: string;
  composeFile: string;
  compose: string;
  engine: string;
  ipv6: { network: string; enabled: boolean; works: boolean; detail: string }[];
  containers: DockerContainer[];
  nextSteps: string[];
}

const UP_TIMEOUT_MS = 10 * 60_000;

/** The default lab runs from the repository's own compose.yaml, as in the article. */
function usesRootFiles(topology: Topology): boolean {
  return topology.name === DEFAULT_LAB && topology.source === DEFAULT_SOURCE && existsSync(join(packageRoot(), 'compose.yaml'));
}

async function projectFor(topology: Topology, options: DockerUpOptions): Promise<Omit<ComposeProject, 'tool'>> {
  const project = options.project ?? projectName(topology.name);
  if (options.composeDir) return { project, dir: options.composeDir, file: join(options.composeDir, 'compose.yaml') };
  if (options.labText === undefined && usesRootFiles(topology)) return { project, dir: packageRoot(), file: join(packageRoot(), 'compose.yaml') };
  const written = await exportCompose(topology, ensureDockerStateDir(project), options.labText);
  return { project, dir: written.dir, file: written.compose };
}

function failed(what: string, err: unknown, hint: string): DslabError {
  const details = (err as DslabError).details as { stderr?: string } | undefined;
  const said = (details?.stderr ?? (err as Error).message ?? '').trim().split('\n').slice(-5).join('\n');
  return new DslabError('DSLAB_E_DOCKER_FAILED', `${what} failed: ${said}`, { hint, cause: err });
}

export async function inspectContainers(topology: Topology, state: Pick<DockerLabState, 'containers'>): Promise<DockerContainer[]> {
  const out: DockerContainer[] = [];
  for (const node of topology.nodes) {
    const container = state.containers[node.name] ?? containerName(topology.name, node.name);
    const r = await docker(['inspect', '--format', '{{json .}}', container], { allowFailure: true });
    if (r.code !== 0) {
      out.push({ node: node.name, role: node.role, container, state: 'missing' });
      continue;
    }
    const info = JSON.parse(r.stdout) as {
      State: { Status: string };
      NetworkSettings: { Networks: Record<string, { IPAddress?: string; GlobalIPv6Address?: string }> };
    };
    const nets = Object.values(info.NetworkSettings.Networks);
    out.push({
      node: node.name,
      role: node.role,
      container,
      state: info.State.Status,
      ...(nets[0]?.IPAddress ? { ipv4: nets[0].IPAddress } : {}),
      ...(nets[0]?.GlobalIPv6Address ? { ipv6: nets[0].GlobalIPv6Address } : {}),
    });
  }
  return out;
}

/** start.sh's check: IPv6 enabled on the network, and a ping over IPv6 from the client works. */
async function checkIpv6(topology: Topology, project: string, containers: Record<string, string>): Promise<DockerUpResult['ipv6']> {
  const client = topology.nodes.find((n) => n.role === 'client') ?? topology.nodes[0]!;
  const out: DockerUpResult['ipv6'] = [];
  for (const net of topology.networks) {
    if (!net.ipv6) continue;
    const name = `${project}_${net.name}`;
    const r = await docker(['network', 'inspect', '--format', '{{.EnableIPv6}}', name], { allowFailure: true });
    const enabled = r.code === 0 && r.stdout.trim() === 'true';
    let works = false;
    let detail = enabled ? '' : `network ${name} has IPv6 disabled`;
    const target = topology.nodes.find((n) => n !== client && n.attachments.some((a) => a.network === net.name && a.ipv6));
    const targetAddress = target?.attachments.find((a) => a.network === net.name)?.ipv6;
    if (enabled && target && targetAddress) {
      const ping = await docker(['exec', containers[client.name]!, 'ping', '-6', '-c', '1', '-W', '3', targetAddress], { allowFailure: true, timeoutMs: 15_000 });
      works = ping.code === 0;
      detail = works ? `${client.name} reached ${target.name} at ${targetAddress} over IPv6` : `ping -6 ${targetAddress} from ${client.name} failed: ${(ping.stdout + ping.stderr).trim().split('\n').at(-1) ?? ''}`;
    } else if (enabled) {
      works = true;
      detail = 'no second node on this network to ping';
    }
    out.push({ network: name, enabled, works, detail });
  }
  return out;
}

export async function dockerUp(topology: Topology, options: DockerUpOptions = {}): Promise<DockerUpResult> {
  const progress = options.onProgress ?? (() => {});
  const engine = await checkEngine(options.signal);
  const tool = await findCompose();
  const p: ComposeProject = { tool, ...(await projectFor(topology, options)) };
  const containers = Object.fromEntries(topology.nodes.map((n) => [n.name, containerName(topology.name, n.name)]));
  const client = topology.nodes.find((n) => n.role === 'client')?.name;
  const state: DockerLabState = { lab: topology.name, project: p.project, composeFile: p.file, composeDir: p.dir, containers, ...(client ? { client } : {}), topology };
  progress(`starting containers (${composeCommand(tool)} -p ${p.project} up -d)`);
  // journal first, so that down finds the project even if up is interrupted
  await writeDockerState(state);
  const rollback = async (): Promise<void> => {
    await compose(p, ['down', '-v', '--remove-orphans'], { allowFailure: true }).catch(() => undefined);
    await removeDockerState(p.project);
  };
  // Ctrl-C: remove what this up made, then say so
  const stopIfInterrupted = async (): Promise<void> => {
    if (!options.signal?.aborted) return;
    await rollback();
    throw new DslabError('DSLAB_E_INTERRUPTED', `Interrupted: the Docker lab "${topology.name}" was not brought up, and everything created so far was removed.`, {
      hint: `Run "dslab up --backend docker" again when you are ready.`,
    });
  };
  try {
    await compose(p, ['up', '-d'], { timeoutMs: UP_TIMEOUT_MS, ...(options.signal ? { signal: options.signal } : {}) });
  } catch (err) {
    await stopIfInterrupted();
    await rollback();
    throw failed(`"${composeCommand(tool)} up -d"`, err, 'Read the message above: a missing image can be built or overridden (DSLAB_WEB_IMAGE, DSLAB_DNS_IMAGE, DSLAB_CLIENT_IMAGE); a name in use means another lab runs: "dslab down --backend docker".');
  }
  await stopIfInterrupted();
  progress('checking IPv6 on the network');
  const ipv6 = await checkIpv6(topology, p.project, containers);
  await stopIfInterrupted();
  const bad = ipv6.find((c) => !c.enabled || !c.works);
  if (bad) {
    await rollback();
    throw new DslabError('DSLAB_E_DOCKER_IPV6', `IPv6 does not work on ${bad.network}: ${bad.detail}. The containers were removed.`, {
      field: 'networks',
      value: bad.network,
      hint: 'Enable IPv6 in the engine (Docker Desktop: Settings > Docker Engine; Linux: the ip6 modules loaded, IPv6 not disabled by sysctl), then run up again.',
      details: { ipv6 },
    });
  }
  const list = await inspectContainers(topology, state);
  await stopIfInterrupted();
  const c = client ? containers[client] : undefined;
  // a lab other than the default is named on the host (down would otherwise look for the
  // default lab; run --name finds the project that is up and measures it as it is)
  const labFlag = topology.name === DEFAULT_LAB ? '' : ` --lab ${topology.name}`;
  const nextSteps = c
    ? [`docker exec -it ${c} sh`, `docker exec ${c} dslab run`, `dslab run --backend docker${labFlag ? ` --name ${topology.name}` : ''}`, `dslab down --backend docker${labFlag}`]
    : [`dslab down --backend docker${labFlag}`];
  return { backend: 'docker', lab: topology.name, project: p.project, composeFile: p.file, compose: composeCommand(tool), engine, ipv6, containers: list, nextSteps };
}

export interface DockerDownResult {
  backend: 'docker';
  lab: string;
  project: string;
  removed: boolean;
}

/** The state `up` left, or for the default lab the repository's compose.yaml. */
export async function dockerLabState(lab: string, project = projectName(lab)): Promise<DockerLabState> {
  const state = await readDockerState(project);
  if (state) return state;
  if (lab === DEFAULT_LAB && existsSync(join(packageRoot(), 'compose.yaml'))) {
    return { lab, project: projectName(lab), composeFile: join(packageRoot(), 'compose.yaml'), composeDir: packageRoot(), containers: {} };
  }
  throw new DslabError('DSLAB_E_LAB_NOT_FOUND', `No Docker lab named "${lab}" was started by dslab here.`, {
    field: 'lab',
    value: lab,
    hint: 'Start it with "dslab up --backend docker", or name the lab that is up with --lab.',
  });
}

/**
 * The lab a command acts on: the one --lab names, else the default lab (as Compose takes the
 * project from its default file) — never "whichever Docker lab is up": other people's may be.
 */
export async function resolveDockerLab(lab: string | undefined): Promise<string> {
  return lab ?? DEFAULT_LAB;
}

/** Idempotent, like stop.sh: a lab that dslab did not start here is nothing to remove (removed: false). */
export async function dockerDown(lab: string = DEFAULT_LAB, project = projectName(lab)): Promise<DockerDownResult> {
  let state: DockerLabState;
  try {
    state = await dockerLabState(lab, project);
  } catch (err) {
    if (isDslabError(err, 'DSLAB_E_LAB_NOT_FOUND')) return { backend: 'docker', lab, project, removed: false };
    throw err;
  }
  await checkEngine();
  const tool = await findCompose();
  const p: ComposeProject = { tool, project: state.project, file: state.composeFile, dir: state.composeDir };
  // the default lab has no state when dslab did not start it: say whether anything was there
  const started = (await readDockerState(state.project)) !== undefined;
  const existing = started ? '' : (await docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${state.project}`], { allowFailure: true })).stdout.trim();
  try {
    await compose(p, ['down', '-v', '--remove-orphans'], { timeoutMs: UP_TIMEOUT_MS });
  } catch (err) {
    throw failed('compose down', err, 'Check "docker ps -a" for the lab\'s containers and remove them with "docker rm -f".');
  }
  await removeDockerState(state.project);
  return { backend: 'docker', lab, project: state.project, removed: started || existing !== '' };
}

export interface DockerStatusResult {
  backend: 'docker';
  lab: string;
  project: string;
  containers: { name: string; state: string; service: string }[];
}

export async function dockerStatus(lab: string = DEFAULT_LAB, project = projectName(lab)): Promise<DockerStatusResult> {
  await checkEngine();
  const state = await dockerLabState(lab, project);
  const r = await docker(['ps', '-a', '--filter', `label=com.docker.compose.project=${state.project}`, '--format', '{{.Names}}\t{{.State}}\t{{.Label "com.docker.compose.service"}}']);
  const containers = r.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [name = '', st = '', service = ''] = l.split('\t');
      return { name, state: st, service };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return { backend: 'docker', lab, project: state.project, containers };
}

/** `docker exec` arguments that run argv in a node's container (with a terminal when asked). */
export async function dockerExecArgs(lab: string, node: string, argv: string[], tty: boolean): Promise<string[]> {
  const state = await dockerLabState(lab);
  const container = state.containers[node] ?? containerName(lab, node);
  return ['exec', ...(tty ? ['-it'] : ['-i']), container, ...argv];
}
