/**
 * `dslab validate` takes a lab argument as `dslab up` does: a file, or the name of an example
 * (`big` is examples/big.yaml, wherever the command is run from); a name that is neither is
 * refused with DSLAB_E_LAB_FILE naming it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import process from 'node:process';
import { cliPath } from './helpers/netns-lab.js';

/** The compiled CLI run from a folder that is not the package's, so that `big` cannot be a relative path. */
function dslab(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliPath(), ...args], { cwd: tmpdir(), timeout: 30_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

test('validate big validates examples/big.yaml, from any folder', async () => {
  const r = await dslab(['validate', 'big', '--json']);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const out = JSON.parse(r.stdout) as { valid: boolean; lab: { name: string; source: string; nodes: unknown[] } };
  assert.equal(out.valid, true);
  assert.equal(out.lab.name, 'biglab');
  assert.match(out.lab.source, /examples\/big\.yaml$/);
  assert.equal(out.lab.nodes.length, 5);
});

test('validate of a name that is neither a file nor an example says so, exit 1', async () => {
  const r = await dslab(['validate', 'nosuchexample', '--json']);
  assert.equal(r.code, 1, r.stdout);
  const e = (JSON.parse(r.stdout) as { error: { code: string; value: unknown } }).error;
  assert.equal(e.code, 'DSLAB_E_LAB_FILE');
  assert.equal(e.value, 'nosuchexample');
});
