/**
 * `dslab run` draws its races: on the default lab (under this test's own name) the report
 * folder holds one SVG per race, the Markdown embeds exactly those files, the JSON lists them,
 * and the fallback pictures show the real races (IPv6 to the address nobody has, then IPv4).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { down } from '../src/backends/netns/down.js';
import type { RunReport } from '../src/experiments/types.js';
import { assertLabGone, dslab, netnsSkipReason } from './helpers/netns-lab.js';
import { descendants, parseXml } from './helpers/xml-wellformed.js';

const LAB = 'fh';

test('dslab run writes a picture of each race next to the report, and the report embeds them', { skip: netnsSkipReason(), timeout: 90_000 }, async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'dslab-run-races-'));
  t.after(async () => {
    rmSync(out, { recursive: true, force: true });
    await down(LAB);
  });
  const r = await dslab(['run', '--json', '--name', LAB, '--out', out], { timeoutMs: 80_000 });
  const report = JSON.parse(r.stdout) as RunReport;
  assertLabGone(LAB);

  const races = report.files?.races ?? [];
  const svgs = readdirSync(out).filter((f) => f.endsWith('.svg')).sort();
  assert.deepEqual(races.map((f) => basename(f)).sort(), svgs, 'the JSON lists every picture in the folder');
  for (const f of races) assert.equal(join(out, basename(f)), f);
  // the article's fallback races are there whenever their checks ran (curl's only when installed)
  for (const id of ['sequential', 'happy', 'curl']) {
    const c = report.checks.find((x) => x.id === `fallback.broken.${id}`);
    if (c?.status === 'pass' || c?.status === 'fail') assert.ok(svgs.includes(`${LAB}-race-${id}.svg`), `${id}: ${svgs.join(', ')}`);
  }
  assert.ok(svgs.includes(`${LAB}-race-happy.svg`) && svgs.includes(`${LAB}-race-sequential.svg`), svgs.join(', '));

  const md = readFileSync(report.files!.markdown, 'utf8');
  const embedded = [...md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!).sort();
  assert.deepEqual(embedded, svgs, 'the Markdown embeds exactly the pictures in its folder');

  for (const f of svgs) {
    const svg = parseXml(readFileSync(join(out, f), 'utf8'));
    const lanes = descendants(svg, 'g').filter((g) => (g.attributes['class'] ?? '').split(' ').includes('lane'));
    assert.ok(lanes.length >= 2, `${f} is a race: ${lanes.length} lanes`);
  }
  const happy = parseXml(readFileSync(join(out, `${LAB}-race-happy.svg`), 'utf8'));
  const lanes = descendants(happy, 'g').filter((g) => (g.attributes['class'] ?? '').split(' ').includes('lane'));
  assert.deepEqual(lanes.map((g) => [g.attributes['data-address'], g.attributes['class']]), [
    ['fd00:dead:beef::9999', 'lane outcome-cancelled'],
    ['172.30.0.10', 'lane outcome-connected'],
  ]);
  assert.equal(r.code, 0, `dslab run failed (exit ${r.code}): ${r.stderr}`);
});
