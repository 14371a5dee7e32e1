/**
 * `dslab doctor [--json]`: checks what a lab needs here and says how to fix each problem;
 * exits 1 when something required is missing.
 */
import type { Command } from 'commander';
import { ExitError, printJson, stdio } from '../context.js';

export function register(program: Command): void {
  program
    .command('doctor')
    .description('check kernel IPv6, tools, privileges and user namespaces, and say how to fix problems')
    .option('--json', 'print the checks as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { doctor } = await import('../../backends/netns/doctor.js');
      const checks = await doctor();
      const ok = checks.every((c) => c.level !== 'fail');
      if (opts.json) printJson(stdio, { ok, checks });
      else {
        const mark = { ok: '✔', warn: '!', fail: '✘' } as const;
        for (const c of checks) {
          stdio.out(`${mark[c.level]} ${c.name}: ${c.detail}`);
          if (c.fix && c.level !== 'ok') stdio.out(`    fix: ${c.fix}`);
        }
        stdio.out(ok ? '\nEverything dslab needs is here.' : '\nSome required checks failed: fix them, then run "dslab doctor" again.');
      }
      if (!ok) throw new ExitError(1);
    });
}
