/**
 * The per-lab state folder and its journal, `state.json`. Every resource is recorded here
 * *before* it is created, so that `down` (or the next `up`) can remove exactly what a lab
 * made, even after a crash or `kill -9` in the middle of `up`.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { DslabError } from '../../errors.js';
import { LAB_NAME } from '../../lab/rules.js';
import type { Fault } from '../../faults/types.js';
import type { Delayer, PlacedFault } from '../../faults/ruleset.js';
import type { Topology } from '../../lab/topology.js';
import type { Mode } from './access.js';
import type { ProcRef } from './proc.js';

export type ServiceKind = 'dns' | 'web' | 'nginx';

/** What a service of this kind is to the user: nginx is the lab's web server like the built-in one. */
export function serviceFamily(kind: ServiceKind): 'dns' | 'web' {
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

/** Folder holding every lab's state folder for this user. */
export function stateRoot(): string {
  const override = process.env['DSLAB_STATE_ROOT'];
  if (override) return override;
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  if (uid === 0) return '/run/dslab';
  const xdg = process.env['XDG_RUNTIME_DIR'];
  return xdg ? join(xdg, 'dslab') : `/tmp/dslab-${uid}`;
}

export function labStateDir(lab: string): string {
  return join(stateRoot(), lab);
}

export function stateFile(lab: string): string {
  return join(labStateDir(lab), 'state.json');
}

/** The journal of a lab, or undefined when the lab has no state folder (or it is unreadable). */
export function readState(lab: string): LabState | undefined {
  let text: string;
  try {
    text = readFileSync(stateFile(lab), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const state = JSON.parse(text) as LabState;
    return state.version === 1 && state.lab === lab ? state : undefined;
  } catch {
    // a torn write cannot happen (we rename), but a hand-edited file can
    return undefined;
  }
}

/** Writes the journal atomically (write then rename), so a crash never leaves half a file. */
export function writeState(state: LabState): void {
  const file = stateFile(state.lab);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 1) + '\n', { mode: 0o644 });
  renameSync(tmp, file);
}

/**
 * Creates the state folder; fails with `EEXIST` semantics when it is there already.
 * `mkdir` of the lab folder is atomic, so two `up` of the same lab cannot both proceed.
 */
export function claimStateDir(lab: string): boolean {
  mkdirSync(stateRoot(), { recursive: true, mode: 0o755 });
  try {
    mkdirSync(labStateDir(lab), { mode: 0o755 });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

export function removeStateDir(lab: string): boolean {
  const dir = labStateDir(lab);
  try {
    readdirSync(dir);
  } catch {
    return false;
  }
  rmSync(dir, { recursive: true, force: true });
  return true;
}

/** Labs that have a state folder (up, being created, or left by a crash). */
export function stateLabs(): string[] {
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
