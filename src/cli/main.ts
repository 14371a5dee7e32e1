#!/usr/bin/env node
/**
 * The dslab entry point: maps argv to a command, prints errors with their code and hint,
 * and is the only place that exits the process.
 */
import process from 'node:process';
import { Command, CommanderError } from 'commander';
import { DslabError } from '../errors.js';
import { ExitError } from './context.js';
import { registerAll } from './commands/index.js';

// `dslab ... | head`: a reader that goes away is not an error of ours; commands that must
// react (run takes its lab down) listen for it themselves
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command('dslab')
    .description('A real IPv4/IPv6 dual-stack lab on Linux network namespaces, and Happy Eyeballs measured in it.')
    .version('0.1.0')
    .showSuggestionAfterError(true)
    .enablePositionalOptions()
    .exitOverride();
  await registerAll(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    return reportError(err, argv);
  }
}

function reportError(err: unknown, argv: string[]): number {
  if (err instanceof ExitError) return err.exitCode;
  const json = argv.includes('--json');
  if (err instanceof CommanderError) {
    // help and version exit 0; anything else is a usage error that commander has already
    // explained on stderr: exit 2, and give scripts that asked for JSON a JSON error too
    if (err.exitCode === 0) return 0;
    if (json) {
      const message = err.message.replace(/^error: /, '');
      process.stdout.write(
        JSON.stringify({ error: { code: 'DSLAB_E_USAGE', message, hint: 'Run the command with --help to see its usage.' } }, null, 2) + '\n',
      );
    }
    return 2;
  }
  if (err instanceof DslabError) {
    if (json) {
      process.stdout.write(JSON.stringify({ error: err.toJSON() }, null, 2) + '\n');
    } else {
      process.stderr.write(`dslab: ${clip(err.message)}\n`);
      if (err.hint) process.stderr.write(`  ${clip(err.hint)}\n`);
      process.stderr.write(`  (${err.code})\n`);
    }
    return exitCodeFor(err);
  }
  const e = err as Error;
  process.stderr.write(`dslab: unexpected error: ${e?.stack ?? String(err)}\n`);
  process.stderr.write('  This is a bug in dslab; please report it with the command you ran.\n');
  return 70;
}

/** No error line longer than a terminal can show: a longer one is cut, and says where the whole is. */
const MAX_LINE = 400;
function clip(text: string): string {
  return text
    .split('\n')
    .map((l) => (l.length <= MAX_LINE ? l : `${l.slice(0, MAX_LINE - 60)}... (${l.length - MAX_LINE + 60} more characters; --json has the whole message)`))
    .join('\n');
}

function exitCodeFor(err: DslabError): number {
  if (err.code === 'DSLAB_E_USAGE' || err.code === 'DSLAB_E_BAD_OPTION') return 2;
  if (err.code === 'DSLAB_E_INTERRUPTED') return 130;
  return 1;
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`dslab: ${String(err)}\n`);
    process.exitCode = 70;
  },
);
