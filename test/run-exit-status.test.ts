/**
 * A run with a failed check exits non-zero and says which checks failed, in the JSON, the
 * Markdown and the JUnit reports. The failure is real: IPv6 is switched off on the client's
 * interface (inside the client node only) of a lab brought up for the test.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { down } from '../src/backends/netns/down.js';
import { runInNode, status } from '../src/backends/netns/index.js';
import type { RunReport } from '../src/experiments/types.js';
import { assertLabGone, dslab, labNetnsInodes, netnsSkipReason } from './helpers/netns-lab.js';
import { descendants, parseXml } from './helpers/xml-wellformed.js';

const LAB = 'ey2';

test('a failed check makes dslab run exit 1 and is named in every report', { skip: netnsSkipReason(['sysctl']), timeout: 60_000 }, async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'dslab-run-exit-'));
  await down(LAB);
  t.after(async () => {
    rmSync(out, { recursive: true, force: true });
    await down(LAB);
  });
  const upped = await dslab(['up', '--name', LAB], { timeoutMs: 30_000 });
  assert.equal(upped.code, 0, upped.stderr);
  const inodes = labNetnsInodes(LAB);
  await runInNode(LAB, 'client', ['sysctl', '-q', '-w', 'net.ipv6.conf.eth0.disable_ipv6=1']);

  const r = await dslab(['run', LAB, '--json', '--out', out], { timeoutMs: 50_000 });
  assert.equal(r.code, 1, `expected exit 1, got ${r.code}: ${r.stderr}`);
  const report = JSON.parse(r.stdout) as RunReport;
  assert.equal(report.summary.ok, false);
  const failed = report.checks.filter((c) => c.status === 'fail');
  assert.equal(report.summary.fail, failed.length);
  const ids = failed.map((c) => c.id);
  for (const id of ['env.ipv6-enabled', 'env.client-addresses', 'conn.http6.dslab']) assert.ok(ids.includes(id), `${id} failed (failed: ${ids.join(', ')})`);
  for (const c of failed) assert.ok(c.reason && c.reason.length > 0, `${c.id} says why it failed`);
  // IPv4 is untouched: its checks still pass
  assert.equal(report.checks.find((c) => c.id === 'conn.http4.dslab')?.status, 'pass');

  const md = readFileSync(report.files!.markdown, 'utf8');
  assert.match(md, /Result: \*\*FAIL\*\*/);
  assert.ok(md.includes('#### FAIL: IPv6 enabled on client'), 'the failed check has its section');
  const junit = parseXml(readFileSync(report.files!.junit, 'utf8'));
  assert.equal(descendants(junit, 'failure').length, failed.length);
  assert.ok(report.findings[0]?.includes(`${failed.length} check(s) failed`));

  // it was already up: still up after the run
  assert.notEqual(status(LAB).health, 'missing');
  await down(LAB);
  assertLabGone(LAB, inodes);
});
