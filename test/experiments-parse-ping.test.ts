/**
 * The ping parser reads real iputils output (captured in a lab) and the article's samples:
 * counts, loss, each reply, the RTT line, and 100% loss without an RTT line.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePing } from '../src/experiments/node/parse-ping.js';
import { toolFixture } from './helpers/tool-fixtures.js';

test('a real IPv4 and IPv6 ping: 3 sent, 3 received, replies and RTT', () => {
  for (const [file, target] of [
    ['ping-ipv4.stdout', '172.30.0.10'],
    ['ping-ipv6.stdout', 'fd00:dead:beef::10'],
  ] as const) {
    const p = parsePing(toolFixture(file));
    assert.ok(p, file);
    assert.equal(p.target, target);
    assert.equal(p.transmitted, 3);
    assert.equal(p.received, 3);
    assert.equal(p.lossPercent, 0);
    assert.equal(p.errors, 0);
    assert.deepEqual(p.replies.map((r) => r.seq), [1, 2, 3]);
    assert.ok(p.replies.every((r) => r.ttl === 64 && r.timeMs > 0));
    assert.ok(p.rtt && p.rtt.minMs <= p.rtt.avgMs && p.rtt.avgMs <= p.rtt.maxMs);
    assert.equal(p.rtt.minMs, Math.min(...p.replies.map((r) => r.timeMs)));
    assert.equal(p.rtt.maxMs, Math.max(...p.replies.map((r) => r.timeMs)));
  }
});

test("the article's samples parse to its numbers", () => {
  const v4 = parsePing(toolFixture('article-ping-ipv4.stdout'));
  assert.deepEqual(v4, {
    target: '172.30.0.10',
    transmitted: 2,
    received: 2,
    errors: 0,
    lossPercent: 0,
    timeMs: 1001,
    replies: [
      { seq: 1, ttl: 64, timeMs: 0.089 },
      { seq: 2, ttl: 64, timeMs: 0.156 },
    ],
    rtt: { minMs: 0.089, avgMs: 0.122, maxMs: 0.156, mdevMs: 0.033 },
  });
  const v6 = parsePing(toolFixture('article-ping-ipv6.stdout'));
  assert.equal(v6?.target, 'fd00:dead:beef::10');
  assert.deepEqual(v6?.rtt, { minMs: 0.046, avgMs: 0.136, maxMs: 0.227, mdevMs: 0.09 });
});

test('100% loss: counts and loss, no replies, no RTT line', () => {
  const v6 = parsePing(toolFixture('ping-loss-ipv6.stdout'));
  assert.ok(v6);
  assert.equal(v6.target, 'fd00:dead:beef::9999');
  assert.equal(v6.transmitted, 3);
  assert.equal(v6.received, 0);
  assert.equal(v6.lossPercent, 100);
  assert.deepEqual(v6.replies, []);
  assert.equal(v6.rtt, undefined);
  const v4 = parsePing(toolFixture('ping-loss-ipv4.stdout'));
  assert.equal(v4?.lossPercent, 100);
  assert.equal(v4?.transmitted, 2);
});

test('errors and duplicates in the summary line are read, not mistaken for loss', () => {
  const text = [
    'PING fd00::1(fd00::1) 56 data bytes',
    'From fd00::20 icmp_seq=1 Destination unreachable: Address unreachable',
    '',
    '--- fd00::1 ping statistics ---',
    '3 packets transmitted, 0 received, +3 errors, 100% packet loss, time 2046ms',
  ].join('\n');
  const p = parsePing(text);
  assert.equal(p?.errors, 3);
  assert.equal(p?.lossPercent, 100);
  assert.equal(p?.timeMs, 2046);
});

test('output without a summary (ping could not start) is undefined', () => {
  assert.equal(parsePing('ping: connect: Network is unreachable\n'), undefined);
  assert.equal(parsePing(''), undefined);
});
