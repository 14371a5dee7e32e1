/**
 * The command table: each entry registers one command on the program. Command modules
 * import their heavy dependencies lazily, inside the action, so that start-up stays fast.
 */
import type { Command } from 'commander';

export type Register = (program: Command) => void;

export async function registerAll(program: Command): Promise<void> {
  const modules: Array<Promise<{ register: Register }>> = [
    // one line per command module; keep alphabetical
    import('./addr.js'),
    import('./connect.js'),
    import('./doctor.js'),
    import('./down.js'),
    import('./exec.js'),
    import('./export.js'),
    import('./fault.js'),
    import('./logs.js'),
    import('./ls.js'),
    import('./measure.js'),
    import('./run.js'),
    import('./shell.js'),
    import('./status.js'),
    import('./up.js'),
    import('./validate.js'),
  ];
  for (const m of await Promise.all(modules)) m.register(program);
}
