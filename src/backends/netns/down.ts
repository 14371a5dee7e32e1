/**
 * Tears a lab down: stops its services (tracked PIDs, verified by start time) and any other
 * process still inside its namespaces, deletes its namespaces (as root `ip netns del`;
 * rootless by stopping their holders and the keeper), the nodes' /etc files and the state
 * folder. Idempotent, and also removes what a crashed or interrupted `up` left: it trusts
 * the journal and the lab's name prefix, nothing broader.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { rootAccess, ETC_NETNS, isRoot, type Access, type Mode } from './access.js';
import { removeEtcDir } from './etc-files.js';
import { accessOf } from './exec.js';
import { rootIpBatch } from './ip.js';
import { checkLabName } from './lab-name.js';
import { holdersOf } from './keeper.js';
import { isAlive, nsInode, processesInNetns, processesInUserNs, terminate, type ProcRef } from './proc.js';
import { labStateDir, readState, removeStateDir, stateLabs, type LabState } from './state.js';

export interface DownResult {
  lab: string;
  /** How the lab was made (root: named namespaces; rootless: keeper and holder processes). */
  mode: Mode;
  /** False when nothing of the lab was found (down is idempotent). */
  existed: boolean;
  services: Array<{ id: string; node: string; pid: number; wasRunning: boolean }>;
  /** Other processes found inside the lab's namespaces and stopped. */
  strayProcesses: number[];
  namespaces: string[];
  etcDirs: string[];
  keeper: boolean;
  stateDir: boolean;
  ms: number;
}

export interface DownOptions {
  onProgress?: (message: string) => void;
}

export async function down(labName: string, options: DownOptions = {}): Promise<DownResult> {
  const lab = checkLabName(labName);
  const t0 = performance.now();
  const progress = options.onProgress ?? (() => {});
  const state = readState(lab);
  const mode: Mode = state?.mode ?? (isRoot() ? 'root' : 'rootless');
  const access: Access = state ? accessOf(state) : rootAccess;

  // As root, namespaces shaped like the lab's count too (a crash before the journal was read back).
  const candidates = new Set(state?.namespaces ?? []);
  if (mode === 'root') for (const ns of rootAccess.namespaces()) if (ns.startsWith(`${lab}-`)) candidates.add(ns);
  const namespaces = [...candidates].filter((ns) => access.netnsInode(ns) !== undefined);
  const inodes = new Set(namespaces.map((ns) => access.netnsInode(ns)!));

  // the fault delayers are the lab's processes too (they also live in its switch namespace)
  const tracked = [...(state?.services ?? []), ...(state?.delayers ?? [])].filter((s) => s.proc);
  const services = (state?.services ?? []).filter((s) => s.proc).map((s) => ({ id: s.id, node: s.node, pid: s.proc!.pid, wasRunning: isAlive(s.proc!) }));
  // rootless: the journaled keeper and holders, and any the journal missed (a kill -9 of `up`
  // between spawning one and journaling it); everything in their user namespace is the lab's
  const holders = mode === 'rootless' ? uniqueRefs([...(state?.keeper ? [state.keeper] : []), ...Object.values(state?.holders ?? {}), ...holdersOf(labStateDir(lab))]) : [];
  const ownUserNs = nsInode(process.pid, 'user');
  const userNs = new Set(holders.filter(isAlive).map((h) => nsInode(h.pid, 'user')).filter((i): i is number => i !== undefined && i !== ownUserNs));
  const ours = new Set([...tracked.map((s) => s.proc!.pid), ...holders.map((h) => h.pid)]);
  const strays = uniqueRefs([...processesInNetns(inodes), ...processesInUserNs(userNs)]).filter((p) => !ours.has(p.pid));
  const toStop: ProcRef[] = [...tracked.map((s) => s.proc!), ...strays];
  if (toStop.some(isAlive)) {
    progress(`Stopping ${services.filter((s) => s.wasRunning).length} service(s)${strays.length ? ` and ${strays.length} other process(es)` : ''}`);
    await terminate(toStop, 1000);
  }

  if (namespaces.length > 0) progress(`Removing ${namespaces.length} namespace(s)`);
  if (mode === 'root') {
    if (namespaces.length > 0) await rootIpBatch(namespaces.map((ns) => `netns del ${ns}`), { force: true });
  } else {
    // a rootless namespace lives as long as its holder; the user namespace as long as the keeper
    await terminate(holders.filter((h) => h.pid !== state?.keeper?.pid), 500);
  }

  const etcDirs = etcDirsOf(lab, state, mode);
  for (const dir of etcDirs) removeEtcDir(dir);

  let keeper = false;
  if (state?.keeper && isAlive(state.keeper)) {
    await terminate([state.keeper], 500);
    keeper = true;
  }
  const stateDir = removeStateDir(lab);
  const existed = stateDir || namespaces.length > 0 || etcDirs.length > 0 || services.length > 0 || holders.length > 0;
  return { lab, mode, existed, services, strayProcesses: strays.map((p) => p.pid), namespaces, etcDirs, keeper, stateDir, ms: performance.now() - t0 };
}

/** Folders of the nodes' /etc files: journaled ones, and as root /etc/netns/<lab>-*. */
function etcDirsOf(lab: string, state: LabState | undefined, mode: Mode): string[] {
  const dirs = new Set(state?.etcDirs ?? []);
  if (mode === 'root') {
    try {
      for (const d of readdirSync(ETC_NETNS)) if (d.startsWith(`${lab}-`)) dirs.add(join(ETC_NETNS, d));
    } catch {
      // no /etc/netns at all
    }
  }
  return [...dirs].filter((d) => {
    try {
      readdirSync(d);
      return true;
    } catch {
      return false;
    }
  });
}

/** Tears down every lab that has a state folder (never namespaces of labs we know nothing of). */
export async function downAll(options: DownOptions = {}): Promise<DownResult[]> {
  const results: DownResult[] = [];
  // stateLabs() lists only folders named like a lab (what checkLabName accepts)
  for (const lab of stateLabs()) results.push(await down(lab, options));
  return results;
}

function uniqueRefs(refs: readonly ProcRef[]): ProcRef[] {
  const seen = new Map<number, ProcRef>();
  for (const r of refs) if (!seen.has(r.pid)) seen.set(r.pid, r);
  return [...seen.values()];
}
