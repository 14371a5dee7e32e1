/**
 * `dslab run` end to end, as CI runs it: the compiled CLI with --json on the default lab
 * (under this test's own name). Every check passes; dual-ok goes over IPv6, dual-badv6 over
 * IPv4; Happy Eyeballs falls back no earlier than its delay and well before the sequential
 * client, which waits out its 2 s timeout; the three reports exist and the JUnit parses.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CheckResult, RunReport } from '../src/experiments/types.js';
import { descendants, parseXml } from './helpers/xml-wellformed.js';
import { assertLabGone, dslab, netnsSkipReason } from './helpers/netns-lab.js';
import { down } from '../src/backends/netns/down.js';

const LAB = 'ex1';

function check(report: RunReport, id: string): CheckResult {
  const c = report.checks.find((x) => x.id === id);
  assert.ok(c, `check ${id} is in the report`);
  return c;
}

function connectOf(c: CheckResult): { winner: { address: string; family: number } | null; attempts: Array<{ family: number; startMs: number }> } {
  return c.data?.connect as never;
}

test('dslab run --json on the default lab: every check passes and the races behave', { skip: netnsSkipReason(), timeout: 60_000 }, async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'dslab-run-e2e-'));
  t.after(async () => {
    rmSync(out, { recursive: true, force: true });
    await down(LAB);
  });
  const r = await dslab(['run', '--json', '--name', LAB, '--out', out], { timeoutMs: 50_000 });
  assert.equal(r.code, 0, `dslab run failed (exit ${r.code}): ${r.stderr}\n${r.stdout.slice(0, 4000)}`);
  const report = JSON.parse(r.stdout) as RunReport;

  assert.equal(report.lab, LAB);
  assert.equal(report.broughtUp, true);
  const notPassed = report.checks.filter((c) => c.status !== 'pass');
  // a skip is allowed only for a missing tool, and says so
  for (const c of notPassed) assert.equal(c.status, 'skip', `${c.id} ${c.status}: ${c.reason ?? ''} (observed: ${c.observed})`);
  for (const c of notPassed) assert.match(c.reason ?? '', /not installed/);
  // ... and only when that tool really is missing here (CI has them all: nothing may be skipped there)
  for (const c of notPassed) {
    const tool = /^(\S+) is not installed/.exec(c.reason ?? '')?.[1] ?? '';
    assert.notEqual(netnsSkipReason([tool]), undefined, `${c.id} was skipped as if ${tool} were missing, but it is installed: ${c.reason}`);
  }
  assert.equal(report.summary.ok, true);
  assert.equal(report.summary.fail, 0);
  assert.ok(report.checks.length >= 20, `only ${report.checks.length} checks`);
  for (const c of report.checks) {
    assert.ok(c.commands.length > 0 && c.commands.every((x) => x.length > 0), `${c.id} names the command to type`);
    assert.ok(c.durationMs >= 0 && c.expectation && c.observed, `${c.id} has expectation, observation and time`);
  }

  // every Output block says who printed it; a command's block is that command's own output
  for (const c of report.checks.filter((x) => x.output)) {
    const src = c.outputSource;
    assert.ok(src, `${c.id}'s output says where it comes from`);
    if (src.kind === 'command') {
      if (c.tool !== 'dslab') assert.ok(src.command.startsWith(`${c.tool} `), `${c.id} (${c.tool}) shows the output of ${src.command}`);
      if (c.tool === 'curl') assert.match(c.output!, /^\S* ?[*<>] /m, `${c.id}'s output is curl's own -v trace`);
    } else {
      assert.ok(src.what.length > 10, `${c.id} says what dslab rendered`);
    }
  }
  assert.ok(!report.checks.some((c) => c.commands.some((x) => x.includes('ds_client.py'))), 'no check claims to have run ds_client.py');
  const md0 = readFileSync(report.files!.markdown, 'utf8');
  assert.ok(!/^Output:$/m.test(md0), 'no unlabelled Output block');

  // dual-ok.local over IPv6, dual-badv6.local over IPv4 (dslab's own client; curl when installed)
  assert.equal(report.plan.ok?.name, 'dual-ok.local');
  assert.equal(report.plan.broken?.name, 'dual-badv6.local');
  assert.equal(connectOf(check(report, 'dns.ok.name.dslab')).winner?.address, 'fd00:dead:beef::10');
  const happy = check(report, 'fallback.broken.happy');
  const seq = check(report, 'fallback.broken.sequential');
  assert.equal(connectOf(happy).winner?.address, '172.30.0.10');
  assert.equal(connectOf(seq).winner?.address, '172.30.0.10');
  const curlName = check(report, 'dns.ok.name.curl');
  if (curlName.status === 'pass') assert.equal(curlName.data?.remoteIp, 'fd00:dead:beef::10');
  const curlFb = check(report, 'fallback.broken.curl');
  if (curlFb.status === 'pass') assert.equal(curlFb.data?.remoteIp, '172.30.0.10');

  // timings: behaviour with generous bounds, not a benchmark
  const heMs = happy.data?.fallbackMs as number;
  const seqMs = seq.data?.fallbackMs as number;
  assert.ok(heMs >= report.plan.happyDelayMs - 2, `Happy Eyeballs started IPv4 at ${heMs} ms, before its ${report.plan.happyDelayMs} ms delay`);
  assert.ok(heMs < 1000, `Happy Eyeballs fell back only at ${heMs} ms`);
  assert.ok(seqMs >= report.plan.sequentialTimeoutMs - 2, `the sequential client fell back at ${seqMs} ms, before its 2 s timeout`);
  assert.ok(heMs < seqMs - 1000, `Happy Eyeballs (${heMs} ms) is not well before the sequential client (${seqMs} ms)`);
  assert.equal(connectOf(seq).attempts[0]?.family, 6);

  // the reports
  const files = report.files!;
  for (const f of [files.markdown, files.json, files.junit]) assert.ok(existsSync(f), `${f} was written`);
  assert.ok(files.markdown.startsWith(out));
  const md = readFileSync(files.markdown, 'utf8');
  for (const heading of ['## Environment', '## Topology', '## DNS records', '## Summary', '## Findings']) assert.ok(md.includes(heading), `report has ${heading}`);
  assert.deepEqual((JSON.parse(readFileSync(files.json, 'utf8')) as RunReport).summary, report.summary);
  const junit = parseXml(readFileSync(files.junit, 'utf8'));
  assert.equal(junit.name, 'testsuites');
  assert.equal(descendants(junit, 'testcase').length, report.checks.length);
  assert.equal(descendants(junit, 'failure').length, 0);

  // the lab this run brought up is gone
  assertLabGone(LAB);
});
