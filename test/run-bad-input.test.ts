/**
 * Bad input to `dslab run` is refused with a stable code naming the field and value, and
 * nothing is created: an unknown lab, an invalid --name, a lab file that does not exist.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { labStateDir } from '../src/backends/netns/state.js';
import { dslab } from './helpers/netns-lab.js';

interface JsonError {
  error: { code: string; field?: string; value?: unknown; hint?: string };
}

async function runError(args: string[]): Promise<{ code: number; error: JsonError['error'] }> {
  const r = await dslab(['run', ...args, '--json'], { timeoutMs: 20_000 });
  return { code: r.code, error: (JSON.parse(r.stdout) as JsonError).error };
}

test('an unknown lab name is DSLAB_E_LAB_NOT_FOUND and creates nothing', async () => {
  const r = await runError(['ex3nothere']);
  assert.equal(r.code, 1);
  assert.equal(r.error.code, 'DSLAB_E_LAB_NOT_FOUND');
  assert.equal(r.error.field, 'LAB');
  assert.equal(r.error.value, 'ex3nothere');
  assert.ok(r.error.hint);
  assert.equal(existsSync(labStateDir('ex3nothere')), false);
});

test('an invalid --name is DSLAB_E_LAB_NAME naming the option', async () => {
  const r = await runError(['--name', 'Ex-1']);
  assert.equal(r.code, 1);
  assert.equal(r.error.code, 'DSLAB_E_LAB_NAME');
  assert.equal(r.error.field, '--name');
  assert.equal(r.error.value, 'Ex-1');
});

test('a lab file that does not exist is DSLAB_E_LAB_FILE', async () => {
  const r = await runError(['/nonexistent/ex3.yaml', '--name', 'ex3']);
  assert.equal(r.error.code, 'DSLAB_E_LAB_FILE');
  assert.equal(r.error.value, '/nonexistent/ex3.yaml');
  assert.equal(existsSync(labStateDir('ex3')), false);
});
