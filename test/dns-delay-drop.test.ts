// Per-record answer delay and drop, so clients can be tried against slow or missing AAAA.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { startDnsServer } from '../src/services/dns/server.js';
import { loopbackConfig, portOf, record, tcpQueries, udpQuery } from './helpers/dns-lab.js';

const DELAY_MS = 300;

test('a delayed AAAA arrives no earlier than its delay; the A of the same name is not delayed', async () => {
  const server = await startDnsServer(loopbackConfig([record('slow.local', 'A', '172.30.0.10'), record('slow.local', 'AAAA', 'fd00:dead:beef::10', { delayMs: DELAY_MS })]));
  try {
    const port = portOf(server.addresses());
    let started = performance.now();
    const aaaa = await udpQuery('127.0.0.1', port, 'slow.local', 'AAAA', { timeoutMs: 5000 });
    const aaaaMs = performance.now() - started;
    assert.deepEqual(aaaa?.answers?.map((a) => a.data), ['fd00:dead:beef::10']);
    assert.ok(aaaaMs >= DELAY_MS - 5, `AAAA came after ${aaaaMs} ms, before its ${DELAY_MS} ms delay`);
    assert.ok(aaaaMs < DELAY_MS + 3000, `AAAA took ${aaaaMs} ms`);

    started = performance.now();
    const a = await udpQuery('127.0.0.1', port, 'slow.local', 'A');
    assert.deepEqual(a?.answers?.map((x) => x.data), ['172.30.0.10']);
    assert.ok(performance.now() - started < DELAY_MS, 'A is not delayed');

    // over TCP the delayed answer does not hold back the one pipelined after it
    const replies = await tcpQueries('127.0.0.1', port, [{ name: 'slow.local', type: 'AAAA', id: 1 }, { name: 'slow.local', type: 'A', id: 2 }], 5000);
    assert.deepEqual(replies.map((r) => r.id), [2, 1]);
  } finally {
    await server.close();
  }
});

test('a dropped AAAA gets no answer within 1 s while A is answered; drops are counted', async () => {
  const server = await startDnsServer(loopbackConfig([record('noaaaa.local', 'A', '172.30.0.10'), record('noaaaa.local', 'AAAA', 'fd00:dead:beef::10', { drop: true })]));
  try {
    const port = portOf(server.addresses());
    assert.equal(await udpQuery('127.0.0.1', port, 'noaaaa.local', 'AAAA', { timeoutMs: 1000 }), undefined);
    assert.deepEqual((await udpQuery('127.0.0.1', port, 'noaaaa.local', 'A'))?.answers?.map((a) => a.data), ['172.30.0.10']);
    assert.equal((await udpQuery('::1', portOf(server.addresses(), 6), 'noaaaa.local', 'AAAA', { timeoutMs: 300 })), undefined);
    const stats = server.stats();
    assert.equal(stats.dropped, 2);
    assert.equal(stats.queries, 3);
    assert.equal(stats.answers.NOERROR, 1);
  } finally {
    await server.close();
  }
});

test('close() cancels pending delayed answers: nothing is sent after it', async () => {
  const server = await startDnsServer(loopbackConfig([record('late.local', 'AAAA', 'fd00:dead:beef::10', { delayMs: 400 })]));
  const port = portOf(server.addresses());
  const pending = udpQuery('127.0.0.1', port, 'late.local', 'AAAA', { timeoutMs: 900 });
  await new Promise((r) => setTimeout(r, 100));
  await server.close();
  assert.equal(await pending, undefined);
  assert.equal(server.stats().answers.NOERROR, 0);
});
