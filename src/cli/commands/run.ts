/**
 * `dslab run [LAB] [--name NAME] [--keep] [--out DIR] [--no-report] [--explain] [--json]`:
 * the main job. Brings the lab up (or uses the one that is up), runs the article's three
 * experiments from the client node with a live view, prints the summary, writes the
 * Markdown/JSON/JUnit reports, and takes down what it brought up. Exit 1 when a check failed.
 */
import process from 'node:process';
import type { Command } from 'commander';
import { ExitError, printJson, stdio } from '../context.js';

interface RunFlags {
  name?: string;
  keep?: boolean;
  out: string;
  report: boolean;
  explain?: boolean;
  json?: boolean;
  backend?: string;
  here?: boolean;
}

/** Aborts on Ctrl-C (and SIGTERM/SIGHUP) so that the run takes down what it brought up. */
function abortOnSignals(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    if (!controller.signal.aborted) stdio.err(`\nReceived ${sig}: stopping and removing what this run created...`);
    controller.abort();
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  // `dslab run | head`: a closed stdout must stop the run cleanly (and take the lab down),
  // not crash it half-way with the lab left behind
  const onStdoutError = (err: NodeJS.ErrnoException): void => {
    if (err.code === 'EPIPE' && !controller.signal.aborted) controller.abort();
  };
  process.stdout.on('error', onStdoutError);
  return {
    signal: controller.signal,
    dispose: () => {
      signals.forEach((s) => process.off(s, onSignal));
      process.stdout.off('error', onStdoutError);
    },
  };
}

async function action(lab: string | undefined, flags: RunFlags): Promise<void> {
  const [{ runLab }, { writeReports, checkReportDir }, { LiveView }, { renderRunSummary }, { buildPlan }] = await Promise.all([
    import('../../experiments/run.js'),
    import('../../reports/write.js'),
    import('../render/run-live.js'),
    import('../render/run-summary.js'),
    import('../../experiments/plan.js'),
  ]);
  const json = Boolean(flags.json);
  // a folder the reports cannot go to is refused before anything is brought up
  if (flags.report) await checkReportDir(flags.out);
  const live = json ? undefined : new LiveView({ write: (t) => process.stdout.write(t), isTTY: stdio.isTTY, ...(process.stdout.columns ? { columns: process.stdout.columns } : {}) }, { explain: Boolean(flags.explain) });
  const { signal, dispose } = abortOnSignals();
  try {
    const docker = flags.backend !== undefined && (await import('../../backends/docker/cli.js')).isDockerBackend(flags.backend);
    const options: NonNullable<Parameters<typeof runLab>[0]> = {
      ...(flags.name !== undefined ? { name: flags.name } : {}),
      keep: Boolean(flags.keep),
      signal,
      ...(live
        ? {
            onProgress: (m: string) => live.progress(m),
            onTopology: (t: Parameters<typeof buildPlan>[0]) => live.setPlan(buildPlan(t)),
            onEvent: (e) => live.event(e),
          }
        : {}),
    };
    const here = await (await import('../run-here.js')).wantsRunHere(flags, docker);
    const report = here
      ? await (await import('../run-here.js')).runHereCommand(lab, options)
      : docker
        ? await (await import('../../backends/docker/run.js')).dockerRunCommand(lab, options)
        : await runLab({ ...options, ...(lab !== undefined ? { lab } : {}) });
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
    .option('--name <name>', 'run the lab under this name (so that several labs coexist)')
    .option('--keep', 'leave the lab up afterwards if this run brought it up')
    .option('--out <dir>', 'folder for the Markdown, JSON and JUnit reports', 'reports')
    .option('--no-report', 'do not write report files')
    .option('--explain', 'explain each experiment for learners before its results')
    .option('--json', 'print the result as JSON instead of the live view and summary')
    .option('--backend <name>', 'netns (network namespaces, the default) or docker (inside the Compose client container)')
    .option('--here', 'run in this network namespace or container against the lab already there (nothing is brought up or down); the default inside dslab\'s client image (DSLAB_RUN_HERE=1)')
    .action((lab: string | undefined, flags: RunFlags) => action(lab, flags));
}
