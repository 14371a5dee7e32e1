/**
 * `dslab run [LAB] [--name NAME] [--keep] [--out DIR] [--no-report] [--explain] [--json]
 * [--clients [LIST]] [--scenarios LIST]`: the main job. Brings the lab up (or uses the one that is up), runs the article's three
 * experiments from the client node with a live view, prints the summary, writes the
 * Markdown/JSON/JUnit reports, and takes down what it brought up. Exit 1 when a check failed.
 * `--clients` adds the experiment "how real clients fall back" (src/experiments/clients.ts).
 */
import process from 'node:process';
import type { Command } from 'commander';
import type { ClientsOptions } from '../../experiments/clients.js';
import { abortOnSignals } from '../abort-on-signals.js';
import { dockerActions } from '../backend-option.js';
import { ExitError, printJson, stdio } from '../context.js';

interface RunFlags {
  lab?: string;
  name?: string;
  keep?: boolean;
  out: string;
  report: boolean;
  explain?: boolean;
  json?: boolean;
  backend?: string;
  here?: boolean;
  clients?: string | boolean;
  scenarios?: string;
}

/** `--clients [LIST]` / `--scenarios LIST`: the clients experiment, if asked for (a comma list, as for `dslab measure --matrix`). */
async function clientsOption(flags: RunFlags, docker: boolean): Promise<ClientsOptions | undefined> {
  if (flags.clients === undefined && flags.scenarios === undefined) return undefined;
  const list = (v: string) => v.split(',').map((x) => x.trim()).filter(Boolean);
  if (docker || flags.here) {
    const { DslabError } = await import('../../errors.js');
    throw new DslabError('DSLAB_E_FAULT_UNSUPPORTED', 'The clients experiment needs the namespace backend (its scenarios are faults inside the lab\'s own namespaces, and its captures run in the client node).', {
      field: flags.clients !== undefined ? '--clients' : '--scenarios',
      hint: `Leave out ${docker ? '--backend docker' : '--here'}, or leave out --clients/--scenarios.`,
    });
  }
  return {
    ...(typeof flags.clients === 'string' ? { clients: list(flags.clients) } : {}),
    ...(flags.scenarios !== undefined ? { scenarios: list(flags.scenarios) } : {}),
  };
}

/** `--lab NAME`: a namespace lab that is up, named as for the other commands; not together with LAB, --name, --here or docker. */
async function labThatIsUp(lab: string | undefined, flags: RunFlags, docker: boolean): Promise<string | undefined> {
  if (flags.lab === undefined) return undefined;
  const clash = lab !== undefined ? 'a LAB argument' : flags.name !== undefined ? '--name' : flags.here ? '--here' : docker ? '--backend docker' : undefined;
  if (clash !== undefined) {
    const { DslabError } = await import('../../errors.js');
    throw new DslabError('DSLAB_E_USAGE', `--lab and ${clash} cannot be used together.`, {
      field: '--lab',
      value: flags.lab,
      hint: '--lab names a lab that is up ("dslab ls"); to run a lab file, give it as LAB instead.',
    });
  }
  return (await import('../../backends/netns/status.js')).resolveLab(flags.lab);
}

async function action(lab: string | undefined, flags: RunFlags): Promise<void> {
  const [{ runLab }, { writeReports, checkReportDir }, { LiveView }, { renderRunSummary }, { buildPlan }] = await Promise.all([
    import('../../backends/netns/run.js'),
    import('../../reports/write.js'),
    import('../render/run-live.js'),
    import('../render/run-summary.js'),
    import('../../experiments/plan.js'),
  ]);
  const json = Boolean(flags.json);
  const docker = (await dockerActions(flags.backend)) !== undefined;
  const upLab = await labThatIsUp(lab, flags, docker);
  const clients = await clientsOption(flags, docker);
  // a folder the reports cannot go to is refused before anything is brought up
  if (flags.report) await checkReportDir(flags.out);
  const live = json ? undefined : new LiveView({ write: (t) => process.stdout.write(t), isTTY: stdio.isTTY, ...(process.stdout.columns ? { columns: process.stdout.columns } : {}) }, { explain: Boolean(flags.explain) });
  // Ctrl-C, or a closed stdout (`dslab run | head`), stops the run and takes down what it brought up
  const { signal, dispose } = abortOnSignals('stopping and removing what this run created', { onClosedStdout: true });
  try {
    const options: NonNullable<Parameters<typeof runLab>[0]> = {
      ...(flags.name !== undefined ? { name: flags.name } : {}),
      keep: Boolean(flags.keep),
      signal,
      ...(clients ? { clients } : {}),
      ...(live
        ? {
            onProgress: (m: string) => live.progress(m),
            onTopology: (t: Parameters<typeof buildPlan>[0]) => live.setPlan(buildPlan(t)),
            onEvent: (e) => live.event(e),
          }
        : {}),
    };
    const { wantsRunHere, runHereCommand } = await import('../run-here.js');
    const report = (await wantsRunHere(flags, docker))
      ? await runHereCommand(lab, options)
      : docker
        ? await (await import('../../backends/docker/run.js')).dockerRunCommand(lab, options)
        : await runLab({ ...options, ...(lab !== undefined ? { lab } : {}), ...(upLab !== undefined ? { upLab } : {}) });
    live?.stop();
    if (flags.report) report.files = await writeReports(report, flags.out);
    if (json) printJson(stdio, report);
    else for (const line of renderRunSummary(report)) stdio.out(line);
    if (!report.summary.ok) throw new ExitError(1);
  } finally {
    live?.stop();
    dispose();
  }
}

export function register(program: Command): void {
  program
    .command('run')
    .description("run the article's three experiments in the lab (up, checks, report, down) and write the test report")
    .argument('[lab]', 'lab file (YAML), the name of an example (e.g. big), or a lab that is up; default: examples/default.yaml')
    .option('--lab <name>', 'a lab that is up, as for the other commands (the same as giving its name as LAB)')
    .option('--name <name>', 'run the lab under this name (so that several labs coexist)')
    .option('--keep', 'leave the lab up afterwards if this run brought it up')
    .option('--out <dir>', 'folder for the Markdown, JSON and JUnit reports', 'reports')
    .option('--no-report', 'do not write report files')
    .option('--explain', 'explain each experiment for learners before its results')
    .option('--json', 'print the result as JSON instead of the live view and summary')
    .option('--clients [list]', 'also run the experiment "how real clients fall back": these built-in clients (comma list; all installed ones if no list; see "dslab measure --matrix") against fault scenarios')
    .option('--scenarios <list>', 'the scenarios of the clients experiment (comma list; default: unassigned-aaaa, v6-blackhole, v6-reset, v6-slow, aaaa-slow, v4-broken); implies --clients')
    .option('--backend <name>', 'netns (network namespaces, the default) or docker (inside the Compose client container)')
    .option('--here', 'run in this network namespace or container against the lab already there (nothing is brought up or down); the default inside dslab\'s client image (DSLAB_RUN_HERE=1)')
    .action((lab: string | undefined, flags: RunFlags) => action(lab, flags));
}
