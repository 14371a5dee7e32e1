/**
 * The operations behind `dslab fault`: add faults (specs, lab-file entries or scenarios) to
 * a lab that is up, remove some or all, and list them with their packet counters. Each is
 * validated against the lab before anything changes, and applied as one change.
 */
import { DslabError } from '../../errors.js';
import { scenarioFaults } from '../../faults/scenarios.js';
import type { Fault, RawFault } from '../../faults/types.js';
import { validateFaults } from '../../faults/validate.js';
import { checkLabName } from './lab-name.js';
import { deadDelayers, faultCounters, setFaults, type FaultCounter } from './faults.js';
import { requireState, type LabState } from './state.js';

export interface FaultList {
  lab: string;
  faults: Array<Fault & { packets?: number; bytes?: number }>;
  /** Faults whose delayer process died (their delay or reject is not in effect). */
  broken: string[];
}

function upState(lab: string): LabState {
  const state = requireState(checkLabName(lab));
  if (state.phase !== 'up') {
    throw new DslabError('DSLAB_E_LAB_NOT_FOUND', `The lab "${lab}" is not up yet (its "dslab up" is still running or was interrupted).`, {
      field: 'lab',
      value: lab,
      hint: `Wait for "dslab up" to finish, or clean up with "dslab down --lab ${lab}".`,
    });
  }
  return state;
}

export interface AddFaultsInput {
  /** Faults as written (parsed `--fault` specs or lab-file entries). */
  faults?: RawFault[];
  scenarios?: string[];
}

/** Adds faults to a lab that is up; returns the faults added. */
export async function addFaults(lab: string, input: AddFaultsInput): Promise<Fault[]> {
  const state = upState(lab);
  const existing = state.faults ?? [];
  const added: Fault[] = [];
  for (const name of input.scenarios ?? []) added.push(...scenarioFaults(name, state.topology, [...existing, ...added]));
  added.push(...validateFaults(input.faults ?? [], state.topology, [...existing, ...added], ['fault']));
  if (added.length === 0 && (input.scenarios ?? []).length > 0) return []; // a scenario that is the lab itself (unassigned-aaaa)
  if (added.length === 0) {
    throw new DslabError('DSLAB_E_USAGE', 'No fault given.', { field: 'fault', hint: 'Give a fault spec such as "delay:family=6,ms=300", or --scenario NAME.' });
  }
  await setFaults(state, [...existing, ...added]);
  return added;
}

/** Removes faults by id (or by scenario name), or all of them; returns those removed. */
export async function removeFaults(lab: string, ids: readonly string[], all = false): Promise<Fault[]> {
  const state = upState(lab);
  const existing = state.faults ?? [];
  if (!all && ids.length === 0) throw new DslabError('DSLAB_E_USAGE', 'No fault named.', { field: 'id', hint: 'Give fault ids (see "dslab fault ls"), a scenario name, or --all.' });
  for (const id of ids) {
    if (!existing.some((f) => f.id === id || f.scenario === id)) {
      throw new DslabError('DSLAB_E_FAULT_NOT_FOUND', `The lab "${state.lab}" has no fault "${id}".`, {
        field: 'id',
        value: id,
        hint: existing.length === 0 ? 'It has no faults at all.' : `Its faults: ${existing.map((f) => f.id + (f.scenario ? ` (${f.scenario})` : '')).join(', ')}.`,
      });
    }
  }
  const gone = all ? existing : existing.filter((f) => ids.includes(f.id) || (f.scenario !== undefined && ids.includes(f.scenario)));
  await setFaults(state, existing.filter((f) => !gone.includes(f)));
  return gone;
}

export async function listFaults(lab: string): Promise<FaultList> {
  const state = requireState(checkLabName(lab));
  const counters = new Map<string, FaultCounter>((await faultCounters(state)).map((c) => [c.id, c]));
  return {
    lab: state.lab,
    faults: (state.faults ?? []).map((f) => {
      const c = counters.get(f.id);
      return c ? { ...f, packets: c.packets, bytes: c.bytes } : f;
    }),
    broken: deadDelayers(state).map((d) => d.id),
  };
}
