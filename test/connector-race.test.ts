// RFC 8305 §5 racing on loopback: a name in a private hosts file maps to ::1 and 127.0.0.1;
// an IPv6 "black hole" (full accept queue: SYNs dropped) stands in for an unreachable address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { happyConnect } from '../src/connector/connect.js';
import { isDslabError } from '../src/errors.js';
import { blackhole, closeServer, handleCounts, hasPython, listen, samePort, settledHandles } from './helpers/connector-loopback.js';

const dir = mkdtempSync(join(tmpdir(), 'he-race-'));
const hostsFile = join(dir, 'hosts');
writeFileSync(hostsFile, '::1 dual.test\n127.0.0.1 dual.test\n::1 six.test\n127.0.0.1 four.test\n');
const base = { host: 'dual.test', hostsFile, cache: false as const, policy: 'glibc' as const };
const python = await hasPython();
const noPython = python ? false : 'python3 is missing (needed for the loopback black hole)';

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('both families listen: IPv6 (::1, precedence 50) wins with one attempt', async () => {
  const before = handleCounts();
  const pair = await samePort((p) => listen('::1', p), (p) => listen('127.0.0.1', p));
  try {
    const r = await happyConnect({ ...base, port: pair.port });
    assert.equal(r.family, 6);
    assert.equal(r.address, '::1');
    assert.equal(r.attempts.length, 1);
    assert.equal(r.resolution.source, 'hosts');
    assert.ok(r.timings.handshakeMs <= r.timings.totalMs);
    r.socket.destroy();
  } finally {
    await pair.close();
  }
  assert.deepEqual(await settledHandles(before), {});
});

test('an IPv6 address that refuses falls back to IPv4 at once, not after the delay', async () => {
  const v4 = await listen('127.0.0.1', 0);
  const port = (v4.address() as import('node:net').AddressInfo).port;
  try {
    // a long delay (2 s) makes "at once" and "after the delay" far apart, so the bounds below
    // are generous for a loaded machine and still fail if IPv4 waited for the delay
    const r = await happyConnect({ ...base, port, connectionAttemptDelayMs: 2000 });
    assert.equal(r.family, 4);
    assert.deepEqual(r.attempts.map((a) => [a.family, a.outcome, a.error?.code]), [[6, 'failed', 'ECONNREFUSED'], [4, 'connected', undefined]]);
    const v4start = r.attempts[1]!.startMs;
    assert.ok(v4start - r.attempts[0]!.endMs! < 500, `IPv4 started ${v4start - r.attempts[0]!.endMs!} ms after the refusal`);
    assert.ok(r.timings.totalMs < 1000, `took ${r.timings.totalMs} ms`);
    r.socket.destroy();
  } finally {
    await closeServer(v4);
  }
});

test('IPv6 hangs: IPv4 starts after the Connection Attempt Delay and wins; the IPv6 attempt is cancelled', { skip: noPython }, async () => {
  const before = handleCounts();
  const pair = await samePort((p) => blackhole('::1', p), (p) => listen('127.0.0.1', p));
  try {
    const r = await happyConnect({ ...base, port: pair.port, connectionAttemptDelayMs: 150 });
    assert.equal(r.family, 4);
    const [six, four] = r.attempts;
    assert.equal(six!.outcome, 'cancelled');
    assert.equal(four!.outcome, 'connected');
    const gap = four!.startMs - six!.startMs;
    assert.ok(gap >= 149 && gap < 400, `IPv4 started ${gap} ms after IPv6`);
    // the earlier attempt kept running until the winner connected (unlike autoSelectFamily)
    assert.ok(six!.endMs! >= four!.endMs!);
    const types = r.trace.map((e) => e.type);
    assert.ok(types.indexOf('attempt-cancelled') > types.indexOf('attempt-connected'));
    r.socket.destroy();
  } finally {
    await pair.close();
  }
  assert.deepEqual(await settledHandles(before), {});
});

test('sequential mode (the seed client): IPv4 only after the 2 s IPv6 timeout', { skip: noPython }, async () => {
  const pair = await samePort((p) => blackhole('::1', p), (p) => listen('127.0.0.1', p));
  try {
    const r = await happyConnect({ ...base, port: pair.port, mode: 'sequential' });
    assert.equal(r.family, 4);
    assert.deepEqual(r.attempts.map((a) => [a.family, a.outcome, a.error?.code]), [[6, 'failed', 'ETIMEDOUT'], [4, 'connected', undefined]]);
    assert.ok(r.timings.totalMs >= 1990 && r.timings.totalMs < 3500, `took ${r.timings.totalMs} ms`);
    r.socket.destroy();
  } finally {
    await pair.close();
  }
});

test('ipv4 and ipv6 modes use one family only', async () => {
  const pair = await samePort((p) => listen('::1', p), (p) => listen('127.0.0.1', p));
  try {
    const four = await happyConnect({ ...base, port: pair.port, mode: 'ipv4' });
    assert.equal(four.family, 4);
    assert.ok(four.attempts.every((a) => a.family === 4));
    four.socket.destroy();
    const six = await happyConnect({ ...base, port: pair.port, mode: 'ipv6' });
    assert.equal(six.family, 6);
    six.socket.destroy();
    await assert.rejects(happyConnect({ ...base, host: '127.0.0.1', port: pair.port, mode: 'ipv6' }), (e: unknown) => isDslabError(e, 'DSLAB_E_RESOLVE_FAILED'));
  } finally {
    await pair.close();
  }
});

test('both families refuse: one error, DSLAB_E_CONNECT_FAILED, listing every address and why', async () => {
  const probe = await listen('::1', 0);
  const port = (probe.address() as import('node:net').AddressInfo).port;
  await closeServer(probe);
  const before = handleCounts();
  await assert.rejects(happyConnect({ ...base, port }), (e: unknown) => {
    assert.ok(isDslabError(e, 'DSLAB_E_CONNECT_FAILED'));
    assert.match(e.message, /::1/);
    assert.match(e.message, /127\.0\.0\.1/);
    const attempts = e.details?.attempts as Array<{ address: string; outcome: string; error?: { code: string } }>;
    assert.deepEqual(attempts.map((a) => [a.address, a.outcome, a.error?.code]), [['::1', 'failed', 'ECONNREFUSED'], ['127.0.0.1', 'failed', 'ECONNREFUSED']]);
    return true;
  });
  assert.deepEqual(await settledHandles(before), {});
});

test('an abort in mid-race cancels every attempt at once and leaves nothing open', { skip: noPython }, async () => {
  const pair = await samePort((p) => blackhole('::1', p), (p) => blackhole('127.0.0.1', p));
  const before = handleCounts();
  try {
    const started = performance.now();
    await assert.rejects(happyConnect({ ...base, port: pair.port, connectionAttemptDelayMs: 100, signal: AbortSignal.timeout(180) }), (e: unknown) => {
      assert.ok(isDslabError(e, 'DSLAB_E_CONNECT_ABORTED'));
      const attempts = e.details?.attempts as Array<{ outcome: string }>;
      assert.deepEqual(attempts.map((a) => a.outcome), ['cancelled', 'cancelled']);
      return true;
    });
    const took = performance.now() - started;
    assert.ok(took >= 170 && took < 600, `abort took effect after ${took} ms`);
    assert.deepEqual(await settledHandles(before), {});
  } finally {
    await pair.close();
  }
});

test('an already aborted signal fails at once without connecting', async () => {
  const before = handleCounts();
  await assert.rejects(happyConnect({ ...base, port: 9, signal: AbortSignal.abort() }), (e: unknown) => isDslabError(e, 'DSLAB_E_CONNECT_ABORTED') && (e.details?.attempts as unknown[]).length === 0);
  assert.deepEqual(await settledHandles(before), {});
});

test('the overall timeout ends everything with DSLAB_E_CONNECT_TIMEOUT', { skip: noPython }, async () => {
  const pair = await samePort((p) => blackhole('::1', p), (p) => blackhole('127.0.0.1', p));
  try {
    await assert.rejects(happyConnect({ ...base, port: pair.port, timeoutMs: 300 }), (e: unknown) => {
      assert.ok(isDslabError(e, 'DSLAB_E_CONNECT_TIMEOUT'));
      assert.equal((e.details?.attempts as unknown[]).length, 2);
      return true;
    });
  } finally {
    await pair.close();
  }
});

test('an IP literal skips resolution', async () => {
  const v6 = await listen('::1', 0);
  try {
    const r = await happyConnect({ host: '::1', port: (v6.address() as import('node:net').AddressInfo).port, cache: false });
    assert.equal(r.resolution.source, 'literal');
    assert.ok(!r.trace.some((e) => e.type === 'query-sent'));
    r.socket.destroy();
  } finally {
    await closeServer(v6);
  }
});
