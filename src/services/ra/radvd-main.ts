/**
 * radvd behind the services' ready protocol, run inside a router node:
 *   node <dist>/src/services/ra/radvd-main.js --config <state>/radvd-r1.conf --pid <state>/radvd-r1.pid
 * Starts radvd in the foreground (logging to stderr), writes `ready` once radvd has written its
 * pid file (the config is read and the ICMPv6 socket is open), and stops it on SIGTERM,
 * exiting 0. If radvd cannot start or dies, its reason is on stderr and the exit code is 1.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { DslabError } from '../../errors.js';
import { findProgram } from '../../util/find-program.js';
import { reportFailure } from '../program.js';

const READY_TIMEOUT_MS = 8000;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string' }, pid: { type: 'string' } }, strict: true });
  if (!values.config || !values.pid) {
    throw new DslabError('DSLAB_E_USAGE', 'radvd-main needs --config FILE and --pid FILE.', { field: values.config ? '--pid' : '--config', hint: 'Run: node radvd-main.js --config radvd.conf --pid radvd.pid' });
  }
  const radvd = findProgram('radvd');
  if (!radvd) {
    throw new DslabError('DSLAB_E_TOOL_MISSING', 'The lab has a SLAAC network, whose router needs radvd, which is not installed.', {
      field: 'networks[].ipv6.autoconf',
      value: 'slaac',
      hint: 'Install it (apt-get install -y --no-install-recommends radvd), then run "dslab up" again.',
    });
  }
  await rm(values.pid, { force: true });
  process.umask(0o077);
  const child = spawn(radvd, ['--nodaemon', '--config', values.config, '--pidfile', values.pid, '--logmethod', 'stderr'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const stop = (): void => {
    child.kill('SIGTERM');
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  const exited = new Promise<number>((resolve) => child.once('exit', (code, sig) => resolve(code ?? (sig ? 1 : 0))));
  child.once('error', (err) => process.stderr.write(`radvd-main: cannot run ${radvd}: ${err.message}\n`));
  const t0 = Date.now();
  while (!(existsSync(values.pid) && readFileSync(values.pid, 'utf8').trim() === String(child.pid))) {
    if (child.exitCode !== null || child.pid === undefined) throw new DslabError('DSLAB_E_SERVICE_FAILED', 'radvd stopped before it was ready (its reason is above).', { hint: 'Check the config with "radvd --configtest --config FILE".' });
    if (Date.now() - t0 > READY_TIMEOUT_MS) {
      child.kill('SIGKILL');
      throw new DslabError('DSLAB_E_SERVICE_FAILED', `radvd wrote no pid file within ${READY_TIMEOUT_MS} ms.`, { hint: 'Check the config with "radvd --configtest --config FILE".' });
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  process.stdout.write('ready\n');
  const code = await exited;
  process.exitCode = code === 0 || child.signalCode === 'SIGTERM' ? 0 : 1;
}

main().catch((err: unknown) => reportFailure('radvd-main', err));
