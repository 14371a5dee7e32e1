/**
 * Reading lab files: a missing or unreadable file is DSLAB_E_LAB_FILE naming the path;
 * the good fixtures load.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLab } from '../src/lab/load.js';
import { labFixturesDir } from './helpers/lab-fixtures.js';

test('a missing lab file is DSLAB_E_LAB_FILE naming the path', async () => {
  const path = join(tmpdir(), `dslab-lab-test-missing-${process.pid}.yaml`);
  await assert.rejects(loadLab(path), (err: Error & { code?: string; value?: unknown; hint?: string }) => {
    assert.equal(err.code, 'DSLAB_E_LAB_FILE');
    assert.equal(err.value, path);
    assert.ok(err.message.includes(path) && /does not exist/.test(err.message));
    assert.ok(err.hint);
    return true;
  });
});

test('a folder given as lab file is DSLAB_E_LAB_FILE', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'dslab-lab-test-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await assert.rejects(loadLab(dir), { code: 'DSLAB_E_LAB_FILE' });
});

test('a file written to disk loads with its path as source', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'dslab-lab-test-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'tiny.yaml');
  await writeFile(path, 'name: tiny\nnetworks: [{ name: n, ipv6: "fd07::/64" }]\nnodes: [{ name: c, role: client, addresses: { n: { ipv6: "fd07::7" } } }]\n');
  const lab = await loadLab(path);
  assert.equal(lab.source, path);
  assert.equal(lab.name, 'tiny');
  assert.equal(lab.networks[0]?.ipv4, undefined);
});

test('the good fixtures load', async () => {
  for (const name of ['ipv6-only.yaml', 'two-dns.yaml']) {
    const lab = await loadLab(join(labFixturesDir(), 'good', name));
    assert.ok(lab.nodes.length > 0, name);
  }
});
