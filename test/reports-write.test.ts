/**
 * Writing the three reports: nested folders are created, the files hold the report, and a
 * folder that cannot exist (under /proc, where Node 20's recursive mkdir never settles) is a
 * DSLAB_E_RUN_FAILED naming --out, promptly, not a hang.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isDslabError } from '../src/errors.js';
import { buildPlan } from '../src/experiments/plan.js';
import { summarize } from '../src/experiments/report-parts.js';
import type { RunReport } from '../src/experiments/types.js';
import { loadLab } from '../src/lab/load.js';
import { writeReports } from '../src/reports/write.js';
import { descendants, parseXml } from './helpers/xml-wellformed.js';

async function emptyReport(): Promise<RunReport> {
  const topology = await loadLab();
  return {
    schema: 'dslab.run/1',
    lab: 'rv4b',
    source: topology.source,
    broughtUp: true,
    kept: false,
    environment: { date: new Date(0).toISOString(), kernel: 'Linux test', node: process.version, backend: 'netns (root)', hostname: 'h', tools: {} },
    topology: { networks: [], nodes: [], records: [] },
    plan: buildPlan(topology),
    checks: [],
    summary: summarize([]),
    findings: [],
    timings: { upMs: 0, experimentsMs: 0, downMs: 0, wallMs: 0 },
  };
}

test('writes the three reports into a folder it creates', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dslab-reports-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const files = await writeReports(await emptyReport(), join(dir, 'a', 'b'));
  for (const f of [files.markdown, files.json, files.junit]) assert.ok(existsSync(f), `${f} exists`);
  assert.equal((JSON.parse(readFileSync(files.json, 'utf8')) as RunReport).files?.junit, files.junit);
  assert.match(readFileSync(files.markdown, 'utf8'), /^# dslab test report: lab rv4b/);
  assert.equal(descendants(parseXml(readFileSync(files.junit, 'utf8')), 'testcase').length, 0);
});

test('a folder that cannot be made is refused, not waited for', { skip: existsSync('/proc/self') ? undefined : 'no /proc here', timeout: 10_000 }, async () => {
  await assert.rejects(writeReports(await emptyReport(), '/proc/dslab-no-such-folder/x'), (err: unknown) => isDslabError(err, 'DSLAB_E_RUN_FAILED') && err.field === '--out');
});
