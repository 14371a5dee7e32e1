/**
 * The probe program, run by the backend inside the client node after `up`:
 *   node <dist>/src/services/probe/main.js --config FILE [--timeout MS]
 * Prints `{ "results": [...] }` as JSON and exits 0 whatever the results; exit 1 only when
 * the input is bad (the error goes to stderr).
 */
import { readFile } from 'node:fs/promises';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { DslabError } from '../../errors.js';
import { probeTargets } from './probe.js';
import { parseProbeConfig } from './targets.js';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string' }, timeout: { type: 'string' } }, strict: true });
  if (!values.config) {
    throw new DslabError('DSLAB_E_USAGE', 'The probe needs --config FILE.', {
      field: '--config',
      hint: 'Run: node main.js --config probe.json',
    });
  }
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    timeoutMs = Number(values.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60000) {
      throw new DslabError('DSLAB_E_BAD_OPTION', `--timeout ${values.timeout} is not a whole number of milliseconds from 100 to 60000.`, {
        field: '--timeout',
        value: values.timeout,
        hint: 'Leave it out for the default of 1500 ms.',
      });
    }
  }
  const config = parseProbeConfig(await readJson(values.config), values.config);
  const results = await probeTargets(config.targets, { timeoutMs: timeoutMs ?? config.timeoutMs });
  process.stdout.write(JSON.stringify({ results }) + '\n');
}

async function readJson(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8').catch((err: Error) => {
    throw new DslabError('DSLAB_E_SERVICE_CONFIG', `Cannot read the probe config ${path}: ${err.message}.`, {
      field: '--config',
      value: path,
      hint: 'Pass the path of an existing JSON file.',
      cause: err,
    });
  });
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new DslabError('DSLAB_E_SERVICE_CONFIG', `The probe config ${path} is not valid JSON: ${(err as Error).message}.`, {
      field: '--config',
      value: path,
      hint: 'Fix the JSON, or let the backend write it.',
      cause: err,
    });
  }
}

main().catch((err: unknown) => {
  if (err instanceof DslabError) {
    process.stderr.write(`probe: ${err.message}\n${err.hint ? `  ${err.hint}\n` : ''}  (${err.code})\n`);
  } else {
    process.stderr.write(`probe: ${(err as Error)?.message ?? String(err)}\n`);
  }
  process.exitCode = 1;
});
