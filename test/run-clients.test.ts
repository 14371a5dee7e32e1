/**
 * `dslab run --clients`: the experiment "how real clients fall back" runs in the lab the run
 * brought up, with real faults and real captures, and lands in every report (the JSON, the
 * Markdown with its grid picture and the article's client table, the JUnit); the lab and its
 * faults are gone afterwards. Bad --clients/--scenarios are refused before anything is up.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunReport } from '../src/experiments/types.js';
import { labStateDir } from '../src/backends/netns/state.js';
import { down } from '../src/backends/netns/down.js';
import { descendants, parseXml } from './helpers/xml-wellformed.js';
import { assertLabGone, dslab } from './helpers/netns-lab.js';
import { faultSkipReason } from './helpers/fault-lab.js';

const LAB = 'fc1';

test('dslab run --clients curl,node-net --scenarios v6-reset,unassigned-aaaa', { skip: faultSkipReason(['tcpdump', 'tshark', 'curl']), timeout: 120_000 }, async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'dslab-run-clients-'));
  t.after(async () => {
    rmSync(out, { recursive: true, force: true });
    await down(LAB);
  });
  const r = await dslab(['run', '--json', '--name', LAB, '--out', out, '--clients', 'curl,node-net', '--scenarios', 'v6-reset,unassigned-aaaa'], { timeoutMs: 100_000 });
  assert.equal(r.code, 0, `dslab run failed (exit ${r.code}): ${r.stderr}\n${r.stdout.slice(0, 3000)}`);
  const report = JSON.parse(r.stdout) as RunReport;
  const c = report.clients;
  assert.ok(c, 'the report has the clients experiment');
  assert.deepEqual(c.matrix.scenarios.map((s) => s.name), ['v6-reset', 'unassigned-aaaa']);
  assert.deepEqual(c.matrix.clients.map((x) => x.id), ['curl', 'node-net']);
  assert.equal(c.matrix.cells.length, 4);
  const cell = (client: string, scenario: string) => c.matrix.cells.find((x) => x.client === client && x.scenario === scenario)!;
  // a reset makes both move on at once; the unassigned AAAA costs a Happy Eyeballs client its delay
  for (const client of ['curl', 'node-net']) {
    assert.equal(cell(client, 'v6-reset').family, 4, `${client} in v6-reset: ${cell(client, 'v6-reset').summary}`);
    assert.equal(cell(client, 'v6-reset').fallback, 'error');
    const u = cell(client, 'unassigned-aaaa');
    assert.equal(u.family, 4, `${client} in unassigned-aaaa: ${u.summary}`);
    assert.equal(u.fallback, 'timer');
    assert.ok(u.attemptDelayMs! >= 150 && u.attemptDelayMs! < 1000, `${client}'s attempt delay ${u.attemptDelayMs} ms`);
  }
  // the article's table, against the measurement
  const curlRow = c.article.find((a) => a.client === 'curl')!;
  assert.match(curlRow.claim, /RFC 8305/);
  assert.match(curlRow.measured.join(' '), /races on a timer: Connection Attempt Delay \d+ ms/);
  assert.match(c.article.find((a) => a.client === 'Python requests')!.measured.join(' '), /not measured in this run/);
  assert.equal(c.command, `dslab measure --lab ${LAB} --matrix --clients curl,node-net --scenarios v6-reset,unassigned-aaaa`);
  // the article's checks still ran and passed
  assert.equal(report.summary.ok, true);

  const files = report.files!;
  assert.ok(files.clients && existsSync(files.clients), 'the grid picture was written');
  assert.match(readFileSync(files.clients, 'utf8'), /^<svg [^>]*>[\s\S]*How real clients fall back[\s\S]*<\/svg>\n$/);
  const md = readFileSync(files.markdown, 'utf8');
  assert.match(md, /### Experiment 4: how real clients fall back/);
  assert.match(md, /\| curl \| v4 \d+ ms \(on error\) \| v4 \d+ ms \(delay \d+\) \|/);
  assert.ok(md.includes(`![How real clients fall back](${LAB}-clients.svg)`));
  assert.match(md, /The article's client table, against what was measured here/);
  const junit = parseXml(readFileSync(files.junit, 'utf8'));
  const suite = descendants(junit, 'testsuite').find((s) => s.attributes['name'] === 'Experiment 4: how real clients fall back');
  assert.ok(suite, 'the JUnit has the clients testsuite');
  assert.equal(descendants(suite, 'testcase').length, 4);
  assert.equal(descendants(suite, 'failure').length, 0);
  assert.ok(descendants(suite, 'property').some((p) => p.attributes['name'] === 'attemptDelayMs' && Number(p.attributes['value']) > 0));

  assertLabGone(LAB);
});

for (const [args, code, field] of [
  [['--clients', 'curl,nosuch'], 'DSLAB_E_BAD_OPTION', '--clients'],
  [['--scenarios', 'v6-nosuch'], 'DSLAB_E_SCENARIO_UNKNOWN', '--scenarios'],
  [['--clients', '--backend', 'docker'], 'DSLAB_E_FAULT_UNSUPPORTED', '--clients'],
] as const) {
  test(`dslab run ${args.join(' ')} is ${code} and brings nothing up`, async () => {
    const r = await dslab(['run', '--json', '--name', 'fc2', '--no-report', ...args], { timeoutMs: 20_000 });
    assert.notEqual(r.code, 0);
    const e = (JSON.parse(r.stdout) as { error: { code: string; field?: string; hint?: string } }).error;
    assert.equal(e.code, code);
    assert.equal(e.field, field);
    assert.ok(e.hint);
    assert.equal(existsSync(labStateDir('fc2')), false, 'no lab was brought up');
  });
}
