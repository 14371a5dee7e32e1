// `dslab run --here`: the experiments run in the current network namespace against a lab that
// is already there. Refused (and nothing sent) where this namespace is not the lab's client,
// as on the machine itself; inside a namespace lab's client node, a plain `dslab run` with
// DSLAB_RUN_HERE=1 (what dslab's client image sets) passes every check and writes its reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { runInNode } from '../src/backends/netns/exec.js';
import { checkHere, runHereRequested } from '../src/experiments/run-here.js';
import { buildPlan } from '../src/experiments/plan.js';
import type { RunReport } from '../src/experiments/types.js';
import { defaultLabPath, loadLab } from '../src/lab/load.js';
import { isDslabError } from '../src/errors.js';
import { cliPath, dslab, netnsSkipReason, withLab } from './helpers/netns-lab.js';

interface JsonError {
  error: { code: string; field?: string; value?: unknown; hint?: string };
}

test('DSLAB_RUN_HERE asks for --here unless it is empty, 0, no or false', () => {
  assert.equal(runHereRequested({ DSLAB_RUN_HERE: '1' }), true);
  assert.equal(runHereRequested({ DSLAB_RUN_HERE: 'yes' }), true);
  for (const v of ['', '0', 'no', 'false', 'FALSE']) assert.equal(runHereRequested({ DSLAB_RUN_HERE: v }), false, v);
  assert.equal(runHereRequested({}), false);
});

test('checkHere accepts a namespace holding a client address (any spelling) and refuses one without', async () => {
  const plan = buildPlan(await loadLab());
  assert.doesNotThrow(() => checkHere(plan, new Set(['127.0.0.1', 'fd00:dead:beef::20'])));
  assert.doesNotThrow(() => checkHere(plan, new Set(['172.30.0.20'])));
  assert.throws(
    () => checkHere(plan, new Set(['127.0.0.1', '::1', '172.30.0.10'])),
    (err: unknown) => isDslabError(err, 'DSLAB_E_NOT_IN_NODE') && err.field === '--here' && /172\.30\.0\.20/.test(err.message),
  );
});

test('on the machine itself, dslab run --here is refused and sends nothing', async () => {
  const r = await dslab(['run', '--here', '--json', '--no-report'], { timeoutMs: 20_000 });
  assert.equal(r.code, 1);
  const e = (JSON.parse(r.stdout) as JsonError).error;
  assert.equal(e.code, 'DSLAB_E_NOT_IN_NODE');
  assert.equal(e.field, '--here');
  assert.deepEqual(e.value, ['172.30.0.20', 'fd00:dead:beef::20']);
  assert.match(e.hint ?? '', /dslab exec client -- dslab run --here|docker exec/);
});

test('DSLAB_RUN_HERE=1 makes a plain dslab run a --here run (refused on the machine itself)', async () => {
  const r = await dslab(['run', '--json', '--no-report'], { timeoutMs: 20_000, env: { ...process.env, DSLAB_RUN_HERE: '1' } });
  assert.equal(r.code, 1);
  assert.equal((JSON.parse(r.stdout) as JsonError).error.code, 'DSLAB_E_NOT_IN_NODE');
});

test('--here with --backend docker is a usage error', async () => {
  const r = await dslab(['run', '--here', '--backend', 'docker', '--json', '--no-report'], { timeoutMs: 20_000 });
  assert.equal(r.code, 2, 'usage errors exit 2');
  const e = (JSON.parse(r.stdout) as JsonError).error;
  assert.equal(e.code, 'DSLAB_E_USAGE');
  assert.equal(e.field, '--here');
});

test('inside the client node, a plain dslab run with DSLAB_RUN_HERE=1 (and the lab named by DSLAB_LAB, DSLAB_LAB_NAME) passes every check and writes the reports there', { skip: netnsSkipReason(['curl', 'dig']) }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'dslab-dk4-here-'));
  try {
    await withLab('dk4', undefined, async () => {
      // an attempt on the broken AAAA address just before: its neighbour resolution (~3 s) is
      // still running when the run starts, which must not cut the sequential client's 2 s timeout short
      await runInNode('dk4', 'client', ['curl', '-sS', '--connect-timeout', '0.3', '-g', 'http://[fd00:dead:beef::9999]/'], { allowFailure: true, timeoutMs: 10_000 });
      // ...far enough into it that less than the 2 s timeout of it is left
      await new Promise((resolve) => setTimeout(resolve, 1200));
      const r = await runInNode('dk4', 'client', ['env', 'DSLAB_RUN_HERE=1', `DSLAB_LAB=${defaultLabPath()}`, 'DSLAB_LAB_NAME=dk4', process.execPath, cliPath(), 'run', '--json', '--out', out], {
        allowFailure: true,
        timeoutMs: 120_000,
      });
      assert.equal(r.code, 0, r.stderr + r.stdout.slice(0, 2000));
      const report = JSON.parse(r.stdout) as RunReport;
      assert.equal(report.lab, 'dk4');
      assert.equal(report.broughtUp, false);
      assert.match(report.environment.backend, /^here \(/);
      assert.ok(report.checks.length >= 10, `only ${report.checks.length} checks ran`);
      assert.deepEqual(report.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.observed}`), []);
      assert.equal(report.summary.ok, true);
      // experiment 3 really ran: curl fell back to the IPv4 address of dual-badv6.local
      assert.ok(report.checks.some((c) => c.section === 'fallback' && c.status === 'pass'));
      assert.ok(report.files && existsSync(report.files.markdown) && existsSync(report.files.junit));
      assert.equal((JSON.parse(readFileSync(report.files.json, 'utf8')) as RunReport).summary.ok, true);
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('DSLAB_LAB_NAME that is not a lab name is refused naming the variable', async () => {
  const r = await dslab(['run', '--json', '--no-report'], { timeoutMs: 20_000, env: { ...process.env, DSLAB_RUN_HERE: '1', DSLAB_LAB: defaultLabPath(), DSLAB_LAB_NAME: 'Dk-4' } });
  assert.equal(r.code, 1);
  const e = (JSON.parse(r.stdout) as JsonError).error;
  assert.equal(e.code, 'DSLAB_E_LAB_NAME');
  assert.equal(e.field, 'DSLAB_LAB_NAME');
  assert.equal(e.value, 'Dk-4');
});
