// `dslab connect` end to end on loopback: the compiled CLI, its human lines, its JSON shape,
// the chart, the explanation, and clear errors for bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { dslab } from './helpers/netns-lab.js';
import { closeServer, listen } from './helpers/connector-loopback.js';

const server = await listen('127.0.0.1', 0);
const port = String((server.address() as AddressInfo).port);
test.after(() => closeServer(server));

test('human output follows the seed client: resolved, try, connected via ... in (handshake), recv', async () => {
  const r = await dslab(['connect', '127.0.0.1', port]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0]!, /^resolved: 127\.0\.0\.1:\d+ \(an address, no lookup\)$/);
  assert.equal(lines[1], '  - IPv4 127.0.0.1');
  assert.match(lines[2]!, /^try IPv4: 127\.0\.0\.1 port \d+ \.\.\. \(at [\d.]+ ms\)$/);
  assert.match(lines[3]!, /^connected via IPv4 in [\d.]+ ms \(handshake [\d.]+ ms\)$/);
  assert.equal(lines[4], 'recv: HTTP/1.1 200 OK');
});

test('--json has the documented shape', async () => {
  const r = await dslab(['connect', '127.0.0.1', port, '--json', '--explain']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  for (const key of ['host', 'port', 'mode', 'delayMs', 'resolution', 'candidates', 'attempts', 'winner', 'totalMs', 'handshakeMs', 'http', 'trace', 'explain']) assert.ok(key in j, `missing ${key}`);
  assert.equal(j.port, Number(port));
  assert.equal(j.mode, 'happy');
  assert.equal(j.delayMs, 250);
  assert.deepEqual(j.winner, { address: '127.0.0.1', family: 4 });
  assert.deepEqual(Object.keys(j.attempts[0]).sort(), ['address', 'endMs', 'family', 'outcome', 'startMs']);
  assert.equal(j.attempts[0].outcome, 'connected');
  assert.equal(j.http.statusLine, 'HTTP/1.1 200 OK');
  assert.ok(j.totalMs >= j.handshakeMs);
  assert.deepEqual(j.trace.map((e: { type: string }) => e.type).slice(-2), ['attempt-connected', 'winner']);
  for (let i = 1; i < j.trace.length; i++) assert.ok(j.trace[i].t >= j.trace[i - 1].t, 'trace times never go back');
});

test('--timeline draws one bar per attempt; --explain names the table', async () => {
  const r = await dslab(['connect', '127.0.0.1', port, '--timeline', '--explain', '--no-http']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /timeline \(0 to [\d.]+ ms/);
  assert.match(r.stdout, /IPv4 127\.0\.0\.1 +\|[ █]*█[ █]*\| connected/);
  assert.match(r.stdout, /sorting table: (glibc|gai\.conf)/);
  assert.doesNotMatch(r.stdout, /recv:/);
});

test('--count 3 connects three times in one process; later runs use the cache', async () => {
  const r = await dslab(['connect', '127.0.0.1', port, '--count', '3', '--json', '--no-http']);
  const j = JSON.parse(r.stdout);
  assert.equal(j.count, 3);
  assert.deepEqual(j.runs.map((x: { fromCache: boolean }) => x.fromCache), [false, true, true]);
});

test('a refused port: exit 1, the error and the failed attempt are shown', async () => {
  const probe = await listen('127.0.0.1', 0);
  const closed = String((probe.address() as AddressInfo).port);
  await closeServer(probe);
  const r = await dslab(['connect', '127.0.0.1', closed]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /failed via IPv4: connection refused \(ECONNREFUSED\)/);
  assert.match(r.stdout, /DSLAB_E_CONNECT_FAILED/);
  const j = JSON.parse((await dslab(['connect', '127.0.0.1', closed, '--json'])).stdout);
  assert.equal(j.winner, null);
  assert.equal(j.error.code, 'DSLAB_E_CONNECT_FAILED');
  assert.equal(j.attempts[0].error.code, 'ECONNREFUSED');
});

const BAD: Array<[string[], string]> = [
  [['connect', '127.0.0.1', port, '--delay', '5'], 'connectionAttemptDelayMs'],
  [['connect', '127.0.0.1', 'http'], 'port'],
  [['connect', '127.0.0.1', '70000'], 'port'],
  [['connect', 'bad host!', '80'], 'host'],
  [['connect', '127.0.0.1', port, '--mode', 'turbo'], 'mode'],
  [['connect', '127.0.0.1', port, '--policy', '/nonexistent/table'], 'policy'],
  [['connect', '127.0.0.1', port, '--count', '0'], 'count'],
  [['connect', '127.0.0.1', port, '--delay', 'soon'], 'connectionAttemptDelayMs'],
];

for (const [args, field] of BAD) {
  test(`bad input ${args.slice(1).join(' ')}: exit 2, DSLAB_E_BAD_OPTION naming ${field}, nothing sent`, async () => {
    const r = await dslab([...args, '--json']);
    assert.equal(r.code, 2);
    const j = JSON.parse(r.stdout);
    assert.equal(j.error.code, 'DSLAB_E_BAD_OPTION');
    assert.equal(j.error.field, field);
    assert.ok(j.error.hint);
    const human = await dslab(args);
    assert.equal(human.code, 2);
    assert.match(human.stderr, /DSLAB_E_BAD_OPTION/);
    // the message names what the user typed, not the library's field
    if (args.includes('--delay')) assert.match(human.stderr, /Invalid --delay: /);
  });
}

test('a delay between 10 and 100 ms is used, with a warning', async () => {
  const r = await dslab(['connect', '127.0.0.1', port, '--delay', '20', '--no-http']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /warning: .*recommended minimum of 100 ms/);
});
