/**
 * Tears a lab down: stops its services (tracked PIDs, verified by start time) and any other
 * process still inside its namespaces, deletes its namespaces (as root `ip netns del`;
 * rootless by stopping their holders and the keeper), the nodes' /etc files and the state
 * folder. Idempotent, and also removes what a crashed or interrupted `up` left: it trusts
 * the journal and the lab's name prefix, nothing broader, and the journal only as far as
 * journal-trust.ts vouches for it: a PID that is not this lab's is never signalled (it is
 * reported in `refused`).
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { currentUid, modeText, ownerText } from '../../util/private-fs.js';
import { rootAccess, rootlessAccess, ETC_NETNS, isRoot, type Access, type Mode } from './access.js';
import { removeEtcDir } from './etc-files.js';
import { rootIpBatch } from './ip.js';
import { isLabNamespace, vetJournal, whyNotOurs, type Refusal } from './journal-trust.js';
import { checkLabName } from './lab-name.js';
import { holdersOf } from './keeper.js';
import { isAlive, nsInode, processesInNetns, processesInUserNs, procUid, terminate, type ProcRef } from './proc.js';
import { labStateDir, readState, removeStateDir, stateFile, stateLabs } from './state.js';

/**
 * What `down` removed: services and stray processes stopped, namespaces, /etc folders, keeper
 * and state folder, what it refused to touch and why, and how long it took (ms).
 */
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
  /** Processes the journal names that are not this lab's: left running, never signalled. */
  refused: Refusal[];
  /** What was left alone and why (refused processes, names that are not the lab's, foreign folders). */
  warnings: string[];
  ms: number;
}

/** Options of `down` and `downAll`. */
export interface DownOptions {
  /** Called with a one-line message as services are stopped and namespaces removed. */
  onProgress?: (message: string) => void;
}

/**
 * Tears a lab down: stops its services and any other process in its namespaces, deletes the
 * namespaces, the nodes' /etc files and the state folder. Idempotent; never signals a process
 * that is not the lab's.
 */
export async function down(labName: string, options: DownOptions = {}): Promise<DownResult> {
  const lab = checkLabName(labName);
  const t0 = performance.now();
  const progress = options.onProgress ?? (() => {});
  const state = readState(lab); // DSLAB_E_STATE_UNSAFE when the folder or the journal is not ours alone
  const mode: Mode = state?.mode ?? (isRoot() ? 'root' : 'rootless');
  const stateDir = labStateDir(lab);
  const journal = vetJournal(lab, state, mode, stateDir);
  const { refused, warnings } = journal;
  // rootless, only holders that passed the checks lead to namespaces (a foreign PID could name the machine's own)
  const access: Access = mode === 'rootless' ? rootlessAccess(stateDir, journal.holders) : rootAccess;

  // As root, namespaces shaped like the lab's count too (a crash before the journal was read back).
  const candidates = new Set(journal.namespaces);
  if (mode === 'root') for (const ns of rootAccess.namespaces()) if (isLabNamespace(lab, ns)) candidates.add(ns);
  const namespaces = [...candidates].filter((ns) => access.netnsInode(ns) !== undefined);
  const inodes = new Set(namespaces.map((ns) => access.netnsInode(ns)!));

  // the fault delayers are the lab's processes too (they also live in its switch namespace)
  const tracked = [...journal.services, ...journal.delayers].filter((s) => s.proc);
  const services = journal.services.filter((s) => s.proc).map((s) => ({ id: s.id, node: s.node, pid: s.proc!.pid, wasRunning: isAlive(s.proc!) }));
  // rootless: the journaled keeper and holders, and any the journal missed (a kill -9 of `up`
  // between spawning one and journaling it); everything in their user namespace is the lab's
  const found = mode === 'rootless' ? holdersOf(stateDir).filter((h) => whyNotOurs(h, stateDir, 'holder') === undefined) : [];
  const holders = mode === 'rootless' ? uniqueRefs([...(journal.keeper ? [journal.keeper] : []), ...Object.values(journal.holders), ...found]) : [];
  const ownUserNs = nsInode(process.pid, 'user');
  const userNs = new Set(holders.filter(isAlive).map((h) => nsInode(h.pid, 'user')).filter((i): i is number => i !== undefined && i !== ownUserNs));
  const ours = new Set([...tracked.map((s) => s.proc!.pid), ...holders.map((h) => h.pid)]);
  const refusedPids = new Set(refused.map((r) => r.pid));
  const uid = currentUid();
  // a user namespace of ours holds only our uid; the check is cheap, so it is made anyway
  const inUserNs = processesInUserNs(userNs).filter((p) => procUid(p.pid) === uid);
  const strays = uniqueRefs([...processesInNetns(inodes), ...inUserNs]).filter((p) => !ours.has(p.pid) && !refusedPids.has(p.pid));
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
    await terminate(holders.filter((h) => h.pid !== journal.keeper?.pid), 500);
  }

  const etcDirs = etcDirsOf(lab, journal.etcDirs, mode, warnings);
  for (const dir of etcDirs) removeEtcDir(dir);

  let keeper = false;
  if (journal.keeper && isAlive(journal.keeper)) {
    await terminate([journal.keeper], 500);
    keeper = true;
  }
  const removed = removeStateDir(lab);
  for (const r of refused) {
    warnings.push(`Did not stop pid ${r.pid}, which the journal ${stateFile(lab)} names as the lab's ${r.what}: ${r.reason}. It is not a process this lab started; find out who changed the journal.`);
  }
  const existed = removed || namespaces.length > 0 || etcDirs.length > 0 || services.length > 0 || holders.length > 0;
  return { lab, mode, existed, services, strayProcesses: strays.map((p) => p.pid), namespaces, etcDirs, keeper, stateDir: removed, refused, warnings, ms: performance.now() - t0 };
}

/**
 * Folders of the nodes' /etc files: journaled ones, and as root /etc/netns/<lab>-*. Only
 * real folders are removed (as root: root's, writable by nobody else); a symbolic link or a
 * folder someone else made is left alone, with a warning.
 */
function etcDirsOf(lab: string, journaled: readonly string[], mode: Mode, warnings: string[]): string[] {
  const dirs = new Set(journaled);
  if (mode === 'root') {
    try {
      for (const d of readdirSync(ETC_NETNS)) if (isLabNamespace(lab, d)) dirs.add(join(ETC_NETNS, d));
    } catch {
      // no /etc/netns at all
    }
  }
  return [...dirs].filter((d) => {
    let st;
    try {
      st = lstatSync(d);
    } catch {
      return false; // not there
    }
    const problem = st.isSymbolicLink() ? 'it is a symbolic link' : !st.isDirectory() ? 'it is not a folder' : st.uid !== currentUid() ? `it belongs to ${ownerText(st.uid)}` : st.mode & 0o022 ? `others can write into it (mode ${modeText(st.mode)})` : undefined;
    if (problem) warnings.push(`Left ${d} alone: ${problem}, so dslab did not make it. Remove it yourself if it is in the way.`);
    return problem === undefined;
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
