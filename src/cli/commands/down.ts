/**
 * `dslab down [--lab NAME] [--all] [--json]`: stops the lab's services and removes its
 * namespaces, /etc/netns files and state, printing what stop.sh printed. Idempotent: a lab
 * that is not there is not an error, and what a crashed `up` left is removed too.
 */
import type { Command } from 'commander';
import type { DownResult } from '../../backends/netns/down.js';
import { BACKEND_OPTION_HELP, dockerActions } from '../backend-option.js';
import { printJson, stdio } from '../context.js';

export interface DownCommandOptions {
  lab?: string;
  all?: boolean;
}

export async function downCommand(options: DownCommandOptions): Promise<DownResult[]> {
  const { down, downAll } = await import('../../backends/netns/down.js');
  if (options.all) return downAll();
  if (options.lab !== undefined) return [await down(options.lab)];
  const { stateLabs } = await import('../../backends/netns/state.js');
  const labs = stateLabs();
  if (labs.length === 0) return [];
  const { resolveLab } = await import('../../backends/netns/status.js');
  return [await down(resolveLab(undefined))];
}

export function register(program: Command): void {
  program
    .command('down')
    .description('stop the lab and remove everything it created (safe to run twice)')
    .option('--lab <name>', 'the lab to remove (default: the only lab that is up)')
    .option('--all', 'remove every lab that is up')
    .option('--json', 'print the result as JSON')
    .option('--backend <name>', BACKEND_OPTION_HELP)
    .action(async (opts: { lab?: string; all?: boolean; json?: boolean; backend?: string }) => {
      const docker = await dockerActions(opts.backend);
      if (docker) return void (await docker.dockerDownAction(opts));
      const results = await downCommand(opts);
      if (opts.json) printJson(stdio, { labs: results });
      else {
        const { renderDown } = await import('../render/down.js');
        for (const line of renderDown(results)) stdio.out(line);
      }
    });
}
