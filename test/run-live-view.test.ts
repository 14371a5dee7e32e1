/**
 * The live view of `dslab run`, fed the events a run produces: results come out under their
 * experiment's heading in the article's order even when they finish out of order, the
 * explanations come before each experiment with --explain, a terminal gets a progress line
 * redrawn in place, and plain output gets "still running" lines and no control characters.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { buildPlan } from '../src/experiments/plan.js';
import type { CheckResult, NodeEvent, Section } from '../src/experiments/types.js';
import { loadLab } from '../src/lab/load.js';
import { LiveView } from '../src/cli/render/run-live.js';

function result(id: string, section: Section): NodeEvent {
  const r: CheckResult = { id, section, title: `title ${id}`, tool: 'dslab', expectation: 'e', observed: `observed ${id}`, status: 'pass', startMs: 0, durationMs: 1, commands: ['x'] };
  return { type: 'result', result: r };
}

function start(id: string, section: Section): NodeEvent {
  return { type: 'start', id, section, title: `title ${id}`, tool: 'dslab', atMs: 0 };
}

function sink(isTTY: boolean): { text: () => string; write: (t: string) => void; isTTY: boolean } {
  let buf = '';
  return { text: () => buf, write: (t) => (buf += t), isTTY };
}

test('results are printed under their experiment, in order, whatever order they finish in', async () => {
  const plan = buildPlan(await loadLab());
  const s = sink(false);
  const view = new LiveView(s, { explain: true });
  view.setPlan(plan);
  view.event(result('env.host', 'environment')); // the host's check, before the count arrives
  view.event({ type: 'expect', counts: { environment: 2, connectivity: 1, fallback: 2 } });
  view.event(start('fb.slow', 'fallback'));
  view.event(result('fb.quick', 'fallback'));
  view.event(result('conn.a', 'connectivity'));
  assert.ok(!s.text().includes('observed conn.a'), 'held until the environment is complete');
  view.event(result('env.node', 'environment'));
  view.event(result('fb.slow', 'fallback'));
  view.stop();
  const text = s.text();
  const order = ['Environment', 'observed env.host', 'observed env.node', 'Experiment 1', 'observed conn.a', 'Experiment 3', 'observed fb.quick', 'observed fb.slow'].map((x) => text.indexOf(x));
  assert.ok(order.every((i) => i >= 0), `all lines present:\n${text}`);
  assert.deepEqual([...order].sort((a, b) => a - b), order, `in order:\n${text}`);
  assert.ok(!text.includes('Experiment 2'), 'no heading for an experiment without checks');
  // the explanation sits between its heading and its first result
  const explained = text.indexOf('Happy Eyeballs (RFC 8305)');
  assert.ok(explained > text.indexOf('Experiment 3') && explained < text.indexOf('observed fb.quick'));
  assert.ok(!/\r|\x1b/.test(text), 'plain output has no control characters');
});

test('without --explain there are headings but no explanations', async () => {
  const s = sink(false);
  const view = new LiveView(s);
  view.setPlan(buildPlan(await loadLab()));
  view.event({ type: 'expect', counts: { dns: 1 } });
  view.event(result('dns.a', 'dns'));
  view.stop();
  assert.ok(s.text().includes('Experiment 2'));
  assert.ok(!s.text().includes('AAAA an IPv6 address'));
});

test('a terminal gets a progress line redrawn in place while checks run', async () => {
  const s = sink(true);
  const view = new LiveView(s, { tickMs: 10 });
  view.event({ type: 'expect', counts: { fallback: 1 } });
  view.event(start('fb.slow', 'fallback'));
  await sleep(60);
  const during = s.text();
  assert.match(during, /0\/1 done, running: title fb\.slow/);
  assert.ok((during.match(/\r\x1b\[K/g) ?? []).length >= 2, 'redrawn in place');
  view.event(result('fb.slow', 'fallback'));
  view.stop();
  assert.ok(s.text().endsWith('\n'), 'the progress line is cleared at the end');
});

test('plain output prints a "still running" line per tick of silence', async () => {
  const s = sink(false);
  const view = new LiveView(s, { tickMs: 20 });
  view.event({ type: 'expect', counts: { fallback: 1 } });
  view.event(start('fb.slow', 'fallback'));
  await sleep(90);
  view.event(result('fb.slow', 'fallback'));
  view.stop();
  const lines = s.text().split('\n').filter((l) => l.includes('running: title fb.slow'));
  assert.ok(lines.length >= 2, `got ${lines.length} progress lines:\n${s.text()}`);
  assert.ok(!/\r|\x1b/.test(s.text()));
});
