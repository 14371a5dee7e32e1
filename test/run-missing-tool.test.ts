/**
 * A check whose tool is missing is skipped with its reason and does not fail the run. curl is
 * made really missing, not mocked (test/helpers/hide-tool.ts: /dev/null bind-mounted over the
 * binary in a private mount namespace; the machine's own curl is untouched).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { down } from '../src/backends/netns/down.js';
import type { RunReport } from '../src/experiments/types.js';
import { findTool } from '../src/experiments/node/tools.js';
import { dslabWithoutTool, hideToolSkipReason } from './helpers/hide-tool.js';
import { assertLabGone, netnsSkipReason } from './helpers/netns-lab.js';

const LAB = 'rv4b';

function skipReason(): string | undefined {
  return netnsSkipReason() ?? hideToolSkipReason('curl');
}


test('with curl missing, its checks are skipped with the reason and the run still passes', { skip: skipReason(), timeout: 60_000 }, async (t) => {
  await down(LAB);
  t.after(() => down(LAB));
  const r = await dslabWithoutTool('curl', ['run', '--json', '--name', LAB, '--no-report'], { timeoutMs: 50_000 });

  assert.equal(r.code, 0, `dslab run failed (exit ${r.code}): ${r.stderr}\n${r.stdout.slice(0, 3000)}`);
  const report = JSON.parse(r.stdout) as RunReport;
  const curlChecks = report.checks.filter((c) => c.tool === 'curl');
  assert.ok(curlChecks.length >= 5, `only ${curlChecks.length} curl checks`);
  for (const c of curlChecks) {
    assert.equal(c.status, 'skip', `${c.id} is ${c.status}`);
    assert.match(c.reason ?? '', /curl is not installed; install it \(apt-get install curl\)/);
  }
  assert.equal(report.summary.skip, curlChecks.length);
  assert.equal(report.summary.fail, 0);
  assert.equal(report.summary.ok, true);
  assert.equal(report.environment.tools.curl, null);
  // dslab's own client still measured the fallback
  assert.equal(report.checks.find((c) => c.id === 'fallback.broken.happy')?.status, 'pass');
  assert.ok(report.findings.some((f) => f.startsWith('Skipped (not failures): ') && f.includes('fallback.broken.curl')));
  // the machine's curl is still there
  assert.ok(findTool('curl'));
  assertLabGone(LAB);
});
