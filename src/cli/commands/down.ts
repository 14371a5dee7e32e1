/**
 * `dslab down [LAB] [--lab NAME] [--all] [--json]`: stops the lab's services and removes its
 * namespaces, /etc/netns files and state, printing what stop.sh printed. The lab is the one
 * --lab names, else the one of the LAB file (or example), else the default lab, as Compose
 * takes the project from its file: never "whichever lab is up". Idempotent: a lab that is not
 * up is said so (exit 0), and what a crashed `up` left is removed too.
 */
import type { Command } from 'commander';
import type { DownResult } from '../../backends/netns/down.js';
import { BACKEND_OPTION_HELP, dockerActions } from '../backend-option.js';
import { printJson, stdio } from '../context.js';

export interface DownCommandOptions {
  lab?: string;
  all?: boolean;
  /** A lab file or example (its `name:` is the lab), or a lab name. */
  file?: string;
}

/** The name of the lab a LAB argument means: a lab file's or example's `name:`, else the argument as a lab name. */
export async function labNameOfArgument(arg: string): Promise<string> {
  const { findLabFile, loadLab } = await import('../../lab/load.js');
  const file = findLabFile(arg);
  if (file !== undefined) return (await loadLab(file)).name;
  const { checkLabName } = await import('../../backends/netns/lab-name.js');
  return checkLabName(arg, 'LAB');
}

export async function downCommand(options: DownCommandOptions): Promise<DownResult[]> {
  const { down, downAll } = await import('../../backends/netns/down.js');
  if (options.all) return downAll();
  if (options.lab !== undefined) return [await down(options.lab)];
  if (options.file !== undefined) return [await down(await labNameOfArgument(options.file))];
  const { defaultLabName } = await import('../../lab/load.js');
  return [await down(defaultLabName())];
}

async function usageClash(lab: string | undefined, opts: { lab?: string; all?: boolean }): Promise<void> {
  const both = lab !== undefined && opts.lab !== undefined;
  const withAll = (lab !== undefined || opts.lab !== undefined) && opts.all;
  if (!both && !withAll) return;
  const { DslabError } = await import('../../errors.js');
  throw new DslabError('DSLAB_E_USAGE', both ? 'LAB and --lab cannot be used together.' : '--all cannot be used with a lab name.', {
    field: both ? '--lab' : '--all',
    value: lab ?? opts.lab,
    hint: 'Name one lab (LAB or --lab NAME), or use --all alone to remove every lab that is up.',
  });
}

export function register(program: Command): void {
  program
    .command('down')
    .description('stop the lab and remove everything it created (safe to run twice)')
    .argument('[lab]', 'the lab file or example whose lab to remove (its name: field), or a lab name; default: the default lab "dslab"')
    .option('--lab <name>', 'the lab to remove, by name (default: the default lab; never another lab that happens to be up)')
    .option('--all', 'remove every lab that is up')
    .option('--json', 'print the result as JSON')
    .option('--backend <name>', BACKEND_OPTION_HELP)
    .action(async (lab: string | undefined, opts: { lab?: string; all?: boolean; json?: boolean; backend?: string }) => {
      await usageClash(lab, opts);
      const docker = await dockerActions(opts.backend);
      if (docker) return void (await docker.dockerDownAction({ ...opts, ...(lab !== undefined ? { lab: await labNameOfArgument(lab) } : {}) }));
      const results = await downCommand({ ...opts, ...(lab !== undefined ? { file: lab } : {}) });
      if (opts.json) printJson(stdio, { labs: results });
      else {
        const [{ renderDown }, { stateLabs }] = await Promise.all([import('../render/down.js'), import('../../backends/netns/state.js')]);
        for (const line of renderDown(results, opts.all ? [] : stateLabs())) stdio.out(line);
      }
    });
}
