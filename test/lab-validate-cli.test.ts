/**
 * `dslab validate [LAB] [--json]`, run as the compiled CLI: prints the validated lab and
 * its warnings and exits 0, or prints the error with its code and exits 1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { run } from '../src/util/run.js';
import { compiledSrcDir, packageRoot } from '../src/util/package-root.js';
import { badLabFixtures } from './helpers/lab-fixtures.js';

const MAIN = join(compiledSrcDir(), 'cli', 'main.js');

function dslab(...args: string[]) {
  return run(process.execPath, [MAIN, ...args], { allowFailure: true, timeoutMs: 30_000 });
}

test('validate --json without a file prints the default lab and its warning, exit 0', async () => {
  const r = await dslab('validate', '--json');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { valid: boolean; lab: { name: string; nodes: Array<{ name: string }>; records: unknown[] }; warnings: string[] };
  assert.equal(out.valid, true);
  assert.equal(out.lab.name, 'dslab');
  assert.deepEqual(out.lab.nodes.map((n) => n.name), ['web', 'dns', 'client']);
  assert.equal(out.lab.records.length, 4);
  assert.equal(out.warnings.length, 1);
  assert.match(out.warnings[0] ?? '', /^dual-badv6\.local AAAA fd00:dead:beef::9999: no node has this address/);
});

test('validate FILE prints nodes, addresses, records and warnings as text', async () => {
  const r = await dslab('validate', join(packageRoot(), 'examples', 'big.yaml'));
  assert.equal(r.code, 0, r.stderr);
  for (const s of ['Lab biglab', 'host4', 'eth1', '10.78.0.40', 'fd42:77::60', 'badv6.big.test', 'delayed 300 ms', 'dropped', 'Warnings']) {
    assert.ok(r.stdout.includes(s), `output lacks ${s}:\n${r.stdout}`);
  }
});

test('validate --json of a bad file prints the error with code and field, exit 1', async () => {
  for (const name of ['outside-subnet-ipv4.yaml', 'family-a-holds-ipv6.yaml', 'yaml-duplicate-key.yaml']) {
    const fx = badLabFixtures().find((f) => f.file === name);
    assert.ok(fx);
    const r = await dslab('validate', fx.path, '--json');
    assert.equal(r.code, 1, `${name}: ${r.stdout}${r.stderr}`);
    const out = JSON.parse(r.stdout) as { error: { code: string; field: string; hint: string } };
    assert.equal(out.error.code, fx.code);
    assert.equal(out.error.field, fx.field);
    assert.ok(out.error.hint);
  }
});

test('validate of a bad file without --json explains on stderr, with the code', async () => {
  const fx = badLabFixtures().find((f) => f.file === 'overlap-ipv4.yaml');
  assert.ok(fx);
  const r = await dslab('validate', fx.path);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /networks\[1\]\.ipv4 "172\.30\.0\.0\/16" overlaps/);
  assert.match(r.stderr, /DSLAB_E_LAB_OVERLAP/);
});

test('validate of a missing file exits 1 with DSLAB_E_LAB_FILE', async () => {
  const r = await dslab('validate', join(packageRoot(), 'examples', 'no-such-lab.yaml'), '--json');
  assert.equal(r.code, 1);
  assert.equal((JSON.parse(r.stdout) as { error: { code: string } }).error.code, 'DSLAB_E_LAB_FILE');
});
