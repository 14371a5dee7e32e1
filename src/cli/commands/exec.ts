/**
 * `dslab exec [--lab NAME] NODE -- CMD...`: runs a program inside a node with the node's own
 * resolver, hosts and name-service files, like `docker exec`; exits with the program's code.
 */
import type { Command } from 'commander';
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
    .usage('[--lab NAME] NODE -- CMD [ARGS...]')
    .argument('<node>', 'node name, e.g. client')
    .argument('<cmd...>', 'the program and its arguments (put them after --)')
    .option('--lab <name>', 'the lab (default: the only lab that is up)')
    .option('--backend <name>', BACKEND_OPTION_HELP)
    // options after NODE belong to the program (`dslab exec client dig -x 172.30.0.10`)
    .passThroughOptions()
    .action(async (node: string, rawArgv: string[], opts: { lab?: string; backend?: string }) => {
      // with pass-through options, commander keeps a literal `--` before the program
      const argv = rawArgv[0] === '--' ? rawArgv.slice(1) : rawArgv;
      const docker = await dockerActions(opts.backend);
      const code = docker ? await docker.dockerExecAction(node, argv, opts) : await execCommand({ node, argv, ...(opts.lab !== undefined ? { lab: opts.lab } : {}) });
      if (code !== 0) throw new ExitError(code);
    });
}
