/**
 * The web service program, run inside the web node:
 *   node <dist>/src/services/web/main.js --config FILE [--log FILE]
 * Writes `ready` to stdout once every listener is bound and nothing to stdout after that;
 * access-log lines are appended to --log (no log without it). SIGTERM closes and exits 0;
 * a start-up failure goes to stderr with exit code 1.
 */
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { DslabError } from '../../errors.js';
import { readJsonConfig, reportFailure } from '../program.js';
import { parseWebConfig } from './config.js';
import { startWebServer } from './server.js';

async function start(): Promise<void> {
  const { values } = parseArgs({
    options: { config: { type: 'string' }, log: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  if (!values.config) {
    throw new DslabError('DSLAB_E_USAGE', 'The web server needs --config FILE.', {
      field: '--config',
      hint: 'Run: node main.js --config web.json [--log web.log]',
    });
  }
  const config = parseWebConfig(await readJsonConfig(values.config, 'web server config', 'Regenerate the config (dslab up writes it) or fix the JSON.'), values.config);
  const log = values.log ? await openLog(values.log) : undefined;
  const server = await startWebServer(config, log ? { log: (line) => log.write(line + '\n') } : {}).catch((err: unknown) => {
    log?.end();
    throw err;
  });
  const stop = (): void => {
    void server.close().then(() => log?.end());
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write('ready\n');
}

function openLog(path: string): Promise<WriteStream> {
  return new Promise((resolve, reject) => {
    const stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
    stream.once('open', () => {
      // a failing log (disk full) must not take the server down: report once, keep serving
      stream.on('error', (err) => process.stderr.write(`web: access log ${path} failed: ${err.message}\n`));
      resolve(stream);
    });
    stream.once('error', (err) =>
      reject(
        new DslabError('DSLAB_E_SERVICE_CONFIG', `Cannot open the access log ${path}: ${err.message}.`, {
          field: '--log',
          value: path,
          hint: 'Pass a writable file path, or leave --log out.',
          cause: err,
        }),
      ),
    );
  });
}

start().catch((err: unknown) => reportFailure('web', err));
