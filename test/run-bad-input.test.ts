/**
 * Bad input to `dslab run` is refused with a stable code naming the field and value, and
 * nothing is created: an unknown lab, an invalid --name, a lab file that does not exist, an
 * --out folder the reports cannot go to (refused before the lab is brought up).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import process from 'node:process';
import { UP_STEPS } from '../src/backends/netns/fail-inject.js';
import { labStateDir } from '../src/backends/netns/state.js';
import { dslab } from './helpers/netns-lab.js';

interface JsonError {
  error: { code: string; field?: string; value?: unknown; hint?: string };
}

async function runError(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; error: JsonError['error'] }> {
  const r = await dslab(['run', ...args, '--json'], { timeoutMs: 20_000, env: { ...process.env, ...env } });
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

test('an --out the reports cannot go to is DSLAB_E_RUN_FAILED before anything is brought up', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dslab-run-out-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'a-file');
  writeFileSync(file, '');
  for (const out of [file, join(file, 'sub')]) {
    // were a lab brought up first, its first step would fail with DSLAB_E_INJECTED_FAILURE
    // instead (a lab brought up and taken down again leaves no state folder to see afterwards)
    const r = await runError(['--name', 'rv4b', '--out', out], { DSLAB_FAIL_AT: UP_STEPS[0] });
    assert.equal(r.code, 1);
    assert.equal(r.error.code, 'DSLAB_E_RUN_FAILED');
    assert.equal(r.error.field, '--out');
    assert.equal(r.error.value, out);
    assert.equal(existsSync(labStateDir('rv4b')), false, 'no lab was brought up');
  }
});

test('a run refused for its input leaves no report folder behind', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dslab-run-out-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'reports');
  const r = await runError(['/nonexistent/rv4b.yaml', '--name', 'rv4b', '--out', out]);
  assert.equal(r.error.code, 'DSLAB_E_LAB_FILE');
  assert.equal(existsSync(out), false);
});
