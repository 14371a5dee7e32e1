/**
 * Failure injection for tests: `DSLAB_FAIL_AT=<step>` makes `up` fail at that step, so a
 * test can prove that a failure anywhere leaves nothing behind. Also the abort checkpoint.
 */
import process from 'node:process';
import { DslabError } from '../../errors.js';

/** The steps of `up`, in order; each is a valid value of DSLAB_FAIL_AT. */
export const UP_STEPS = ['state', 'keeper', 'etc', 'namespaces', 'sysctls', 'switch', 'nodes', 'services', 'ipv6-check', 'slaac', 'faults', 'finish'] as const;
export type UpStep = (typeof UP_STEPS)[number];

export function checkpoint(step: UpStep, signal?: AbortSignal): void {
  if (signal?.aborted) throw interrupted(step);
  if (process.env['DSLAB_FAIL_AT'] === step) {
    throw new DslabError('DSLAB_E_INJECTED_FAILURE', `Failure injected at step "${step}" (DSLAB_FAIL_AT).`, {
      value: step,
      hint: 'Unset DSLAB_FAIL_AT to run normally.',
    });
  }
}

export function interrupted(step: string): DslabError {
  return new DslabError('DSLAB_E_INTERRUPTED', `Interrupted during step "${step}"; everything created so far was removed.`, {
    value: step,
    hint: 'Run the command again when you are ready.',
  });
}
