/**
 * `dslab fault add|ls|rm|scenarios`: break a running lab on purpose and mend it again.
 *   dslab fault add [--lab N] [--scenario S]... [SPEC...]   e.g. "delay:family=6,ms=300"
 *   dslab fault ls [--lab N]
 *   dslab fault rm [--lab N] (ID|SCENARIO)... | --all
 *   dslab fault scenarios [LAB]
 * Every change is validated against the lab first and applied atomically.
 */
import type { Command } from 'commander';
import { LAB_OPTION_HELP } from '../lab-option.js';
import { printJson, stdio } from '../context.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

async function labOf(lab: string | undefined): Promise<string> {
  const { resolveLab } = await import('../../backends/netns/status.js');
  return resolveLab(lab);
}

export function register(program: Command): void {
  const fault = program
    .command('fault')
    .description('break a lab on purpose: blackhole, reject, delay, loss, rate and DNS faults (see docs/faults.md)');

  fault
    .command('add')
    .description('add faults to a lab that is up (KIND:key=value,... specs and/or scenarios)')
    .argument('[spec...]', 'faults, e.g. "blackhole:family=6,to=web" "delay:family=6,ms=300" "dns:name=dual-ok.local,type=AAAA,answer=servfail"')
    .option('--lab <name>', LAB_OPTION_HELP)
    .option('--scenario <name>', 'add a named scenario\'s faults (repeatable; "dslab fault scenarios" lists them)', collect)
    .option('--json', 'print the faults added as JSON')
    .action(async (specs: string[], opts: { lab?: string; scenario?: string[]; json?: boolean }) => {
      const [{ parseFaultSpec }, { addFaults }, { describeFault }] = await Promise.all([
        import('../../faults/spec.js'),
        import('../../backends/netns/fault-ops.js'),
        import('../../faults/describe.js'),
      ]);
      const lab = await labOf(opts.lab);
      const added = await addFaults(lab, { faults: specs.map((s) => parseFaultSpec(s)), scenarios: opts.scenario ?? [] });
      if (opts.json) return printJson(stdio, { lab, added });
      for (const f of added) stdio.out(`${f.id}  ${describeFault(f)}${f.scenario ? `  [${f.scenario}]` : ''}`);
      stdio.out(`Added ${added.length} fault(s) to lab "${lab}". Remove with: dslab fault rm --lab ${lab} ${added.map((f) => f.id).join(' ')}`);
    });

  fault
    .command('ls')
    .description('list the faults in effect, with how many packets each matched')
    .option('--lab <name>', LAB_OPTION_HELP)
    .option('--json', 'print them as JSON')
    .action(async (opts: { lab?: string; json?: boolean }) => {
      const [{ listFaults }, { renderFaults }] = await Promise.all([import('../../backends/netns/fault-ops.js'), import('../render/faults.js')]);
      const list = await listFaults(await labOf(opts.lab));
      if (opts.json) return printJson(stdio, list);
      for (const line of renderFaults(list)) stdio.out(line);
    });

  fault
    .command('rm')
    .description('remove faults by id or scenario name, or all of them')
    .argument('[id...]', 'fault ids (f1, f2, ...) or scenario names')
    .option('--lab <name>', LAB_OPTION_HELP)
    .option('--all', 'remove every fault')
    .option('--json', 'print the faults removed as JSON')
    .action(async (ids: string[], opts: { lab?: string; all?: boolean; json?: boolean }) => {
      const { removeFaults } = await import('../../backends/netns/fault-ops.js');
      const lab = await labOf(opts.lab);
      const removed = await removeFaults(lab, ids, Boolean(opts.all));
      if (opts.json) return printJson(stdio, { lab, removed });
      stdio.out(removed.length === 0 ? `Lab "${lab}" had no faults.` : `Removed ${removed.length} fault(s) from lab "${lab}": ${removed.map((f) => f.id).join(', ')}.`);
    });

  fault
    .command('scenarios')
    .description('list the fault scenarios (built in, and the lab file\'s own) and what each does')
    .argument('[lab]', 'lab file or example name whose scenarios to add to the list and to check them against (default: the article\'s lab)')
    .option('--json', 'print them as JSON')
    .action(async (labArg: string | undefined, opts: { json?: boolean }) => {
      const [{ loadLab, labPath }, { allScenarios }, { validateFaults }, { describeFault }] = await Promise.all([
        import('../../lab/load.js'),
        import('../../faults/scenarios.js'),
        import('../../faults/validate.js'),
        import('../../faults/describe.js'),
      ]);
      const topology = await loadLab(labPath(labArg));
      const scenarios = allScenarios(topology).map((s) => ({ ...s, resolved: validateFaults(s.faults, topology, [], ['scenarios', s.name, 'faults'], s.name) }));
      if (opts.json) return printJson(stdio, { scenarios: scenarios.map(({ resolved, ...s }) => ({ ...s, faults: resolved })) });
      for (const s of scenarios) {
        stdio.out(`${s.name}${s.source === 'lab' ? ' (lab file)' : ''}  → connect to ${s.target}`);
        stdio.out(`  ${s.description}`);
        for (const f of s.resolved) stdio.out(`  - ${describeFault(f)}`);
        if (s.resolved.length === 0) stdio.out('  - no fault: the lab itself is broken this way');
      }
    });
}
