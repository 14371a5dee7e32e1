/**
 * `dslab status [--lab NAME] [--json]`: one lab's nodes, namespaces and services (running or
 * dead), so that a service that died shows.
 */
import type { Command } from 'commander';
import { ExitError, printJson, stdio } from '../context.js';

export function register(program: Command): void {
  program
    .command('status')
    .description('show a lab\'s nodes, addresses and whether its services run')
    .option('--lab <name>', 'the lab (default: the only lab that is up)')
    .option('--json', 'print the status as JSON')
    .option('--backend <name>', 'netns (network namespaces, the default) or docker (Docker Compose, like the article)')
    .action(async (opts: { lab?: string; json?: boolean; backend?: string }) => {
      if (opts.backend !== undefined && (await import('../../backends/docker/cli.js')).isDockerBackend(opts.backend)) return void (await (await import('../../backends/docker/cli.js')).dockerStatusAction(opts));
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
