/**
 * `dslab shell [--lab NAME] NODE`: an interactive shell inside a node (your $SHELL, or sh),
 * with the node's own resolver, hosts and name-service files.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { LAB_OPTION_HELP } from '../lab-option.js';
import { ExitError, stdio } from '../context.js';

function shellProgram(): string {
  const candidates = [process.env['SHELL'], '/bin/bash', '/bin/sh'];
  return candidates.find((s): s is string => typeof s === 'string' && s.startsWith('/') && existsSync(s)) ?? '/bin/sh';
}

export function register(program: Command): void {
  program
    .command('shell')
    .description('open a shell inside a node (exit to leave)')
    .argument('<node>', 'node name, e.g. client')
    .option('--lab <name>', LAB_OPTION_HELP)
    .action(async (node: string, opts: { lab?: string }) => {
      const { execCommand } = await import('./exec.js');
      const { resolveLab } = await import('../../backends/netns/status.js');
      const lab = resolveLab(opts.lab);
      stdio.err(`Entering node "${node}" of lab "${lab}" (type exit to leave).`);
      // the prompt says where you are: nodes share the machine's hostname, so \h cannot.
      // Debian's bash.bashrc puts $debian_chroot before its prompt; other shells take PS1
      const where = `${lab}:${node}`;
      const code = await execCommand({ lab, node, argv: [shellProgram()], env: { debian_chroot: where, PS1: `(${where}) \\$ ` } });
      if (code !== 0) throw new ExitError(code);
    });
}
