/**
 * `dslab ls [--json]`: the labs that exist, with their health.
 */
import type { Command } from 'commander';
import { printJson, stdio } from '../context.js';

export function register(program: Command): void {
  program
    .command('ls')
    .description('list the labs that are up')
    .option('--json', 'print the list as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { listLabs } = await import('../../backends/netns/status.js');
      const labs = listLabs();
      if (opts.json) {
        printJson(stdio, { labs });
        return;
      }
      const { renderLs } = await import('../render/status.js');
      for (const line of renderLs(labs)) stdio.out(line);
    });
}
