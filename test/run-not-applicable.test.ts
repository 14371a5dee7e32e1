/**
 * Checks a lab does not offer are reported as not applicable, and do not fail the run:
 * a lab with a dual-stack name but no "broken IPv6" name has no fallback experiment.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunReport } from '../src/experiments/types.js';
import { assertLabGone, dslab, netnsSkipReason } from './helpers/netns-lab.js';
import { down } from '../src/backends/netns/down.js';

const LAB = 'ex3';

const LAB_FILE = `
name: nofallback
networks:
  - name: n1
    ipv4: 10.92.0.0/24
    ipv6: "fd92::/64"
nodes:
  - name: web
    role: web
    web: { server: builtin, port: 80 }
    addresses:
      n1: { ipv4: 10.92.0.10, ipv6: "fd92::10" }
  - name: dns
    role: dns
    addresses:
      n1: { ipv4: 10.92.0.53, ipv6: "fd92::53" }
  - name: client
    role: client
    addresses:
      n1: { ipv4: 10.92.0.20, ipv6: "fd92::20" }
records:
  - name: both.lab.test
    a: 10.92.0.10
    aaaa: "fd92::10"
`;

test('dslab run reports the fallback checks as not applicable on a lab without a broken name', { skip: netnsSkipReason(), timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dslab-run-na-'));
  t.after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await down(LAB);
  });
  const file = join(dir, 'nofallback.yaml');
  writeFileSync(file, LAB_FILE);
  const r = await dslab(['run', file, '--json', '--name', LAB, '--out', dir], { timeoutMs: 50_000 });
  assert.equal(r.code, 0, `dslab run failed (exit ${r.code}): ${r.stderr}\n${r.stdout.slice(0, 3000)}`);
  const report = JSON.parse(r.stdout) as RunReport;
  assert.equal(report.plan.broken, undefined);
  const na = report.checks.filter((c) => c.status === 'n/a').map((c) => c.id).sort();
  assert.deepEqual(na, [
    'dns.broken.a.dig',
    'dns.broken.a.dslab',
    'dns.broken.aaaa.dig',
    'dns.broken.aaaa.dslab',
    'fallback.broken.curl',
    'fallback.broken.happy',
    'fallback.broken.sequential',
  ]);
  for (const c of report.checks.filter((x) => x.status === 'n/a')) assert.match(c.reason ?? '', /no name whose A points at web/);
  assert.equal(report.summary.notApplicable, 7);
  assert.equal(report.summary.ok, true);
  // no 2 s sequential timeout to wait for: the run is short
  assert.ok(report.timings.experimentsMs < 2000, `experiments took ${report.timings.experimentsMs} ms`);
  assertLabGone(LAB);
});
