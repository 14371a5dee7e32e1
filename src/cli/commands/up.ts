/**
 * `dslab up [LAB] [--name NAME] [--replace] [--json]`: loads and validates a lab file (default:
 * the article's lab), builds it in namespaces and prints what start.sh printed: what was
 * created, the IPv6 check, the address table and next steps. Ctrl-C removes what was made.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import type { Command } from 'commander';
import { printJson, stdio } from '../context.js';

export interface UpCommandOptions {
  /** Lab file path, or the name of a file in examples/ (`big`); default: the article's lab. */
  lab?: string;
  /** Run the lab under this name instead of the file's `name:`. */
  name?: string;
  replace?: boolean;
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
}

/** A lab file path, or the name of a file in examples/ (`big`); shared by every backend's commands. */
export async function labPath(lab: string | undefined): Promise<string | undefined> {
  if (lab === undefined || existsSync(lab)) return lab;
  const { packageRoot } = await import('../../util/package-root.js');
  for (const candidate of [join(packageRoot(), 'examples', `${lab}.yaml`), join(packageRoot(), 'examples', lab)]) {
    if (/^[a-z0-9._-]+$/i.test(lab) && existsSync(candidate)) return candidate;
  }
  return lab; // loadLab says it does not exist
}

export async function upCommand(options: UpCommandOptions) {
  const [{ loadLab }, { up }, { checkLabName }] = await Promise.all([
    import('../../lab/load.js'),
    import('../../backends/netns/up.js'),
    import('../../backends/netns/lab-name.js'),
  ]);
  const topology = await loadLab(await labPath(options.lab));
  if (options.name !== undefined) topology.name = checkLabName(options.name, 'name');
  return up(topology, { replace: options.replace ?? false, onProgress: options.onProgress, signal: options.signal });
}

/** Aborts on Ctrl-C (and SIGTERM/SIGHUP) so that `up` removes what it made before exiting. */
function abortOnSignals(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    if (!controller.signal.aborted) stdio.err(`\nReceived ${sig}: removing what was created so far...`);
    controller.abort();
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  return { signal: controller.signal, dispose: () => signals.forEach((s) => process.off(s, onSignal)) };
}

export function register(program: Command): void {
  program
    .command('up')
    .description('create the lab (default: the article\'s lab) in network namespaces and start its DNS and web servers')
    .argument('[lab]', 'lab file (YAML) or the name of an example (e.g. big); default: examples/default.yaml')
    .option('--name <name>', 'run the lab under this name (so that several labs coexist)')
    .option('--replace', 'if a lab of that name is up, remove it first')
    .option('--json', 'print the result as JSON')
    .option('--backend <name>', 'netns (network namespaces, the default) or docker (Docker Compose, like the article)')
    .action(async (lab: string | undefined, opts: { name?: string; replace?: boolean; json?: boolean; backend?: string }) => {
      if (opts.backend !== undefined && (await import('../../backends/docker/cli.js')).isDockerBackend(opts.backend)) return (await import('../../backends/docker/cli.js')).dockerUpAction(lab, opts);
      const { signal, dispose } = abortOnSignals();
      const json = Boolean(opts.json);
      try {
        const result = await upCommand({
          ...(lab !== undefined ? { lab } : {}),
          ...(opts.name !== undefined ? { name: opts.name } : {}),
          replace: Boolean(opts.replace),
          signal,
          onProgress: json ? undefined : (m) => stdio.err(`  ... ${m}`),
        });
        if (json) printJson(stdio, result);
        else {
          const { renderUp } = await import('../render/up.js');
          const { stateLabs } = await import('../../backends/netns/state.js');
          for (const line of renderUp(result, stateLabs().length > 1)) stdio.out(line);
        }
      } finally {
        dispose();
      }
    });
}
