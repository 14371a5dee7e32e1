/**
 * A run's race pictures: writeReports puts one SVG per race next to the Markdown
 * (`<lab>-race-<client>.svg`), the Markdown embeds exactly those files, the JSON lists them,
 * and a check that was no race (one attempt) gets no picture.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { buildPlan } from '../src/experiments/plan.js';
import { summarize } from '../src/experiments/report-parts.js';
import type { CheckResult, RunReport } from '../src/experiments/types.js';
import { loadLab } from '../src/lab/load.js';
import { writeReports } from '../src/reports/write.js';
import { descendants, parseXml } from './helpers/xml-wellformed.js';

function check(id: string, data: Record<string, unknown>): CheckResult {
  return { id, section: id.startsWith('dns') ? 'dns' : 'fallback', title: `check ${id}`, tool: id.endsWith('curl') ? 'curl' : 'dslab', expectation: 'e', observed: 'o', status: 'pass', startMs: 0, durationMs: 1, commands: ['x'], data };
}

const v6 = 'fd00:dead:beef::9999';
const v4 = '172.30.0.10';
const trace = [{ t: 1, type: 'query-answered', qtype: 'AAAA', addresses: [v6] }];

async function reportWithRaces(lab: string): Promise<RunReport> {
  const topology = await loadLab();
  const checks = [
    check('dns.ok.name.dslab', { connect: { host: 'dual-ok.local', port: 80, mode: 'happy', delayMs: 250, winner: { address: 'fd00:dead:beef::10', family: 6 }, totalMs: 2, trace, attempts: [{ address: 'fd00:dead:beef::10', family: 6, startMs: 1, endMs: 2, outcome: 'connected' }] } }),
    check('fallback.broken.sequential', {
      connect: {
        host: 'dual-badv6.local', port: 80, mode: 'sequential', delayMs: 250, winner: { address: v4, family: 4 }, totalMs: 2004, trace,
        attempts: [{ address: v6, family: 6, startMs: 1, endMs: 2001, outcome: 'failed', error: { code: 'ETIMEDOUT', message: 'timed out' } }, { address: v4, family: 4, startMs: 2001, endMs: 2003, outcome: 'connected' }],
      },
    }),
    check('fallback.broken.happy', {
      connect: {
        host: 'dual-badv6.local', port: 80, mode: 'happy', delayMs: 250, winner: { address: v4, family: 4 }, totalMs: 253, trace,
        attempts: [{ address: v6, family: 6, startMs: 1, endMs: 253, outcome: 'cancelled' }, { address: v4, family: 4, startMs: 251, endMs: 253, outcome: 'connected' }],
      },
    }),
    check('fallback.broken.curl', { tries: [{ address: v6, atMs: 0.4 }, { address: v4, atMs: 200.6 }], connected: { address: v4, atMs: 201.5 } }),
  ];
  return {
    schema: 'dslab.run/1',
    lab,
    source: topology.source,
    broughtUp: true,
    kept: false,
    environment: { date: new Date(0).toISOString(), kernel: 'Linux test', node: process.version, backend: 'netns (root)', hostname: 'h', tools: {} },
    topology: { networks: [], nodes: [], records: [] },
    plan: buildPlan(topology),
    checks,
    summary: summarize(checks),
    findings: [],
    timings: { upMs: 0, experimentsMs: 0, downMs: 0, wallMs: 0 },
  };
}

test('one SVG per race beside the Markdown, which embeds exactly those; the JSON lists them', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dslab-race-files-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const files = await writeReports(await reportWithRaces('rf4'), dir);

  const svgs = readdirSync(dir).filter((f) => f.endsWith('.svg')).sort();
  assert.deepEqual(svgs, ['rf4-race-curl.svg', 'rf4-race-happy.svg', 'rf4-race-sequential.svg']);
  assert.deepEqual(files.races.map((f) => basename(f)).sort(), svgs);
  for (const f of files.races) assert.equal(join(dir, basename(f)), f, `${f} is in the report folder`);

  const md = readFileSync(files.markdown, 'utf8');
  const embedded = [...md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!).sort();
  assert.deepEqual(embedded, svgs, 'the Markdown references every picture, by a path relative to itself');

  const json = JSON.parse(readFileSync(files.json, 'utf8')) as RunReport;
  assert.deepEqual(json.files?.races, files.races);

  for (const f of svgs) {
    const svg = parseXml(readFileSync(join(dir, f), 'utf8'));
    const lanes = descendants(svg, 'g').filter((g) => (g.attributes['class'] ?? '').split(' ').includes('lane'));
    assert.equal(lanes.length, 2, `${f} has one lane per attempt`);
    assert.deepEqual(lanes.map((g) => g.attributes['data-address']), [v6, v4]);
  }
  const happy = readFileSync(join(dir, 'rf4-race-happy.svg'), 'utf8');
  assert.match(happy, /class="mark mark-delay" data-ms="251"/, 'the delay ends 250 ms after the first attempt began');
  assert.match(readFileSync(join(dir, 'rf4-race-sequential.svg'), 'utf8'), /class="mark mark-timeout" data-ms="2001"/);
  assert.match(readFileSync(join(dir, 'rf4-race-curl.svg'), 'utf8'), /class="mark mark-delay" data-ms="200.4"/);
});

test('a report without races writes no picture and embeds none', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dslab-race-files-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const report = await reportWithRaces('rf5');
  report.checks = report.checks.slice(0, 1);
  const files = await writeReports(report, dir);
  assert.deepEqual(files.races, []);
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.svg')), []);
  assert.doesNotMatch(readFileSync(files.markdown, 'utf8'), /!\[/);
});
