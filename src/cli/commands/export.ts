/**
 * `dslab export compose [LAB] [--out DIR] [--json]`: writes the lab (default: the article's)
 * as compose.yaml and Corefile, for Docker Desktop, Rancher Desktop or any Docker engine.
 */
import type { Command } from 'commander';
import { DslabError } from '../../errors.js';
import { printJson, stdio } from '../context.js';

export interface ExportComposeOptions {
  /** Lab file; undefined means the default lab. */
  lab?: string | undefined;
  /** Folder to write into (default: the current folder). */
  out?: string | undefined;
}

export async function exportComposeCommand(options: ExportComposeOptions) {
  const [{ loadLab, labPath }, { exportCompose }] = await Promise.all([import('../../lab/load.js'), import('../../backends/docker/export.js')]);
  const topology = await loadLab(labPath(options.lab));
  return exportCompose(topology, options.out ?? process.cwd());
}

export function register(program: Command): void {
  program
    .command('export')
    .description('write the lab in another form: "compose" writes compose.yaml and Corefile for Docker Compose')
    .argument('<format>', 'what to write: compose')
    .argument('[lab]', 'lab file (YAML) or the name of an example (e.g. big); default: the article\'s lab, examples/default.yaml')
    .option('--out <dir>', 'folder to write into (default: the current folder)')
    .option('--json', 'print the written paths as JSON')
    .action(async (format: string, lab: string | undefined, opts: { out?: string; json?: boolean }) => {
      if (format !== 'compose') {
        throw new DslabError('DSLAB_E_USAGE', `"${format}" is not a format dslab can export.`, {
          field: 'format',
          value: format,
          hint: 'Use "dslab export compose [LAB] [--out DIR]".',
        });
      }
      const result = await exportComposeCommand({ lab, out: opts.out });
      if (opts.json) {
        printJson(stdio, result);
        return;
      }
      stdio.out(`Wrote ${result.compose}`);
      stdio.out(`Wrote ${result.corefile}`);
      if (result.labFile) stdio.out(`Wrote ${result.labFile} (the client container's "dslab run" runs this lab)`);
      stdio.out('');
      stdio.out('Next steps:');
      stdio.out(`  cd ${result.dir} && docker compose up -d      (Compose v1: docker-compose up -d)`);
      const { containerName } = await import('../../backends/docker/names.js');
      stdio.out(`  docker exec -it ${containerName(result.lab, 'client')} sh`);
    });
}
