/**
 * A command acts on the lab it is told about, never on "whichever lab is up" (other people's
 * labs may be up on the same machine): with two labs of other names up, a plain `dslab down`
 * removes neither and says so (exit 0); `down --lab` and `down LAB` remove exactly that lab, and
 * a second time say it is not up (exit 0). `dslab exec` takes its own options anywhere before the
 * program (also after NODE and before `--`) and refuses an unknown one or a stray word.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { down } from '../src/backends/netns/down.js';
import { readState } from '../src/backends/netns/state.js';
import { assertLabGone, dslab, labNetnsInodes, netnsSkipReason } from './helpers/netns-lab.js';

const A = 'lr1';
const B = 'lr2';

function errorOf(stdout: string): { code: string; field?: string; value?: unknown; hint?: string } {
  return (JSON.parse(stdout) as { error: { code: string } }).error;
}

test('two labs up: plain down leaves both, down --lab / down LAB remove exactly one', { skip: netnsSkipReason(), timeout: 60_000 }, async (t) => {
  t.after(async () => {
    await down(A);
    await down(B);
  });
  for (const lab of [A, B]) {
    const up = await dslab(['up', '--name', lab]);
    assert.equal(up.code, 0, up.stderr);
    // the next steps name the lab: without --lab they would act on the default lab
    assert.match(up.stdout, new RegExp(`dslab down --lab ${lab}\\b`));
  }
  const inodes = labNetnsInodes(A);

  await t.test('a plain down removes neither lab (the default lab is not up)', { skip: readState('dslab') ? 'a lab named "dslab" is up on this machine; it is not ours to remove' : false }, async () => {
    const r = await dslab(['down']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Nothing to remove: no lab "dslab" is up\./);
    assert.match(r.stdout, new RegExp(`left alone: .*${A}.*${B}|left alone: .*${B}.*${A}`));
    assert.ok(readState(A) && readState(B), 'both labs are still up');
    const j = await dslab(['down', '--json']);
    assert.equal(j.code, 0);
    assert.deepEqual((JSON.parse(j.stdout) as { labs: Array<{ lab: string; existed: boolean }> }).labs.map((l) => [l.lab, l.existed]), [['dslab', false]]);
  });

  await t.test('exec: options after NODE, before --', async () => {
    const r = await dslab(['exec', 'client', '--lab', B, '--', 'ip', '-br', '-4', 'addr', 'show', 'eth0']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /172\.30\.0\.20\/24/);
    const eq = await dslab(['exec', 'client', `--lab=${A}`, 'true']);
    assert.equal(eq.code, 0, eq.stderr);
    // without --, the program's own options stay the program's
    const own = await dslab(['exec', '--lab', A, 'client', 'ip', '-br', '-6', 'addr', 'show', 'eth0']);
    assert.equal(own.code, 0, own.stderr);
    assert.match(own.stdout, /fd00:dead:beef::20\/64/);
  });

  await t.test('exec: a lab that is not up, an unknown option, a stray word before --, --lab twice', async () => {
    const missing = await dslab(['exec', 'client', '--lab', 'lr9', '--', 'true']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /The lab "lr9" is not up.*\n.*DSLAB_E_LAB_NOT_FOUND|DSLAB_E_LAB_NOT_FOUND/s);
    for (const args of [
      ['client', '--bogus', '--', 'true'],
      ['client', '--lab', A, 'oops', '--', 'true'],
      ['client', '--lab', A, '--lab', B, '--', 'true'],
      ['client', '--lab'],
    ]) {
      const r = await dslab(['exec', ...args]);
      assert.equal(r.code, 2, `dslab exec ${args.join(' ')}: exit ${r.code} ${r.stderr}`);
      assert.match(r.stderr, /DSLAB_E_USAGE/);
    }
  });

  await t.test('down --lab removes that lab only; a second time it is not up (exit 0)', async () => {
    const r = await dslab(['down', '--lab', A]);
    assert.equal(r.code, 0, r.stderr);
    assertLabGone(A, inodes);
    assert.ok(readState(B), `${B} is untouched`);
    const again = await dslab(['down', '--lab', A]);
    assert.equal(again.code, 0);
    assert.match(again.stdout, new RegExp(`Nothing to remove: no lab "${A}" is up\\.`));
  });

  await t.test('down LAB (a lab name) removes it; LAB with --lab is a usage error', async () => {
    const clash = await dslab(['down', B, '--lab', B, '--json']);
    assert.equal(clash.code, 2);
    assert.equal(errorOf(clash.stdout).code, 'DSLAB_E_USAGE');
    assert.ok(readState(B), 'nothing was removed');
    const r = await dslab(['down', B]);
    assert.equal(r.code, 0, r.stderr);
    assertLabGone(B);
  });
});
