/**
 * `dslab run --lab NAME` runs a lab that is up, as `--lab` works for the other commands, and
 * is what `dslab up --name NAME` prints as the next step (a plain `dslab run` would run the
 * default lab instead). With a LAB argument, --name or --here it is a usage error, refused
 * before anything is created; a lab that is not up is named in the error.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { down } from '../src/backends/netns/down.js';
import { labStateDir } from '../src/backends/netns/state.js';
import { readState } from '../src/backends/netns/index.js';
import type { RunReport } from '../src/experiments/types.js';
import { assertLabGone, dslab, labNetnsInodes, netnsSkipReason } from './helpers/netns-lab.js';

const LAB = 'fb';

interface JsonError {
  error: { code: string; field?: string; value?: unknown };
}

test('--lab with a LAB argument, --name or --here is a usage error and creates nothing', async () => {
  for (const extra of [['big'], ['--name', 'fb2'], ['--here']]) {
    const r = await dslab(['run', '--lab', 'fb1', ...extra, '--json', '--no-report'], { timeoutMs: 20_000 });
    assert.equal(r.code, 2, `${extra.join(' ')}: ${r.stdout}${r.stderr}`);
    const e = (JSON.parse(r.stdout) as JsonError).error;
    assert.equal(e.code, 'DSLAB_E_USAGE');
    assert.equal(e.field, '--lab');
    assert.equal(e.value, 'fb1');
  }
  for (const lab of ['fb1', 'fb2', 'biglab']) assert.equal(existsSync(labStateDir(lab)), false, `${lab} was created`);
});

test('--lab of a lab that is not up is refused naming it', async () => {
  const r = await dslab(['run', '--lab', 'fb9', '--json', '--no-report'], { timeoutMs: 20_000 });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const e = (JSON.parse(r.stdout) as JsonError).error;
  assert.equal(e.code, 'DSLAB_E_LAB_NOT_FOUND');
  assert.equal(e.value, 'fb9');
  assert.equal(existsSync(labStateDir('fb9')), false);
});

test('the "dslab run --lab NAME" that dslab up prints runs that lab as it is and leaves it up', { skip: netnsSkipReason(['curl', 'dig']), timeout: 90_000 }, async (t) => {
  await down(LAB);
  t.after(() => down(LAB));
  const upped = await dslab(['up', '--name', LAB], { timeoutMs: 30_000 });
  assert.equal(upped.code, 0, upped.stderr + upped.stdout);
  const inodes = labNetnsInodes(LAB);
  const createdAt = readState(LAB)?.createdAt;
  // the next step names the lab, since a plain `dslab run` would run the default lab "dslab"
  assert.match(upped.stdout, new RegExp(`^  dslab run --lab ${LAB}$`, 'm'));
  assert.doesNotMatch(upped.stdout, /^ {2}dslab run$/m);

  const r = await dslab(['run', '--lab', LAB, '--json', '--no-report'], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}\n${r.stdout.slice(0, 3000)}`);
  const report = JSON.parse(r.stdout) as RunReport;
  assert.equal(report.lab, LAB);
  assert.equal(report.broughtUp, false);
  assert.equal(report.summary.ok, true);
  assert.equal(readState(LAB)?.createdAt, createdAt, 'the very same lab is still up');

  await down(LAB);
  assertLabGone(LAB, inodes);
});
