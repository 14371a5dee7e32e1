/**
 * `dslab run` on a lab that was already up (brought up with `dslab up`) uses it as it is and
 * leaves it up afterwards; the report says so. The test then takes the lab down itself.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { down } from '../src/backends/netns/down.js';
import { readState, status } from '../src/backends/netns/index.js';
import type { RunReport } from '../src/experiments/types.js';
import { assertLabGone, dslab, labNetnsInodes, netnsSkipReason } from './helpers/netns-lab.js';

const LAB = 'ey1';

test('a lab that was already up is used and left up', { skip: netnsSkipReason(), timeout: 60_000 }, async (t) => {
  await down(LAB);
  t.after(() => down(LAB));
  const upped = await dslab(['up', '--name', LAB, '--json'], { timeoutMs: 30_000 });
  assert.equal(upped.code, 0, `dslab up failed: ${upped.stderr}`);
  const inodes = labNetnsInodes(LAB);
  const createdAt = readState(LAB)?.createdAt;
  assert.ok(createdAt, 'dslab up wrote the state');

  const r = await dslab(['run', LAB, '--json', '--no-report'], { timeoutMs: 50_000 });
  assert.equal(r.code, 0, `dslab run failed (exit ${r.code}): ${r.stderr}\n${r.stdout.slice(0, 3000)}`);
  const report = JSON.parse(r.stdout) as RunReport;
  assert.equal(report.lab, LAB);
  assert.equal(report.broughtUp, false);
  assert.equal(report.kept, false);
  assert.equal(report.timings.upMs, 0);
  assert.equal(report.timings.downMs, 0);
  assert.equal(report.summary.ok, true);
  const labUp = report.checks.find((c) => c.id === 'env.lab-up');
  assert.match(labUp?.observed ?? '', /already up/);

  // still up, and the very same lab (not a new one with the same name)
  assert.equal(status(LAB).health, 'up');
  assert.equal(readState(LAB)?.createdAt, createdAt);
  assert.deepEqual(labNetnsInodes(LAB), inodes);

  const downed = await dslab(['down', '--lab', LAB], { timeoutMs: 30_000 });
  assert.equal(downed.code, 0, downed.stderr);
  assertLabGone(LAB, inodes);
});
