/**
 * The per-lab state folder and its journal, `state.json`. Every resource is recorded here
 * *before* it is created, so that `down` (or the next `up`) can remove exactly what a lab
 * made, even after a crash or `kill -9` in the middle of `up`. The folders are 0700 and the
 * files 0600; the state root, a lab's folder and its journal are checked (owner, mode, not a
 * symbolic link) before they are read or written (DSLAB_E_STATE_UNSAFE otherwise).
 */
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { DslabError } from '../../errors.js';
import { LAB_NAME } from '../../lab/rules.js';
import type { Fault } from '../../faults/types.js';
import type { Delayer, PlacedFault } from '../../faults/ruleset.js';
import type { Topology } from '../../lab/topology.js';
import { checkDir, createPrivateFile, readOwnFile } from '../../util/private-fs.js';
import { ensureStateRoot, stateRoot, stateRootPresent } from '../state-root.js';
import type { Mode } from './access.js';
import type { ProcRef } from './proc.js';

export { stateRoot } from '../state-root.js';

/**
 * The kinds of lab service: the DNS server, the built-in web server, nginx, a router's radvd
 * (SLAAC and DHCPv6 networks) or its DHCPv6 server (dnsmasq, DHCPv6 networks).
 */
export type ServiceKind = 'dns' | 'web' | 'nginx' | 'radvd' | 'dhcpv6' | 'nat64';

/** What a service of this kind is to the user: nginx is the lab's web server like the built-in one. */
export function serviceFamily(kind: ServiceKind): Exclude<ServiceKind, 'nginx'> {
  return kind === 'nginx' ? 'web' : kind;
}

export interface ServiceRecord {
  /** Stable service id: `dns`, `web`, or `<kind>-<node>` when a lab has several of a kind. */
  id: string;
  kind: ServiceKind;
  node: string;
  log: string;
  /** Present from the moment the process is spawned. */
  proc?: ProcRef;
}

export interface LabState {
  version: 1;
  lab: string;
  mode: Mode;
  /** `creating` while `up` runs; `up` once it finished. */
  phase: 'creating' | 'up';
  createdAt: string;
  /** The `dslab up` process that created the lab (to tell a running `up` from a crashed one). */
  owner: ProcRef;
  topology: Topology;
  /** Rootless: the keeper holding the user namespace. */
  keeper?: ProcRef;
  /** Rootless: the process holding each namespace (journaled as each is spawned). */
  holders?: Record<string, ProcRef>;
  namespaces: string[];
  /** Folders holding the nodes' /etc files (/etc/netns/<ns> as root). */
  etcDirs: string[];
  services: ServiceRecord[];
  /** Faults in effect (lab file, `up --fault`, `fault add`), in order. */
  faults?: Fault[];
  /** The network faults with the queue, rate class or reject number each got. */
  placement?: PlacedFault[];
  /** Processes that delay queued packets in the switch (one per delay fault, one for rejects). */
  delayers?: DelayerRecord[];
  /** Generation of the DNS faults files the DNS services serve. */
  dnsFaultGeneration?: number;
}

export interface DelayerRecord extends Delayer {
  log: string;
  /** Present from the moment the process is spawned. */
  proc?: ProcRef;
}

/** The lab's state folder: a folder named after the lab in the state root. */
export function labStateDir(lab: string): string {
  return join(stateRoot(), lab);
}

export function stateFile(lab: string): string {
  return join(labStateDir(lab), 'state.json');
}

/**
 * Checks the lab's folder (a real folder of ours that nobody else can write into); false
 * when there is none. DSLAB_E_STATE_UNSAFE when the state root or the folder fails.
 */
export function checkLabDir(lab: string): boolean {
  if (!stateRootPresent()) return false;
  return checkDir(labStateDir(lab), { role: 'lab' });
}

/**
 * The journal of a lab, or undefined when the lab has no state folder or no readable
 * journal. It is data from disk: the folder and the file must be ours and writable by nobody
 * else, and the file is opened without following a symbolic link (DSLAB_E_STATE_UNSAFE).
 */
export function readState(lab: string): LabState | undefined {
  if (!checkLabDir(lab)) return undefined;
  const file = stateFile(lab);
  const text = readOwnFile(file, `Check ${file} (someone or something else wrote it), remove the folder ${labStateDir(lab)} if it is not your lab, then run the command again.`);
  if (text === undefined) return undefined;
  try {
    const state = JSON.parse(text) as LabState;
    return state.version === 1 && state.lab === lab ? state : undefined;
  } catch {
    // a torn write cannot happen (we rename), but a hand-edited file can
    return undefined;
  }
}

/** Writes the journal atomically (a new 0600 file, then rename), so a crash never leaves half a file. */
export function writeState(state: LabState): void {
  const file = stateFile(state.lab);
  const tmp = `${file}.${process.pid}.tmp`;
  rmSync(tmp, { force: true }); // one of ours from a write that failed half-way
  createPrivateFile(tmp, JSON.stringify(state, null, 1) + '\n');
  renameSync(tmp, file);
}

/**
 * Creates the state folder (0700, in a checked state root); false when it is there already.
 * `mkdir` of the lab folder is atomic, so two `up` of the same lab cannot both proceed.
 */
export function claimStateDir(lab: string): boolean {
  ensureStateRoot();
  try {
    mkdirSync(labStateDir(lab), { mode: 0o700 });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Removes the lab's folder (after the same checks as reading it: never through a link). */
export function removeStateDir(lab: string): boolean {
  if (!checkLabDir(lab)) return false;
  rmSync(labStateDir(lab), { recursive: true, force: true });
  return true;
}

/** Labs that have a state folder (up, being created, or left by a crash). */
export function stateLabs(): string[] {
  if (!stateRootPresent()) return [];
  try {
    return readdirSync(stateRoot(), { withFileTypes: true })
      // only folders named like a lab: other backends keep theirs beside (e.g. `.docker`)
      .filter((d) => d.isDirectory() && LAB_NAME.test(d.name))
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}

/** The journal of a lab that must be there; DSLAB_E_LAB_NOT_FOUND (naming the labs that are) when it is not. */
export function requireState(lab: string): LabState {
  const state = readState(lab);
  if (state) return state;
  const labs = stateLabs();
  throw new DslabError('DSLAB_E_LAB_NOT_FOUND', `The lab "${lab}" is not up.`, {
    field: 'lab',
    value: lab,
    hint: labs.length === 0 ? 'No lab is up: start one with "dslab up".' : `Labs that exist: ${labs.join(', ')}. Pick one with --lab NAME.`,
  });
}

/** The topology of a lab that is up, as `up` saved it (what `dslab run` and others read). */
export function loadLabState(lab: string): Topology {
  return requireState(lab).topology;
}
