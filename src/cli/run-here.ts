/**
 * The CLI side of `dslab run --here`: whether this run is one (the flag, or DSLAB_RUN_HERE
 * in dslab's client image when no --backend is given), and loading the lab it describes
 * (a lab file or example name, as `dslab up` takes it; default: the article's lab).
 */
import process from 'node:process';
import { DslabError } from '../errors.js';
import type { RunHereOptions } from '../experiments/run-here.js';
import type { RunReport } from '../experiments/types.js';

export async function wantsRunHere(flags: { here?: boolean; backend?: string }, docker: boolean): Promise<boolean> {
  if (flags.here === true && docker) {
    throw new DslabError('DSLAB_E_USAGE', '--here and --backend docker cannot be used together.', {
      field: '--here',
      value: true,
      hint: 'On the host use "dslab run --backend docker"; inside the client container use "dslab run" (or "dslab run --here").',
    });
  }
  if (flags.here === true) return true;
  if (flags.backend !== undefined) return false;
  return (await import('../experiments/run-here.js')).runHereRequested();
}

export async function runHereCommand(lab: string | undefined, options: RunHereOptions & { name?: string }): Promise<RunReport> {
  const [{ labPath, loadLab }, { checkLabName }, { runHere, LAB_FILE_VARIABLE, LAB_NAME_VARIABLE }] = await Promise.all([
    import('../lab/load.js'),
    import('../backends/netns/lab-name.js'),
    import('../experiments/run-here.js'),
  ]);
  // in a client container of a lab other than the default, compose.yaml says which lab it is
  const fromEnv = lab === undefined ? process.env[LAB_FILE_VARIABLE] || undefined : undefined;
  // in a node of a namespace lab (`dslab exec client -- dslab run --here`), exec names the lab: what is live is measured
  const upName = lab === undefined && fromEnv === undefined && options.name === undefined ? process.env[LAB_NAME_VARIABLE] || undefined : undefined;
  if (upName !== undefined) {
    const { readState } = await import('../backends/netns/state.js');
    const state = readState(checkLabName(upName, LAB_NAME_VARIABLE));
    if (state) return runHere(state.topology, options);
  }
  const topology = await loadLab(labPath(lab ?? fromEnv));
  const name = options.name ?? (fromEnv !== undefined || upName !== undefined ? process.env[LAB_NAME_VARIABLE] || undefined : undefined);
  if (name !== undefined) topology.name = checkLabName(name, options.name !== undefined ? '--name' : LAB_NAME_VARIABLE);
  return runHere(topology, options);
}
