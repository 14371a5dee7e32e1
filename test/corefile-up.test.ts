// `dslab up --corefile FILE` on the namespace backend: the lab's DNS server answers the
// Corefile's records (dig inside the client), `forward` is reported as not followed, and a
// Corefile outside the subset stops `up` naming the line before anything is created.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertLabGone, dslab, labLeftovers, netnsSkipReason } from './helpers/netns-lab.js';

const LAB = 'dk5';

const COREFILE = `. {
  log
  errors
  hosts {
    172.30.0.10 dual-ok.local www.lab.test
    fd00:dead:beef::10 dual-ok.local www.lab.test
    172.30.0.10 dual-badv6.local
    fd00:dead:beef::9999 dual-badv6.local
    ttl 60
    fallthrough
  }
  forward . 1.1.1.1
}
`;

test('dslab up --corefile serves the Corefile\'s records in the lab', { skip: netnsSkipReason(['dig']) }, async (t) => {
  assert.deepEqual(labLeftovers(LAB), [], `lab ${LAB} must not exist before the test`);
  const dir = mkdtempSync(join(tmpdir(), 'dslab-dk5-corefile-'));
  const file = join(dir, 'Corefile');
  writeFileSync(file, COREFILE);
  t.after(async () => {
    await dslab(['down', '--lab', LAB], { allowFailure: true, timeoutMs: 60_000 });
    rmSync(dir, { recursive: true, force: true });
    assertLabGone(LAB);
  });
  const up = await dslab(['up', '--name', LAB, '--corefile', file], { allowFailure: true, timeoutMs: 60_000 });
  assert.equal(up.code, 0, up.stdout + up.stderr);
  assert.ok(up.stderr.includes(`${file}:12: "forward . 1.1.1.1" is not followed`), up.stderr);
  const dig = async (name: string, type: string) =>
    (await dslab(['exec', '--lab', LAB, 'client', '--', 'dig', '+noall', '+answer', '+time=2', '+tries=1', name, type], { timeoutMs: 20_000 })).stdout.trim().split(/\s+/);
  // a name only the Corefile has, with the Corefile's ttl
  assert.deepEqual(await dig('www.lab.test', 'AAAA'), ['www.lab.test.', '60', 'IN', 'AAAA', 'fd00:dead:beef::10']);
  assert.deepEqual(await dig('dual-badv6.local', 'AAAA'), ['dual-badv6.local.', '60', 'IN', 'AAAA', 'fd00:dead:beef::9999']);
  // `dslab run` measures the lab as it is up
  const run = await dslab(['run', '--lab', LAB, '--json', '--no-report'], { allowFailure: true, timeoutMs: 120_000 });
  const report = JSON.parse(run.stdout) as { summary: { ok: boolean }; checks: { id: string; status: string }[] };
  assert.equal(run.code, 0, run.stderr);
  assert.equal(report.summary.ok, true);
  const down = await dslab(['down', '--lab', LAB], { timeoutMs: 60_000 });
  assert.equal(down.code, 0);
  assertLabGone(LAB);
});

test('dslab up --corefile with a directive outside the subset stops naming the line; nothing is created', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dslab-dk5-corefile-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'Corefile');
  writeFileSync(file, '. {\n  hosts {\n    172.30.0.10 dual-ok.local\n  }\n  cache 30\n}\n');
  for (const backend of ['netns', 'docker']) {
    // DOCKER_HOST points nowhere: the Corefile is refused before any engine is asked
    const r = await dslab(['up', '--name', LAB, '--backend', backend, '--corefile', file, '--json'], {
      allowFailure: true,
      timeoutMs: 30_000,
      env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/dslab-dk5.sock' },
    });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const e = (JSON.parse(r.stdout) as { error: { code: string; field: string; value: string } }).error;
    assert.equal(e.code, 'DSLAB_E_COREFILE');
    assert.equal(e.field, `${file}:5`);
    assert.equal(e.value, 'cache 30');
    assert.deepEqual(labLeftovers(LAB), []);
  }
  const missing = await dslab(['up', '--name', LAB, '--corefile', join(dir, 'nonexistent'), '--json'], { allowFailure: true, timeoutMs: 30_000 });
  assert.equal(missing.code, 1);
  assert.equal((JSON.parse(missing.stdout) as { error: { code: string; field: string } }).error.field, 'corefile');
  assert.deepEqual(labLeftovers(LAB), []);
});
