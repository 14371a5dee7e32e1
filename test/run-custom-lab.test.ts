/**
 * `dslab run` follows the lab, not hard-coded names: on a lab file with other subnets and
 * other names it finds the "ok" and "broken IPv6" names itself and every check passes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunReport } from '../src/experiments/types.js';
import { assertLabGone, dslab, netnsSkipReason } from './helpers/netns-lab.js';
import { down } from '../src/backends/netns/down.js';

const LAB = 'ex2';

const LAB_FILE = `
name: custom
networks:
  - name: labnet
    ipv4: 10.91.4.0/24
    ipv6: "fd91:4::/64"
nodes:
  - name: www
    role: web
    web: { server: builtin, port: 8080 }
    addresses:
      labnet: { ipv4: 10.91.4.80, ipv6: "fd91:4::80" }
  - name: ns1
    role: dns
    addresses:
      labnet: { ipv4: 10.91.4.53, ipv6: "fd91:4::53" }
  - name: pc
    role: client
    addresses:
      labnet: { ipv4: 10.91.4.100, ipv6: "fd91:4::100" }
records:
  - name: site.example.test
    a: 10.91.4.80
    aaaa: "fd91:4::80"
  - name: brokensix.example.test
    a: 10.91.4.80
    aaaa: "fd91:4::dead"
`;

test('dslab run on a custom lab file finds its names and passes', { skip: netnsSkipReason(), timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dslab-run-custom-'));
  t.after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await down(LAB);
  });
  const file = join(dir, 'custom.yaml');
  writeFileSync(file, LAB_FILE);
  const r = await dslab(['run', file, '--json', '--name', LAB, '--no-report'], { timeoutMs: 50_000 });
  assert.equal(r.code, 0, `dslab run failed (exit ${r.code}): ${r.stderr}\n${r.stdout.slice(0, 4000)}`);
  const report = JSON.parse(r.stdout) as RunReport;
  assert.equal(report.lab, LAB);
  assert.equal(report.files, undefined, '--no-report writes nothing');
  assert.deepEqual(report.plan.ok, { name: 'site.example.test', ipv4: '10.91.4.80', ipv6: 'fd91:4::80' });
  assert.deepEqual(report.plan.broken, { name: 'brokensix.example.test', ipv4: '10.91.4.80', ipv6: 'fd91:4::dead' });
  assert.equal(report.plan.client.name, 'pc');
  assert.equal(report.plan.web.port, 8080);
  for (const c of report.checks) assert.ok(c.status === 'pass' || c.status === 'skip', `${c.id} ${c.status}: ${c.reason ?? ''} (${c.observed})`);
  const happy = report.checks.find((c) => c.id === 'fallback.broken.happy');
  assert.equal((happy?.data?.connect as { winner: { address: string } }).winner.address, '10.91.4.80');
  const byName = report.checks.find((c) => c.id === 'dns.ok.name.dslab');
  assert.equal((byName?.data?.connect as { winner: { address: string } }).winner.address, 'fd91:4::80');
  assertLabGone(LAB);
});
