/**
 * The JUnit report is well-formed XML whatever the checks printed (markup, quotes, control
 * characters), with one testcase per check, failures and skips where they belong.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildPlan } from '../src/experiments/plan.js';
import { summarize } from '../src/experiments/report-parts.js';
import type { CheckResult, RunReport } from '../src/experiments/types.js';
import { parseLab } from '../src/lab/load.js';
import { renderJunit } from '../src/reports/junit.js';
import { renderMarkdown } from '../src/reports/markdown.js';
import { descendants, parseXml } from './helpers/xml-wellformed.js';

const LAB = `
name: junit
networks: [{ name: n, ipv4: 10.94.0.0/24, ipv6: "fd94::/64" }]
nodes:
  - { name: web, role: web, web: { server: builtin, port: 80 }, addresses: { n: { ipv4: 10.94.0.10, ipv6: "fd94::10" } } }
  - { name: dns, role: dns, addresses: { n: { ipv4: 10.94.0.53, ipv6: "fd94::53" } } }
  - { name: client, role: client, addresses: { n: { ipv4: 10.94.0.20, ipv6: "fd94::20" } } }
records: [{ name: ok.j.test, a: 10.94.0.10, aaaa: "fd94::10" }]
`;

function check(id: string, status: CheckResult['status'], observed: string, section: CheckResult['section'] = 'dns'): CheckResult {
  return {
    id,
    section,
    title: `title of ${id} <b>&</b>`,
    tool: 'dslab',
    expectation: 'x "quoted" & <tagged>',
    observed,
    status,
    ...(status === 'pass' ? {} : { reason: `reason ${status} 'with' <markup> & \u0001control` }),
    startMs: 0,
    durationMs: 12.5,
    commands: ['curl -v http://[fd94::10]/ && echo "<ok>"'],
    output: '< HTTP/1.1 200 OK\n]]> & \u0007 bell',
  };
}

function report(checks: CheckResult[]): RunReport {
  const topology = parseLab(LAB, 'junit.yaml');
  return {
    schema: 'dslab.run/1',
    lab: 'junit',
    source: 'junit.yaml',
    broughtUp: true,
    kept: false,
    environment: { date: new Date(0).toISOString(), kernel: 'Linux test', node: process.version, backend: 'netns (root)', hostname: 'h<&>', tools: { curl: null } },
    topology: { networks: [{ name: 'n', ipv4: '10.94.0.0/24', ipv6: 'fd94::/64' }], nodes: [], records: [] },
    plan: buildPlan(topology),
    checks,
    summary: summarize(checks),
    findings: ['a finding with | pipe'],
    timings: { upMs: 1, experimentsMs: 2, downMs: 3, wallMs: 6 },
  };
}

test('JUnit XML parses and counts testcases, failures and skips', () => {
  const checks = [check('a.pass', 'pass', 'fine <ok>'), check('b.fail', 'fail', 'bad & worse', 'fallback'), check('c.skip', 'skip', 'not run'), check('d.na', 'n/a', 'not applicable', 'environment')];
  const xml = parseXml(renderJunit(report(checks)));
  assert.equal(xml.name, 'testsuites');
  assert.equal(xml.attributes.tests, '4');
  assert.equal(xml.attributes.failures, '1');
  assert.equal(xml.attributes.skipped, '2');
  const cases = descendants(xml, 'testcase');
  assert.equal(cases.length, 4);
  assert.deepEqual(cases.map((c) => c.attributes.name?.split(':')[0]).sort(), ['a.pass', 'b.fail', 'c.skip', 'd.na']);
  const failures = descendants(xml, 'failure');
  assert.equal(failures.length, 1);
  assert.equal(failures[0]!.attributes.message, "reason fail 'with' <markup> & control");
  assert.equal(descendants(xml, 'skipped').length, 2);
  // the text survives the round trip (less the control characters XML cannot carry)
  assert.ok(descendants(xml, 'system-out')[0]!.text.includes('curl -v http://[fd94::10]/ && echo "<ok>"'));
  assert.ok(descendants(xml, 'system-out')[0]!.text.includes(']]> &  bell'));
});

test('Markdown keeps table rows intact when cells hold pipes and newlines', () => {
  const md = renderMarkdown(report([check('a.pass', 'pass', 'one | two\nthree')]));
  const row = md.split('\n').find((l) => l.includes('one \\| two three'));
  assert.ok(row, 'the observed cell is escaped on one line');
  assert.equal(row.split(/(?<!\\)\|/).length, 8, 'six cells in the summary row');
  assert.ok(md.includes('- a finding with | pipe'));
});
