/**
 * `dslab status [--lab NAME] [--json]`: one lab's nodes, namespaces and services (running or
 * dead), so that a service that died shows.
 */
import type { Command } from 'commander';
import { LAB_OPTION_HELP } from '../lab-option.js';
import { BACKEND_OPTION_HELP, dockerActions } from '../backend-option.js';
import { ExitError, printJson, stdio } from '../context.js';

export function register(program: Command): void {
  program
    .command('status')
    .description('show a lab\'s nodes, addresses and whether its services run')
    .option('--lab <name>', LAB_OPTION_HELP)
    .option('--json', 'print the status as JSON')
    .option('--backend <name>', BACKEND_OPTION_HELP)
    .action(async (opts: { lab?: string; json?: boolean; backend?: string }) => {
      const docker = await dockerActions(opts.backend);
      if (docker) return void (await docker.dockerStatusAction(opts));
      const { resolveLab, status } = await import('../../backends/netns/status.js');
      const result = status(resolveLab(opts.lab));
      if (opts.json) printJson(stdio, result);
      else {
        const { renderStatus } = await import('../render/status.js');
        for (const line of renderStatus(result)) stdio.out(line);
      }
      if (result.health !== 'up') throw new ExitError(1);
    });
}
