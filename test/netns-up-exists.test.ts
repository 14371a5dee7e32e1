/**
 * `up` of a lab that is already up is DSLAB_E_LAB_EXISTS and changes nothing; `--replace`
 * replaces it; `down` is idempotent; `ls`, `status` and the lab resolution see it (lab nt3).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { down } from '../src/backends/netns/down.js';
import { readState } from '../src/backends/netns/state.js';
import { resolveLab } from '../src/backends/netns/status.js';
import { up } from '../src/backends/netns/up.js';
import { isDslabError } from '../src/errors.js';
import { assertLabGone, dslab, labNetnsInodes, labTopology, netnsSkipReason } from './helpers/netns-lab.js';

const LAB = 'nt3';

test('up twice, --replace, ls, status and down twice', { skip: netnsSkipReason(), timeout: 60_000 }, async (t) => {
  const topology = await labTopology(LAB);
  await down(LAB);
  t.after(() => down(LAB));

  const first = await up(topology);
  const firstPids = first.services.map((s) => s.pid).sort();
  const inodes = labNetnsInodes(LAB);

  await t.test('a second up is DSLAB_E_LAB_EXISTS and leaves the first lab as it was', async () => {
    await assert.rejects(up(topology), (err: unknown) => isDslabError(err, 'DSLAB_E_LAB_EXISTS'));
    const state = readState(LAB)!;
    assert.equal(state.phase, 'up');
    assert.deepEqual(state.services.map((s) => s.proc!.pid).sort(), firstPids);
    assert.deepEqual(labNetnsInodes(LAB), inodes);
    const cli = await dslab(['up', '--name', LAB, '--json']);
    assert.equal(cli.code, 1);
    assert.equal((JSON.parse(cli.stdout) as { error: { code: string } }).error.code, 'DSLAB_E_LAB_EXISTS');
  });

  await t.test('ls and status list the lab as up with running services', async () => {
    const ls = await dslab(['ls', '--json']);
    assert.equal(ls.code, 0, ls.stderr);
    const labs = (JSON.parse(ls.stdout) as { labs: Array<{ lab: string; health: string }> }).labs;
    assert.deepEqual(labs.find((l) => l.lab === LAB)?.health, 'up');
    const st = await dslab(['status', '--lab', LAB, '--json']);
    assert.equal(st.code, 0, st.stderr);
    const s = JSON.parse(st.stdout) as { health: string; services: Array<{ id: string; health: string }> };
    assert.equal(s.health, 'up');
    assert.deepEqual(s.services.map((v) => [v.id, v.health]).sort(), [['dns', 'running'], ['web', 'running']]);
    assert.equal(resolveLab(LAB), LAB);
  });

  await t.test('an unknown lab name is DSLAB_E_LAB_NOT_FOUND and names the labs that exist', async () => {
    assert.throws(() => resolveLab('nt9'), (err: unknown) => isDslabError(err, 'DSLAB_E_LAB_NOT_FOUND') && String(err.hint).includes(LAB));
  });

  await t.test('--replace tears the lab down and brings it up anew', async () => {
    const second = await up(topology, { replace: true });
    assert.equal(second.replaced, true);
    assert.notDeepEqual(second.services.map((s) => s.pid).sort(), firstPids);
    for (const pid of firstPids) assert.throws(() => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`/${LAB}/`) || (() => { throw new Error('gone'); })());
    assert.equal(readState(LAB)?.phase, 'up');
  });

  await t.test('dslab down removes it, and a second down is a harmless no-op', async () => {
    const inodesNow = labNetnsInodes(LAB);
    const a = await dslab(['down', '--lab', LAB, '--json']);
    assert.equal(a.code, 0, a.stderr);
    const ra = (JSON.parse(a.stdout) as { labs: Array<{ existed: boolean; namespaces: string[] }> }).labs[0]!;
    assert.equal(ra.existed, true);
    assert.equal(ra.namespaces.length, 4);
    assertLabGone(LAB, inodesNow);
    const b = await dslab(['down', '--lab', LAB, '--json']);
    assert.equal(b.code, 0, b.stderr);
    assert.equal((JSON.parse(b.stdout) as { labs: Array<{ existed: boolean }> }).labs[0]!.existed, false);
  });
});
