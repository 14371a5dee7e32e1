/**
 * `dslab run --keep` leaves up the lab it brought up, says so, and the lab is the one the
 * report describes; the test then takes it down itself and checks nothing is left.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { down } from '../src/backends/netns/down.js';
import { status } from '../src/backends/netns/index.js';
import type { RunReport } from '../src/experiments/types.js';
import { assertLabGone, dslab, labNetnsInodes, netnsSkipReason } from './helpers/netns-lab.js';

const LAB = 'rv4b';

test('dslab run --keep leaves the lab it brought up running', { skip: netnsSkipReason(), timeout: 60_000 }, async (t) => {
  await down(LAB);
  t.after(() => down(LAB));
  const r = await dslab(['run', '--keep', '--name', LAB, '--json', '--no-report'], { timeoutMs: 50_000 });
  assert.equal(r.code, 0, `dslab run failed (exit ${r.code}): ${r.stderr}\n${r.stdout.slice(0, 3000)}`);
  const report = JSON.parse(r.stdout) as RunReport;
  assert.equal(report.broughtUp, true);
  assert.equal(report.kept, true);
  assert.equal(report.timings.downMs, 0);
  assert.equal(status(LAB).health, 'up');
  const inodes = labNetnsInodes(LAB);

  const downed = await dslab(['down', '--lab', LAB], { timeoutMs: 30_000 });
  assert.equal(downed.code, 0, downed.stderr);
  assertLabGone(LAB, inodes);
});
