/**
 * `dslab exec client -- dslab run --here`, as the README and docs/docker.md show it: inside a
 * node of a namespace lab, exec names the lab (DSLAB_LAB_NAME) and the run measures that lab
 * as it is up, under its own name; it does not mistake the lab's name for a lab file.
 */
import assert from 'node:assert/strict';
import process from 'node:process';
import { test } from 'node:test';
import { down } from '../src/backends/netns/down.js';
import type { RunReport } from '../src/experiments/types.js';
import { assertLabGone, cliPath, dslab, labNetnsInodes, netnsSkipReason } from './helpers/netns-lab.js';

const LAB = 'fa';

test('dslab exec client -- dslab run --here runs the lab exec entered, under its name', { skip: netnsSkipReason(['curl', 'dig']), timeout: 90_000 }, async (t) => {
  await down(LAB);
  t.after(() => down(LAB));
  const upped = await dslab(['up', '--name', LAB, '--json'], { timeoutMs: 30_000 });
  assert.equal(upped.code, 0, upped.stderr + upped.stdout);
  const inodes = labNetnsInodes(LAB);

  const env = { ...process.env };
  delete env['DSLAB_LAB'];
  delete env['DSLAB_LAB_NAME'];
  delete env['DSLAB_RUN_HERE'];
  const r = await dslab(['exec', '--lab', LAB, 'client', '--', process.execPath, cliPath(), 'run', '--here', '--json', '--no-report'], { timeoutMs: 60_000, env });
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}\n${r.stdout.slice(0, 3000)}`);
  const report = JSON.parse(r.stdout) as RunReport;
  assert.equal(report.lab, LAB);
  assert.equal(report.broughtUp, false);
  assert.match(report.environment.backend, /^here \(/);
  assert.deepEqual(report.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.observed}`), []);
  assert.equal(report.summary.ok, true);

  await down(LAB);
  assertLabGone(LAB, inodes);
});
