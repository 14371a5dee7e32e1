/**
 * nginx behind the services' ready protocol, run inside the web node:
 *   node <dist>/src/services/web/nginx-main.js --config <state>/nginx.conf --state <state>
 * Starts nginx in the foreground, writes `ready` once its pid file shows every socket is
 * bound, and stops it on SIGTERM (nginx's fast shutdown), exiting 0. If nginx cannot start or
 * dies, the reason goes to stderr and the exit code is 1.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { DslabError } from '../../errors.js';
import { reportFailure } from '../program.js';
import { NGINX_BIN, NGINX_FILES, nginxCommand, waitForNginxReady } from './nginx.js';

const READY_TIMEOUT_MS = 8000;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string' }, state: { type: 'string' } }, strict: true });
  if (!values.config || !values.state) {
    throw new DslabError('DSLAB_E_USAGE', 'nginx-main needs --config FILE and --state DIR.', {
      field: values.config ? '--state' : '--config',
      hint: 'Run: node nginx-main.js --config <state>/nginx.conf --state <state>',
    });
  }
  if (!existsSync(NGINX_BIN)) {
    throw new DslabError('DSLAB_E_TOOL_MISSING', `The lab asks for nginx, but ${NGINX_BIN} is not installed.`, {
      field: 'web.server',
      value: 'nginx',
      hint: 'Install it (apt-get install nginx-light), or set "server: builtin" for the web node.',
    });
  }
  // a pid file left by a killed nginx would look like readiness
  await rm(join(values.state, NGINX_FILES.pid), { force: true });
  const cmd = nginxCommand(values.config, values.state);
  // nginx's logs, pid file and temp folders go into the lab's private state folder: 0600/0700
  process.umask(0o077);
  const child = spawn(cmd.file, cmd.args, { stdio: ['ignore', 'ignore', 'inherit'] });
  let stopping = false;
  const stop = (): void => {
    stopping = true;
    child.kill('SIGTERM');
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  const exited = new Promise<number>((resolve) => child.once('exit', (code, sig) => resolve(code ?? (sig ? 1 : 0))));
  child.once('error', (err) => process.stderr.write(`nginx-main: cannot run ${NGINX_BIN}: ${err.message}\n`));
  if (child.pid === undefined) {
    await exited.catch(() => 1);
    throw new DslabError('DSLAB_E_SERVICE_FAILED', `nginx could not be started.`, { value: NGINX_BIN, hint: `Check that ${NGINX_BIN} runs (nginx -t), then run "dslab up" again.` });
  }
  try {
    await waitForNginxReady(values.state, child.pid, READY_TIMEOUT_MS);
  } catch (err) {
    if (child.exitCode === null) child.kill('SIGKILL');
    throw err;
  }
  process.stdout.write('ready\n');
  const code = await exited;
  if (!stopping) {
    process.stderr.write(`nginx-main: nginx exited on its own (exit ${code}); see ${join(values.state, NGINX_FILES.errorLog)}.\n`);
    process.exitCode = 1;
  } else {
    process.exitCode = code === 0 ? 0 : 1;
  }
}

main().catch((err: unknown) => reportFailure('nginx-main', err));
