/**
 * The curl parser reads real `curl -v --trace-time -w '%{json}'` output captured in a lab
 * (curl 7.88) and the article's curl 8 samples: which addresses were resolved and tried,
 * when, where it connected, the status line; a connect timeout and a refused connection.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { curlVerboseText, parseCurlTrace, parseCurlWriteOut } from '../src/experiments/node/parse-curl.js';
import { toolFixture } from './helpers/tool-fixtures.js';

test('IPv4 and IPv6 by literal address: one try, connected, 200', () => {
  for (const [name, addr] of [
    ['curl-v-ipv4', '172.30.0.10'],
    ['curl-v-ipv6', 'fd00:dead:beef::10'],
  ] as const) {
    const w = parseCurlWriteOut(toolFixture(`${name}.stdout`));
    assert.ok(w, name);
    assert.equal(w.remoteIp, addr);
    assert.equal(w.httpCode, 200);
    assert.equal(w.exitCode, 0);
    assert.equal(w.errorMessage, null);
    assert.ok(w.timeConnectS > 0 && w.timeConnectS <= w.timeTotalS);
    const t = parseCurlTrace(toolFixture(`${name}.stderr`));
    assert.equal(t.timed, true);
    assert.deepEqual(t.tries.map((x) => x.address), [addr]);
    assert.equal(t.connected?.address, addr);
    assert.equal(t.statusLine, 'HTTP/1.1 200 OK');
    assert.deepEqual(t.failures, []);
  }
});

test('by name: IPv6 first (curl -v), IPv4 only with -4', () => {
  const ok = parseCurlTrace(toolFixture('curl-v-name-ok.stderr'));
  assert.deepEqual(ok.tries.map((x) => x.address), ['fd00:dead:beef::10']);
  assert.equal(parseCurlWriteOut(toolFixture('curl-v-name-ok.stdout'))?.remoteIp, 'fd00:dead:beef::10');
  const four = parseCurlTrace(toolFixture('curl-v-force4.stderr'));
  assert.deepEqual(four.tries.map((x) => x.address), ['172.30.0.10']);
  const plain = parseCurlTrace(toolFixture('curl-v-plain-name-ok.stderr'));
  assert.equal(plain.timed, false);
  assert.equal(plain.connected?.address, 'fd00:dead:beef::10');
  assert.equal(plain.statusLine, 'HTTP/1.1 200 OK');
});

test('fallback: IPv6 tried first, IPv4 about curl\'s 200 ms later, connected over IPv4', () => {
  const t = parseCurlTrace(toolFixture('curl-v-fallback.stderr'));
  assert.deepEqual(t.tries.map((x) => x.address), ['fd00:dead:beef::9999', '172.30.0.10']);
  assert.equal(t.tries[0]!.atMs, 0);
  // 20:38:48.945887 -> 20:38:49.146307 in the capture
  assert.ok(Math.abs(t.tries[1]!.atMs - 200.42) < 0.01, `IPv4 tried at ${t.tries[1]!.atMs} ms`);
  assert.equal(t.connected?.address, '172.30.0.10');
  assert.ok(t.connected.atMs >= t.tries[1]!.atMs);
  assert.equal(t.statusLine, 'HTTP/1.1 200 OK');
  const w = parseCurlWriteOut(toolFixture('curl-v-fallback.stdout'));
  assert.equal(w?.remoteIp, '172.30.0.10');
  assert.ok(w && w.timeConnectS > 0.2 && w.timeConnectS < 0.3);
  const text = curlVerboseText(t);
  assert.ok(text.startsWith('*   Trying [fd00:dead:beef::9999]:80...'));
  assert.ok(!/^\d\d:/m.test(text), 'no timestamps in the text a person reads');
  assert.ok(!text.includes('{ ['), 'no data lines');
});

test('connect timeout: exit 28, the IPv6 attempt failed with a timeout, no connection', () => {
  const w = parseCurlWriteOut(toolFixture('curl-v-connect-timeout.stdout'));
  assert.equal(w?.exitCode, 28);
  assert.equal(w?.httpCode, 0);
  assert.equal(w?.remoteIp, '');
  assert.match(w?.errorMessage ?? '', /Timeout was reached/);
  const t = parseCurlTrace(toolFixture('curl-v-connect-timeout.stderr'));
  assert.equal(t.connected, undefined);
  assert.equal(t.statusLine, undefined);
  assert.deepEqual(t.failures.map((f) => f.address), ['fd00:dead:beef::9999']);
  assert.ok(t.failures[0]!.atMs > 990 && t.failures[0]!.atMs < 1100);
  assert.equal(t.error?.code, 28);
});

test('connection refused: the failure names the address and reason', () => {
  const t = parseCurlTrace(toolFixture('curl-v-refused.stderr'));
  assert.deepEqual(t.failures.map((f) => [f.address, f.reason]), [['172.30.0.53', 'Connection refused']]);
  assert.equal(t.error?.code, 7);
  assert.equal(parseCurlWriteOut(toolFixture('curl-v-refused.stdout'))?.exitCode, 7);
});

test("the article's curl 8 samples: resolved addresses per family, tries, connection", () => {
  const ok = parseCurlTrace(toolFixture('article-curl-v-name-ok.stderr'));
  assert.equal(ok.timed, false);
  assert.deepEqual(ok.resolved, { ipv6: ['fd00:dead:beef::10'], ipv4: ['172.30.0.10'] });
  assert.deepEqual(ok.tries.map((x) => x.address), ['fd00:dead:beef::10']);
  assert.equal(ok.connected?.address, 'fd00:dead:beef::10');
  assert.equal(ok.statusLine, 'HTTP/1.1 200 OK');
  const fb = parseCurlTrace(toolFixture('article-curl-v-fallback.stderr'));
  assert.deepEqual(fb.tries.map((x) => x.address), ['fd00:dead:beef::9999', '172.30.0.10']);
  assert.equal(fb.connected?.address, '172.30.0.10');
  const four = parseCurlTrace(toolFixture('article-curl-v-force4.stderr'));
  assert.deepEqual(four.resolved, { ipv6: [], ipv4: ['172.30.0.10'] });
  assert.equal(four.connected?.address, '172.30.0.10');
});

test('no write-out and no trace: undefined and an empty trace', () => {
  assert.equal(parseCurlWriteOut(''), undefined);
  assert.equal(parseCurlWriteOut('{"broken'), undefined);
  const t = parseCurlTrace('');
  assert.deepEqual(t.tries, []);
  assert.equal(t.connected, undefined);
});
