/**
 * A failure at any step of `up` removes everything created so far: DSLAB_FAIL_AT injects one
 * at each step in turn (lab nt2) and the test asserts no namespace, /etc/netns folder,
 * process or state file of the lab remains. A malformed lab file creates nothing at all.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { test } from 'node:test';
import { down } from '../src/backends/netns/down.js';
import { UP_STEPS } from '../src/backends/netns/fail-inject.js';
import { up } from '../src/backends/netns/up.js';
import { isDslabError } from '../src/errors.js';
import { assertLabGone, dslab, labLeftovers, labTopology, netnsSkipReason } from './helpers/netns-lab.js';

const LAB = 'nt2';

test('a failure injected at each step of up leaves nothing behind', { skip: netnsSkipReason(), timeout: 120_000 }, async (t) => {
  const topology = await labTopology(LAB);
  await down(LAB);
  t.after(async () => {
    delete process.env['DSLAB_FAIL_AT'];
    await down(LAB);
  });
  for (const step of UP_STEPS) {
    await t.test(`failure at "${step}"`, async () => {
      process.env['DSLAB_FAIL_AT'] = step;
      try {
        await assert.rejects(up(topology), (err: unknown) => isDslabError(err, 'DSLAB_E_INJECTED_FAILURE') && err.value === step);
      } finally {
        delete process.env['DSLAB_FAIL_AT'];
      }
      assertLabGone(LAB);
    });
  }
});

test('dslab up with a malformed lab file fails with a lab error and creates nothing', { skip: netnsSkipReason(), timeout: 30_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dslab-nt-'));
  try {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, `name: ${LAB}\nnetworks:\n  - name: dsnet\n    ipv4: 172.30.0.0/33\nnodes: []\n`);
    const r = await dslab(['up', file, '--json']);
    assert.equal(r.code, 1);
    const body = JSON.parse(r.stdout) as { error: { code: string; field?: string } };
    assert.match(body.error.code, /^DSLAB_E_LAB_/);
    assert.deepEqual(labLeftovers(LAB), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('dslab up with a bad --name is rejected before anything is created', { skip: netnsSkipReason(), timeout: 30_000 }, async () => {
  const r = await dslab(['up', '--name', 'nt-2', '--json']);
  assert.equal(r.code, 1);
  const body = JSON.parse(r.stdout) as { error: { code: string; field?: string; value?: unknown } };
  assert.equal(body.error.code, 'DSLAB_E_LAB_NAME');
  assert.equal(body.error.field, 'name');
  assert.equal(body.error.value, 'nt-2');
  assert.deepEqual(labLeftovers('nt'), []);
});
