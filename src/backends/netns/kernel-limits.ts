/**
 * The machine-wide kernel limits that cap how large a lab can be, checked before anything is
 * built: the neighbour tables (one per family, shared by every namespace: each node on a
 * network costs about two entries, its gateway in the node and the node in the switch, and
 * `gc_thresh3` is the hard maximum), a bridge's 1,023 ports (one per node on a network), and,
 * rootless, the user's process limit (a holder process per namespace). `--tune-kernel` (root)
 * raises the neighbour limits and says what it changed; nothing changes them silently.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { DslabError } from '../../errors.js';
import type { Topology } from '../../lab/topology.js';

/** Entries a node costs in its family's neighbour table (its gateway in the node, the node in the switch). */
export const ENTRIES_PER_NODE = 2;
/** Room kept for the lab's own traffic between nodes (client to web and dns, the checks). */
const TRAFFIC_MARGIN = 16;
/** A Linux bridge numbers its ports in 10 bits, port 0 reserved (BR_MAX_PORTS). */
export const BRIDGE_MAX_PORTS = 1023;

export type Family = 4 | 6;

export interface NeighbourTable {
  family: Family;
  /** The sysctl that caps it (hard maximum). */
  sysctl: string;
  max: number;
  /** Entries in use now (every namespace counts). */
  inUse: number;
}

export interface LimitProblem {
  /** What is limited, e.g. `net.ipv6.neigh.default.gc_thresh3`. */
  limit: string;
  found: number;
  needed: number;
  /** The command that raises it, when it can be raised. */
  fix?: string;
  message: string;
}

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
};

function threshPath(family: Family, n: 1 | 2 | 3): string {
  return `/proc/sys/net/ipv${family}/neigh/default/gc_thresh${n}`;
}

/** The table's size limit and how many entries it holds now (from /proc/net/stat, hex, shared by all namespaces). */
export function neighbourTable(family: Family): NeighbourTable | undefined {
  const max = Number(read(threshPath(family, 3)));
  if (!Number.isFinite(max) || max <= 0) return undefined;
  const stat = read(family === 6 ? '/proc/net/stat/ndisc_cache' : '/proc/net/stat/arp_cache');
  const first = stat?.split('\n')[1]?.trim().split(/\s+/)[0];
  const inUse = first ? parseInt(first, 16) : 0;
  return { family, sysctl: `net.ipv${family}.neigh.default.gc_thresh3`, max, inUse: Number.isFinite(inUse) ? inUse : 0 };
}

/** Nodes that have an address of `family` (a node on two networks counts once per attachment). */
function attachmentsOf(topology: Topology, family: Family): number {
  return topology.nodes.reduce((sum, n) => sum + n.attachments.filter((a) => (family === 4 ? a.ipv4 : a.ipv6)).length, 0);
}

/** The neighbour entries a lab needs in `family`'s table. */
export function neighboursNeeded(topology: Topology, family: Family): number {
  const n = attachmentsOf(topology, family);
  return n === 0 ? 0 : n * ENTRIES_PER_NODE + TRAFFIC_MARGIN;
}

/** The value to raise gc_thresh3 to for `needed` more entries: room for it and for what is in use, rounded up to a power of two. */
export function suggestedMax(t: NeighbourTable, needed: number): number {
  let v = 1024;
  while (v < (t.inUse + needed) * 1.25) v *= 2;
  return v;
}

function userProcessLimit(): number | undefined {
  const line = read('/proc/self/limits')?.split('\n').find((l) => l.startsWith('Max processes'));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === undefined || soft === 'unlimited' ? undefined : Number(soft);
}

/** What stands in the way of building `topology` on this machine now (empty: nothing). */
export function limitProblems(topology: Topology, mode: 'root' | 'rootless'): LimitProblem[] {
  const problems: LimitProblem[] = [];
  for (const family of [6, 4] as const) {
    const t = neighbourTable(family);
    const needed = neighboursNeeded(topology, family);
    if (!t || needed === 0 || t.inUse + needed <= t.max) continue;
    const room = Math.max(0, Math.floor((t.max - t.inUse - TRAFFIC_MARGIN) / ENTRIES_PER_NODE));
    const to = suggestedMax(t, needed);
    const fix = `sysctl -w ${t.sysctl}=${to} net.ipv${family}.neigh.default.gc_thresh2=${to / 2} net.ipv${family}.neigh.default.gc_thresh1=${to / 8}`;
    problems.push({
      limit: t.sysctl,
      found: t.max,
      needed: t.inUse + needed,
      ...(mode === 'root' ? { fix } : {}),
      message:
        `The IPv${family} neighbour table is too small for this lab: ${attachmentsOf(topology, family)} node addresses need about ${needed} entries, ` +
        `${t.inUse} are in use on this machine, and ${t.sysctl} is ${t.max} (one limit for every namespace). Without more room, nodes past about ${room} would not answer.`,
    });
  }
  for (const net of topology.networks) {
    const ports = topology.nodes.reduce((sum, n) => sum + n.attachments.filter((a) => a.network === net.name).length, 0);
    if (ports > BRIDGE_MAX_PORTS) {
      problems.push({
        limit: `bridge ports of network ${net.name}`,
        found: BRIDGE_MAX_PORTS,
        needed: ports,
        message: `Network ${net.name} has ${ports} nodes, but a Linux bridge has at most ${BRIDGE_MAX_PORTS} ports (a fixed kernel limit). Split the nodes over several networks.`,
      });
    }
  }
  if (mode === 'rootless') {
    const max = userProcessLimit();
    const needed = topology.nodes.length + 1 + topology.nodes.filter((n) => n.role === 'web' || n.role === 'dns').length + 8;
    if (max !== undefined && needed > max) {
      problems.push({ limit: 'processes per user (ulimit -u)', found: max, needed, message: `Rootless, each namespace is held by a process: this lab needs about ${needed} processes and your limit is ${max}.`, fix: `ulimit -u ${needed * 2}` });
    }
  }
  return problems;
}

/** Refuses, before anything is built, a lab the kernel's limits would break (DSLAB_E_KERNEL_LIMIT). */
export function checkKernelLimits(topology: Topology, mode: 'root' | 'rootless'): void {
  const problems = limitProblems(topology, mode);
  if (problems.length === 0) return;
  const first = problems[0]!;
  const fixes = problems.flatMap((p) => (p.fix ? [p.fix] : []));
  const tunable = problems.every((p) => p.limit.includes('gc_thresh3'));
  throw new DslabError('DSLAB_E_KERNEL_LIMIT', `${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more limit(s); --json lists them)` : ''} Nothing was created.`, {
    field: first.limit,
    value: first.found,
    hint:
      mode === 'rootless' && tunable
        ? `These are machine-wide settings only root can raise: ask for "${problems.map((p) => `sysctl -w ${p.limit}=${p.needed * 2}`).join('; ')}", or build a smaller lab.`
        : fixes.length
          ? `Raise it: ${fixes.join('; ')} (machine-wide), or let "dslab up --tune-kernel" do it and say what it changed.`
          : 'Change the lab file as the message says.',
    details: { problems },
  });
}

/** A machine-wide kernel setting `--tune-kernel` raised: the sysctl, and its old and new values. */
export interface KernelChange {
  sysctl: string;
  from: number;
  to: number;
}

/** `up --tune-kernel` (root): raises the neighbour limits this lab needs; returns what changed (to be said to the user). */
export function tuneKernel(topology: Topology): KernelChange[] {
  const changes: KernelChange[] = [];
  for (const family of [6, 4] as const) {
    const t = neighbourTable(family);
    const needed = neighboursNeeded(topology, family);
    if (!t || needed === 0 || t.inUse + needed <= t.max) continue;
    const to = suggestedMax(t, needed);
    for (const [n, v] of [[3, to], [2, to / 2], [1, to / 8]] as const) {
      const path = threshPath(family, n);
      const from = Number(read(path));
      if (from >= v) continue;
      writeFileSync(path, `${v}\n`);
      changes.push({ sysctl: `net.ipv${family}.neigh.default.gc_thresh${n}`, from, to: v });
    }
  }
  return changes;
}
