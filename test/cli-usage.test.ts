/**
 * Usage errors from the argument parser: exit status 2, and a JSON error for scripts that
 * asked for JSON; help and version exit 0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dslab } from './helpers/netns-lab.js';

test('a missing argument with --json gives DSLAB_E_USAGE as JSON and exit 2', async () => {
  const r = await dslab(['addr', 'subnet', '2001:db8::/32', '--json']);
  assert.equal(r.code, 2);
  const body = JSON.parse(r.stdout) as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'DSLAB_E_USAGE');
  assert.match(body.error.message, /newlen/);
});

test('an unknown command exits 2 and suggests a close one', async () => {
  const r = await dslab(['lgos']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command 'lgos'/);
  assert.match(r.stderr, /logs/);
});

test('--help and --version exit 0', async () => {
  const help = await dslab(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: dslab/);
  for (const cmd of ['up', 'down', 'run', 'connect', 'addr', 'exec']) assert.match(help.stdout, new RegExp(`\\b${cmd}\\b`));
  const version = await dslab(['--version']);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+/);
});
