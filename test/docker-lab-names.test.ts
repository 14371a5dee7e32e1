// `dslab up|run --backend docker LAB` resolve LAB as the namespace backend does (a file, or the
// name of an example such as "big"), before any engine is asked; a bad --name is refused.
// DOCKER_HOST points at a socket that does not exist, so no engine is touched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import process from 'node:process';
import { dslab } from './helpers/netns-lab.js';

interface JsonError {
  error: { code: string; field?: string; value?: unknown };
}

const NO_ENGINE = { ...process.env, DOCKER_HOST: 'unix:///nonexistent/dslab-dk3.sock' };

async function errorOf(args: string[]): Promise<JsonError['error']> {
  const r = await dslab([...args, '--json'], { timeoutMs: 30_000, env: NO_ENGINE });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  return (JSON.parse(r.stdout) as JsonError).error;
}

for (const command of ['up', 'run']) {
  test(`dslab ${command} --backend docker big finds examples/big.yaml (then stops at the missing engine)`, async () => {
    const e = await errorOf([command, '--backend', 'docker', 'big', ...(command === 'run' ? ['--no-report'] : [])]);
    assert.equal(e.code, 'DSLAB_E_DOCKER_MISSING', JSON.stringify(e));
  });

  test(`dslab ${command} --backend docker with an unknown example is DSLAB_E_LAB_FILE naming it`, async () => {
    const e = await errorOf([command, '--backend', 'docker', 'dk3nosuchexample', ...(command === 'run' ? ['--no-report'] : [])]);
    assert.equal(e.code, 'DSLAB_E_LAB_FILE');
    assert.equal(e.value, 'dk3nosuchexample');
  });

  test(`dslab ${command} --backend docker --name with a "-" is DSLAB_E_LAB_NAME`, async () => {
    const e = await errorOf([command, '--backend', 'docker', '--name', 'dk-3', ...(command === 'run' ? ['--no-report'] : [])]);
    assert.equal(e.code, 'DSLAB_E_LAB_NAME');
    assert.equal(e.field, '--name');
    assert.equal(e.value, 'dk-3');
  });
}
