/**
 * `dslab validate [LAB] [--json]`: reads and checks a lab file (default: the article's
 * lab) and prints what it describes, with warnings. Creates nothing; exits 1 on a problem.
 */
import type { Command } from 'commander';
import type { Topology } from '../../lab/topology.js';
import { printJson, stdio, type Output } from '../context.js';

export interface ValidateOptions {
  /** Lab file, or the name of an example (`big`), as `dslab up` takes it; undefined means the default lab. */
  path?: string | undefined;
}

export interface ValidateResult {
  valid: true;
  lab: Topology;
  warnings: string[];
}

export async function validateCommand(options: ValidateOptions): Promise<ValidateResult> {
  const { loadLab, labPath } = await import('../../lab/load.js');
  const { labWarnings } = await import('../../lab/warnings.js');
  const lab = await loadLab(labPath(options.path));
  // a lab this machine's kernel limits would break is refused here too, before anyone tries `up`
  const [{ checkKernelLimits }, { preferredMode }] = await Promise.all([import('../../backends/netns/kernel-limits.js'), import('../../backends/netns/access.js')]);
  checkKernelLimits(lab, preferredMode());
  return { valid: true, lab, warnings: labWarnings(lab) };
}

export async function renderValidate(result: ValidateResult, json: boolean, output: Output): Promise<void> {
  if (json) {
    printJson(output, result);
    return;
  }
  const { describeLab } = await import('../../lab/describe.js');
  for (const line of describeLab(result.lab, result.warnings)) output.out(line);
}

export function register(program: Command): void {
  program
    .command('validate')
    .description('check a lab file and show its nodes, addresses, DNS records and warnings (creates nothing)')
    .argument('[lab]', 'lab file (YAML) or the name of an example (e.g. big); default: the article\'s lab, examples/default.yaml')
    .option('--json', 'print the validated lab as JSON')
    .action(async (lab: string | undefined, opts: { json?: boolean }) => {
      const result = await validateCommand({ path: lab });
      await renderValidate(result, Boolean(opts.json), stdio);
    });
}
