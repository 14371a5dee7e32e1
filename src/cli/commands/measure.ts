/**
 * `dslab measure [--lab N] [--scenario S]... [--pcap FILE] [--svg FILE] -- CMD [ARGS...]`:
 * runs any program in the client node while capturing its packets, and shows what it did
 * and how that compares with RFC 8305. `--matrix` runs the built-in clients × scenarios.
 */
import type { Command } from 'commander';
import { LAB_OPTION_HELP } from '../lab-option.js';
import { abortOnSignals } from '../abort-on-signals.js';
import { printJson, stdio } from '../context.js';

const collect = (v: string, p: string[] = []): string[] => [...p, v];

export interface MeasureCliOptions {
  lab?: string;
  host?: string;
  node?: string;
  scenario?: string[];
  pcap?: string;
  svg?: string;
  timeout?: string;
  json?: boolean;
  matrix?: boolean;
  clients?: string;
  scenarios?: string;
}

export function register(program: Command): void {
  program
    .command('measure')
    .description('run any command in the client node, capture its packets and say how it fell back (RFC 8305); --matrix: built-in clients × scenarios')
    .argument('[command...]', 'the command and its arguments, after --')
    .option('--lab <name>', LAB_OPTION_HELP)
    .option('--node <name>', 'the node to run it in (default: the client)')
    .option('--host <name>', 'the name the race is about (default: the one the command connected to; other names\' traffic is left out)')
    .option('--scenario <name>', 'apply a fault scenario while it runs (repeatable; "dslab fault scenarios" lists them)', collect)
    .option('--pcap <file>', 'keep the capture in this file (pcap, for Wireshark)')
    .option('--svg <file>', 'also draw the race as an SVG picture (with --matrix: the grid)')
    .option('--timeout <seconds>', 'stop the command after this long (default 30)')
    .option('--matrix', 'run the built-in clients × scenarios and print a table')
    .option('--clients <list>', 'with --matrix: which clients, comma-separated (default: every installed one)')
    .option('--scenarios <list>', 'with --matrix: which scenarios, comma-separated')
    .option('--json', 'print the result as JSON')
    .passThroughOptions()
    .action(async (command: string[], opts: MeasureCliOptions) => {
      const { DslabError } = await import('../../errors.js');
      const { resolveLab } = await import('../../backends/netns/status.js');
      const lab = resolveLab(opts.lab);
      const timeoutMs = opts.timeout === undefined ? undefined : Number(opts.timeout) * 1000;
      if (timeoutMs !== undefined && !(timeoutMs > 0 && timeoutMs <= 600_000)) {
        throw new DslabError('DSLAB_E_BAD_OPTION', `--timeout ${opts.timeout} is not a number of seconds from 0 to 600.`, { field: '--timeout', value: opts.timeout, hint: 'Give seconds, e.g. --timeout 10.' });
      }
      const { signal, dispose } = abortOnSignals('stopping the measurement');
      try {
        if (opts.matrix) {
          if (command.length > 0) throw new DslabError('DSLAB_E_USAGE', '--matrix runs the built-in clients; it takes no command.', { field: 'command', hint: 'Leave out the command, or leave out --matrix.' });
          const { runMatrix } = await import('../../measure/matrix.js');
          const { renderMatrix } = await import('../render/matrix.js');
          const result = await runMatrix({
            lab,
            ...(opts.clients ? { clients: opts.clients.split(',').map((c) => c.trim()) } : {}),
            ...(opts.scenarios ? { scenarios: opts.scenarios.split(',').map((c) => c.trim()) } : {}),
            signal,
            onProgress: opts.json ? undefined : (m) => stdio.err(`  ... ${m}`),
          });
          if (opts.svg) {
            const { writeFile } = await import('node:fs/promises');
            const { renderMatrixSvg } = await import('../../reports/matrix-svg.js');
            await writeFile(opts.svg, renderMatrixSvg(result));
          }
          if (opts.json) printJson(stdio, result);
          else for (const line of renderMatrix(result)) stdio.out(line);
          return;
        }
        if (command.length === 0) throw new DslabError('DSLAB_E_USAGE', 'No command given to measure.', { field: 'command', hint: 'Give it after --, e.g. dslab measure -- curl -s http://dual-badv6.local/' });
        const { measure } = await import('../../measure/measure.js');
        const result = await measure({
          lab,
          argv: command,
          ...(opts.node ? { node: opts.node } : {}),
          ...(opts.host ? { host: opts.host } : {}),
          ...(opts.scenario ? { scenarios: opts.scenario } : {}),
          ...(opts.pcap ? { pcap: opts.pcap } : {}),
          ...(timeoutMs !== undefined ? { timeoutMs } : {}),
          signal,
        });
        if (opts.svg) {
          const { writeFile } = await import('node:fs/promises');
          const { renderRaceSvg } = await import('../../reports/race-svg.js');
          await writeFile(opts.svg, renderRaceSvg(result.race));
        }
        if (opts.json) printJson(stdio, result);
        else {
          const { renderMeasure } = await import('../render/measure.js');
          for (const line of renderMeasure(result)) stdio.out(line);
          if (opts.svg) stdio.out(`The race as a picture: ${opts.svg}`);
        }
      } finally {
        dispose();
      }
    });
}
