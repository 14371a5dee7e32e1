/**
 * `dslab exec NODE [--lab NAME] -- CMD...`: runs a program inside a node with the node's own
 * resolver, hosts and name-service files, like `docker exec`; exits with the program's code.
 * dslab's options may come anywhere before the program (src/cli/exec-args.ts).
 */
import type { Command } from 'commander';
import { LAB_OPTION_HELP } from '../lab-option.js';
import { BACKEND_OPTION_HELP, dockerActions } from '../backend-option.js';
import { ExitError } from '../context.js';

export async function execCommand(options: { lab?: string; node: string; argv: string[]; env?: NodeJS.ProcessEnv }): Promise<number> {
  const [{ resolveLab }, { nodeCommand }, { runInteractive }] = await Promise.all([
    import('../../backends/netns/status.js'),
    import('../../backends/netns/exec.js'),
    import('../../util/run.js'),
  ]);
  const lab = resolveLab(options.lab);
  const { file, args } = nodeCommand(lab, options.node, options.argv);
  // DSLAB_LAB_NAME tells a dslab run inside the node (`dslab run --here`) which lab it is in;
  // DSLAB_LAB would name a lab file (as in dslab's client container), so it is not set here
  return runInteractive(file, args, { ...process.env, ...options.env, DSLAB_LAB_NAME: lab, DSLAB_NODE: options.node });
}

export function register(program: Command): void {
  program
    .command('exec')
    .description('run a program inside a node (with the lab\'s resolver), like docker exec')
    .usage('NODE [--lab NAME] [--backend NAME] -- CMD [ARGS...]')
    .argument('<node>', 'node name, e.g. client')
    .argument('<cmd...>', 'the program and its arguments (put them after --)')
    .option('--lab <name>', LAB_OPTION_HELP)
    .option('--backend <name>', BACKEND_OPTION_HELP)
    // options after NODE are sorted out by splitExecArgs (dslab's, else the program's)
    .passThroughOptions()
    .action(async (node: string, rawArgv: string[], opts: { lab?: string; backend?: string }) => {
      // options after NODE reach us as the program's words: dslab's own ones are taken out here
      const { splitExecArgs } = await import('../exec-args.js');
      const { argv, options } = splitExecArgs(rawArgv, { ...(opts.lab !== undefined ? { lab: opts.lab } : {}), ...(opts.backend !== undefined ? { backend: opts.backend } : {}) });
      if (argv.length === 0) {
        const { DslabError } = await import('../../errors.js');
        throw new DslabError('DSLAB_E_USAGE', 'No program to run was given.', { field: 'cmd', hint: `Put it after --, e.g. dslab exec ${node} -- ip a.` });
      }
      const docker = await dockerActions(options.backend);
      const code = docker ? await docker.dockerExecAction(node, argv, options) : await execCommand({ node, argv, ...(options.lab !== undefined ? { lab: options.lab } : {}) });
      if (code !== 0) throw new ExitError(code);
    });
}
