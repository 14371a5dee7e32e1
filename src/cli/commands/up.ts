/**
 * `dslab up [LAB] [--name NAME] [--replace] [--corefile FILE] [--json]`: loads and validates
 * a lab file (default: the article's lab; with --corefile its records come from a Corefile's
 * hosts entries), builds it in namespaces and prints what start.sh printed: what was
 * created, the IPv6 check, the address table and next steps. Ctrl-C removes what was made.
 */
import type { Command } from 'commander';
import { abortOnSignals } from '../abort-on-signals.js';
import { BACKEND_OPTION_HELP, dockerActions } from '../backend-option.js';
import { printJson, stdio } from '../context.js';

export interface UpCommandOptions {
  /** Lab file path, or the name of a file in examples/ (`big`); default: the article's lab. */
  lab?: string;
  /** Run the lab under this name instead of the file's `name:`. */
  name?: string;
  replace?: boolean;
  /** A CoreDNS Corefile whose hosts entries replace the lab's records (and zones). */
  corefile?: string;
  /** Fault specs (`KIND:key=value,...`) to apply once the lab is up, after the lab file's own. */
  faults?: string[];
  /** Scenarios whose faults to apply. */
  scenarios?: string[];
  /** Called with each Corefile directive that is read but not followed (forward). */
  onWarning?: (message: string) => void;
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
  /** Raise the machine-wide neighbour-table limits the lab needs (root). */
  tuneKernel?: boolean;
}

export async function upCommand(options: UpCommandOptions) {
  const [{ loadLab, labPath }, { up }, { checkLabName }] = await Promise.all([
    import('../../lab/load.js'),
    import('../../backends/netns/up.js'),
    import('../../backends/netns/lab-name.js'),
  ]);
  let topology = await loadLab(labPath(options.lab));
  if (options.name !== undefined) topology.name = checkLabName(options.name, 'name');
  if (options.corefile !== undefined) {
    const { applyCorefile } = await import('../../services/dns/corefile-lab.js');
    const applied = await applyCorefile(topology, options.corefile);
    for (const w of applied.warnings) options.onWarning?.(w);
    topology = applied.topology;
  }
  if ((options.faults?.length ?? 0) + (options.scenarios?.length ?? 0) > 0) {
    const [{ parseFaultSpec }, { validateFaults }, { scenarioFaults }] = await Promise.all([
      import('../../faults/spec.js'),
      import('../../faults/validate.js'),
      import('../../faults/scenarios.js'),
    ]);
    const faults = [...(topology.faults ?? [])];
    for (const name of options.scenarios ?? []) faults.push(...scenarioFaults(name, topology, faults));
    faults.push(...validateFaults((options.faults ?? []).map((f) => parseFaultSpec(f)), topology, faults, ['--fault']));
    topology = { ...topology, faults };
  }
  return up(topology, { replace: options.replace ?? false, onProgress: options.onProgress, signal: options.signal, ...(options.tuneKernel ? { tuneKernel: true } : {}) });
}

export function register(program: Command): void {
  program
    .command('up')
    .description('create the lab (default: the article\'s lab) in network namespaces and start its DNS and web servers')
    .argument('[lab]', 'lab file (YAML) or the name of an example (e.g. big); default: examples/default.yaml')
    .option('--name <name>', 'run the lab under this name (so that several labs coexist)')
    .option('--replace', 'if a lab of that name is up, remove it first')
    .option('--corefile <file>', 'serve a CoreDNS Corefile (its hosts entries, answered as CoreDNS\'s hosts plugin does) instead of the lab file\'s records')
    .option('--fault <spec>', 'apply a fault once the lab is up, e.g. "delay:family=6,ms=300" (repeatable; see docs/faults.md)', (v: string, p: string[] = []) => [...p, v])
    .option('--scenario <name>', 'apply a named fault scenario, e.g. v6-blackhole (repeatable; "dslab fault scenarios" lists them)', (v: string, p: string[] = []) => [...p, v])
    .option('--tune-kernel', 'root: raise the machine-wide neighbour-table limits (gc_thresh1-3) a large lab needs, and say what changed')
    .option('--json', 'print the result as JSON')
    .option('--backend <name>', BACKEND_OPTION_HELP)
    .action(async (lab: string | undefined, opts: { name?: string; replace?: boolean; json?: boolean; backend?: string; corefile?: string; fault?: string[]; scenario?: string[]; tuneKernel?: boolean }) => {
      const docker = await dockerActions(opts.backend);
      if (docker && (opts.fault?.length || opts.scenario?.length)) {
        const { DslabError } = await import('../../errors.js');
        throw new DslabError('DSLAB_E_FAULT_UNSUPPORTED', 'Faults need the namespace backend (nftables inside the lab\'s own switch namespace); the Docker backend has none.', {
          field: opts.fault?.length ? '--fault' : '--scenario',
          hint: 'Leave out --backend docker, or leave out --fault/--scenario.',
        });
      }
      if (docker) return docker.dockerUpAction(lab, opts);
      // Ctrl-C makes `up` remove what it made before exiting
      const { signal, dispose } = abortOnSignals('removing what was created so far');
      const json = Boolean(opts.json);
      try {
        const result = await upCommand({
          ...(lab !== undefined ? { lab } : {}),
          ...(opts.name !== undefined ? { name: opts.name } : {}),
          replace: Boolean(opts.replace),
          ...(opts.tuneKernel ? { tuneKernel: true } : {}),
          ...(opts.corefile !== undefined ? { corefile: opts.corefile } : {}),
          faults: opts.fault ?? [],
          scenarios: opts.scenario ?? [],
          onWarning: (w) => stdio.err(`  ... ${w}`),
          signal,
          onProgress: json ? undefined : (m) => stdio.err(`  ... ${m}`),
        });
        if (json) printJson(stdio, result);
        else {
          const { renderUp } = await import('../render/up.js');
          for (const line of renderUp(result)) stdio.out(line);
        }
      } finally {
        dispose();
      }
    });
}
