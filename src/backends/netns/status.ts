/**
 * Which labs exist and how they are: `listLabs` (every lab with a state folder), `status`
 * (one lab: nodes, namespaces present, services running or dead), and `resolveLab` (the lab
 * a command acts on: the one given, else the only one up, else an error listing them).
 */
import { spawnSync } from 'node:child_process';
import { DslabError } from '../../errors.js';
import type { Fault } from '../../faults/types.js';
import { defaultLabName } from '../../lab/load.js';
import { nodeNamespace, switchNamespace } from '../../lab/names.js';
import { shownRoutesOf, type Route } from '../../lab/routes.js';
import { findNodeByAddress, nodeAddressesByFamily, type Role } from '../../lab/topology.js';
import type { Mode } from './access.js';
import { accessOf } from './exec.js';
import { checkLabName } from './lab-name.js';
import { isAlive } from './proc.js';
import { serviceHealth, type ServiceHealth } from './services.js';
import { labStateDir, readState, requireState, stateLabs, type LabState, type ServiceKind } from './state.js';

/** `up`: complete and healthy; `degraded`: up but a service died or a namespace is missing;
 *  `creating`: an `up` is running; `broken`: left by a crashed `up` (run `dslab down`). */
export type LabHealth = 'up' | 'degraded' | 'creating' | 'broken';

/** One lab in brief: its name, health, mode, creation time, source, node count and state folder. */
export interface LabSummary {
  lab: string;
  health: LabHealth;
  mode: Mode | 'unknown';
  createdAt?: string;
  source?: string;
  nodes: number;
  stateDir: string;
}

/** One lab in full: its summary plus its nodes, switch, services, faults, fault delayers and neighbour caches. */
export interface LabStatus extends LabSummary {
  nodeList: Array<{ name: string; role: Role; namespace: string; present: boolean; ipv4: string[]; ipv6: string[]; routes: Route[] }>;
  switch: { namespace: string; present: boolean };
  services: Array<{ id: string; kind: ServiceKind; node: string; pid?: number; health: ServiceHealth; log: string }>;
  /** The faults in effect (`dslab fault ls` adds packet counters). */
  faults: Fault[];
  /** The processes that delay queued packets for delay and reject faults. */
  delayers: Array<{ id: string; queue: number; pid?: number; health: ServiceHealth }>;
  /** Each node's neighbour cache (`ip neigh`): which lab addresses it has resolved, and which failed. */
  neighbours: Neighbour[];
}

/**
 * One neighbour-cache entry of a node. `FAILED`: nobody answered neighbour discovery (an
 * address no node has, like the article's ::9999): a connect to it fails with EHOSTUNREACH
 * ("No route to host") after about 3 s (three solicitations, one a second), and one started
 * while an earlier resolution is still INCOMPLETE fails when that one does, so sooner.
 */
export interface Neighbour {
  node: string;
  address: string;
  dev: string;
  /** The kernel's NUD states, e.g. ["REACHABLE"], ["STALE"], ["FAILED"], ["INCOMPLETE"]. */
  state: string[];
  lladdr?: string;
  /** The lab node that has this address, `(switch)` for a network's gateway address, or null when nothing in the lab has it. */
  owner: string | null;
}

function ownerOf(state: LabState, address: string): string | null {
  const node = findNodeByAddress(state.topology, address);
  if (node) return node.name;
  return state.topology.networks.some((n) => n.gateway4 === address || n.gateway6 === address) ? SWITCH_OWNER : null;
}

/** Owner of a network's gateway address (on the switch). */
export const SWITCH_OWNER = '(switch)';

function neighboursOf(state: LabState, present: ReadonlySet<string>): Neighbour[] {
  const access = accessOf(state);
  const out: Neighbour[] = [];
  for (const n of state.topology.nodes) {
    const ns = nodeNamespace(state.lab, n.name);
    if (!present.has(ns)) continue;
    const c = access.ip(ns, ['-j', 'neigh', 'show']);
    const r = spawnSync(c.file, c.args, { encoding: 'utf8', timeout: 3000 });
    if (r.status !== 0) continue;
    let entries: Array<{ dst?: string; dev?: string; lladdr?: string; state?: string[] }>;
    try {
      entries = JSON.parse(r.stdout || '[]') as typeof entries;
    } catch {
      continue;
    }
    for (const e of entries) {
      if (!e.dst || e.dst.startsWith('fe80:') || e.dev === 'lo') continue;
      out.push({ node: n.name, address: e.dst, dev: e.dev ?? '', state: e.state ?? [], ...(e.lladdr ? { lladdr: e.lladdr } : {}), owner: ownerOf(state, e.dst) });
    }
  }
  return out;
}

function presentNamespaces(state: LabState): Set<string> {
  try {
    return new Set(accessOf(state).namespaces());
  } catch {
    return new Set();
  }
}

/** The status of one lab that has a state folder: its nodes and namespaces present, services running or dead, and neighbour caches. */
export function status(labName: string): LabStatus {
  const state = requireState(checkLabName(labName));
  return { ...statusOf(state), neighbours: neighboursOf(state, presentNamespaces(state)) };
}

function statusOf(state: LabState): Omit<LabStatus, 'neighbours'> {
  const lab = state.lab;
  const stateDir = labStateDir(lab);
  const present = presentNamespaces(state);
  const nodeList = state.topology.nodes.map((n) => ({
    name: n.name,
    role: n.role,
    namespace: nodeNamespace(lab, n.name),
    present: present.has(nodeNamespace(lab, n.name)),
    ...nodeAddressesByFamily(n),
    routes: shownRoutesOf(n, state.topology),
  }));
  const sw = { namespace: switchNamespace(lab), present: present.has(switchNamespace(lab)) };
  const services = state.services.map((s) => ({ id: s.id, kind: s.kind, node: s.node, ...(s.proc ? { pid: s.proc.pid } : {}), health: serviceHealth(s), log: `${stateDir}/${s.log}` }));
  const delayers = (state.delayers ?? []).map((d) => ({ id: d.id, queue: d.queue, ...(d.proc ? { pid: d.proc.pid } : {}), health: serviceHealth(d) }));
  const healthy = nodeList.every((n) => n.present) && sw.present && services.every((s) => s.health === 'running') && delayers.every((d) => d.health === 'running');
  return { ...summaryOf(state, healthy), nodeList, switch: sw, services, faults: state.faults ?? [], delayers };
}

function summaryOf(state: LabState, healthy: boolean): LabSummary {
  let health: LabHealth;
  if (state.phase === 'creating') health = isAlive(state.owner) ? 'creating' : 'broken';
  else health = healthy ? 'up' : 'degraded';
  return {
    lab: state.lab,
    health,
    mode: state.mode,
    createdAt: state.createdAt,
    source: state.topology.source,
    nodes: state.topology.nodes.length,
    stateDir: labStateDir(state.lab),
  };
}

/** Every lab that has a state folder, with its health. */
export function listLabs(): LabSummary[] {
  const out: LabSummary[] = [];
  for (const lab of stateLabs()) {
    const state = readState(lab);
    if (state) {
      out.push(statusOf(state));
    } else {
      out.push({ lab, health: 'broken', mode: 'unknown', nodes: 0, stateDir: labStateDir(lab) });
    }
  }
  return out.map(({ lab, health, mode, createdAt, source, nodes, stateDir }) => ({ lab, health, mode, nodes, stateDir, ...(createdAt ? { createdAt } : {}), ...(source ? { source } : {}) }));
}

/**
 * The lab a command acts on: `name` when given (it must be up), else the default lab (the
 * name in examples/default.yaml, as Compose takes the project from its default file). Never
 * "whichever lab is up": as root every lab on the machine is visible, other people's too.
 */
export function resolveLab(name?: string, field = '--lab'): string {
  if (name !== undefined) {
    const lab = checkLabName(name, field);
    requireState(lab);
    return lab;
  }
  const lab = defaultLabName();
  if (readState(lab)) return lab;
  const labs = stateLabs();
  throw new DslabError('DSLAB_E_LAB_NOT_FOUND', `No --lab was given, and the default lab "${lab}" is not up.`, {
    field: '--lab',
    value: lab,
    hint: labs.length === 0 ? 'Start it with "dslab up".' : `Name the lab with --lab NAME (labs that are up: ${labs.join(', ')}), or start the default one with "dslab up".`,
  });
}
