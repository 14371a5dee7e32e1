/**
 * The article's client table set against a client matrix: each "measured" sentence follows
 * from the cells (a race and its delay, a client that does not race, one that waited for a late
 * AAAA, one that failed), and a client that did not run says why.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareWithArticle, measuredBehaviour } from '../src/experiments/article-clients.js';
import type { MatrixCell, MatrixResult } from '../src/measure/matrix.js';

function cell(client: string, scenario: string, family: 4 | 6 | null, connectMs: number | null, fallback: MatrixCell['fallback'] = null, attemptDelayMs: number | null = null): MatrixCell {
  return { client, scenario, target: 'x.local', family, connectMs, startupMs: 1, attemptDelayMs, fallback, grade: 'good', exitCode: family === null ? 1 : 0, wallMs: 10, summary: 's' };
}

const matrix: MatrixResult = {
  lab: 't',
  clients: [
    { id: 'chromium', name: 'Chromium (headless)' },
    { id: 'python-urllib', name: 'Python urllib' },
    { id: 'node-net-noauto', name: 'Node net.connect, autoSelectFamily: false' },
  ],
  skipped: [{ id: 'python-requests', name: 'Python requests', reason: 'Python cannot import requests (apt-get install -y python3-requests)' }],
  scenarios: [],
  cells: [
    cell('chromium', 'unassigned-aaaa', 4, 304, 'timer', 301),
    cell('chromium', 'v6-blackhole', 4, 307, 'timer', 302),
    cell('chromium', 'v6-reset', 4, 8, 'error', 3),
    cell('chromium', 'aaaa-slow', 6, 1010),
    cell('python-urllib', 'unassigned-aaaa', 4, 2010, 'timer', 2003),
    cell('python-urllib', 'v6-blackhole', 4, 2008),
    cell('node-net-noauto', 'unassigned-aaaa', null, null),
    cell('node-net-noauto', 'v6-blackhole', null, null),
    cell('node-net-noauto', 'v6-reset', null, null),
  ],
  ms: 1000,
};

test('a client that races: its delay range, a reset, a late AAAA it waited for', () => {
  const s = measuredBehaviour(matrix, 'chromium');
  assert.match(s, /^Chromium \(headless\): races on a timer: Connection Attempt Delay 301-302 ms/);
  assert.match(s, /moved on at once when IPv6 was refused \(8 ms, v6-reset\)/);
  assert.match(s, /waited for the late AAAA answer \(1\.01 s\)/);
});

test('a client whose only "race" is its own 2 s timeout does not count as racing', () => {
  // the cell says "timer" at 2003 ms: beyond RFC 8305's 2 s bound, that is the client's timeout
  assert.match(measuredBehaviour(matrix, 'python-urllib'), /^Python urllib: does not race: with IPv6 silently broken it reached IPv4 only after 2\.01 s \(unassigned-aaaa\), 2\.01 s \(v6-blackhole\)\.$/);
});

test('a client that failed outright and one that was not installed', () => {
  assert.match(measuredBehaviour(matrix, 'node-net-noauto'), /does not race: with IPv6 silently broken it failed \(unassigned-aaaa, v6-blackhole\); failed when IPv6 was refused/);
  assert.match(measuredBehaviour(matrix, 'python-requests'), /not measured in this run \(Python cannot import requests/);
  assert.match(measuredBehaviour(matrix, 'curl'), /not among the clients asked for; --clients curl adds it/);
});

test("every row of the article's table is there, in its order", () => {
  const rows = compareWithArticle(matrix);
  assert.deepEqual(rows.map((r) => r.client), ['Chrome / Chromium', 'Firefox', 'Safari', 'curl', 'Python requests', 'Node.js']);
  assert.match(rows[1]!.measured[0]!, /not measured/);
  assert.equal(rows.find((r) => r.client === 'Node.js')!.measured.length, 3);
});
