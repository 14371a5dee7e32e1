/**
 * A system daemon (radvd, dnsmasq) behind the services' ready protocol, run inside a node:
 *   node <dist>/src/services/daemon-main.js --what radvd (--pid FILE | --ready-line REGEX) [--log FILE] -- PROGRAM ARGS...
 * Starts PROGRAM in the foreground with its log on stderr (appended to --log, else passed through), writes `ready` once
 * it has written its pid file with its own pid (`--pid`) or printed a line matching `--ready-line`,
 * and stops it on SIGTERM, exiting 0. If it cannot start or dies first, the reason is on stderr
 * and the exit code is 1.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { DslabError } from '../errors.js';
import { findProgram } from '../util/find-program.js';
import { openPrivateAppend } from '../util/private-fs.js';
import { reportFailure } from './program.js';

const READY_TIMEOUT_MS = 8000;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { what: { type: 'string' }, pid: { type: 'string' }, 'ready-line': { type: 'string' }, package: { type: 'string' }, log: { type: 'string' } }, strict: true, allowPositionals: true });
  const [program, ...args] = positionals;
  if (!values.what || !program || (values.pid === undefined) === (values['ready-line'] === undefined)) {
    throw new DslabError('DSLAB_E_USAGE', 'daemon-main needs --what NAME, one of --pid FILE or --ready-line REGEX, then -- PROGRAM ARGS.', { field: 'argv', hint: 'Run: node daemon-main.js --what radvd --pid radvd.pid -- radvd --nodaemon ...' });
  }
  const file = findProgram(program);
  if (!file) {
    throw new DslabError('DSLAB_E_TOOL_MISSING', `The lab needs ${program} (for ${values.what}), which is not installed.`, {
      value: program,
      hint: `Install it (apt-get install -y --no-install-recommends ${values.package ?? program}), then run "dslab up" again.`,
    });
  }
  if (values.pid) await rm(values.pid, { force: true });
  const readyLine = values['ready-line'] ? new RegExp(values['ready-line']) : undefined;
  process.umask(0o077);
  const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let sawLine = false;
  const log = values.log ? openPrivateAppend(values.log) : undefined;
  child.stderr.on('data', (d: Buffer) => {
    if (log === undefined) process.stderr.write(d);
    else writeSync(log, d);
    if (readyLine && readyLine.test(d.toString())) sawLine = true;
  });
  const stop = (): void => {
    child.kill('SIGTERM');
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  const exited = new Promise<number>((resolve) => child.once('exit', (code, sig) => resolve(code ?? (sig ? 1 : 0))));
  child.once('error', (err) => process.stderr.write(`daemon-main: cannot run ${file}: ${err.message}\n`));
  const ready = (): boolean => (values.pid ? existsSync(values.pid) && readFileSync(values.pid, 'utf8').trim() === String(child.pid) : sawLine);
  const t0 = Date.now();
  while (!ready()) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
      throw new DslabError('DSLAB_E_SERVICE_FAILED', `${values.what} stopped before it was ready (its reason is above).`, { value: program, hint: `Check its configuration (the state folder has it), then run "dslab up" again.` });
    }
    if (Date.now() - t0 > READY_TIMEOUT_MS) {
      child.kill('SIGKILL');
      throw new DslabError('DSLAB_E_SERVICE_FAILED', `${values.what} was not ready within ${READY_TIMEOUT_MS} ms.`, { value: program, hint: 'Check its configuration (the state folder has it) and its log.' });
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  process.stdout.write('ready\n');
  const code = await exited;
  process.exitCode = code === 0 || child.signalCode === 'SIGTERM' ? 0 : 1;
}

main().catch((err: unknown) => reportFailure('daemon-main', err));
