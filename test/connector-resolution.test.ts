// RFC 8305 §3 on a loopback DNS server (dslab's own, with per-record delay and drop): AAAA is
// sent first, an A answer waits at most the Resolution Delay for AAAA, late answers join.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { happyConnect } from '../src/connector/connect.js';
import { isDslabError } from '../src/errors.js';
import { blackhole, hasPython, listen, loopbackDns, record, samePort } from './helpers/connector-loopback.js';

const python = await hasPython();
const noPython = python ? false : 'python3 is missing (needed for the loopback black hole)';

const dns = await loopbackDns([
  record('both.local', 'AAAA', '::1'),
  record('both.local', 'A', '127.0.0.1'),
  record('slowshort.local', 'AAAA', '::1', { delayMs: 20 }),
  record('slowshort.local', 'A', '127.0.0.1'),
  record('slowlong.local', 'AAAA', '::1', { delayMs: 300 }),
  record('slowlong.local', 'A', '127.0.0.1'),
  record('noaaaa.local', 'AAAA', '::1', { drop: true }),
  record('noaaaa.local', 'A', '127.0.0.1'),
  record('late6.local', 'AAAA', '::1', { delayMs: 150 }),
  record('late6.local', 'A', '127.0.0.1'),
  record('only6.local', 'AAAA', '::1'),
  record('only4.local', 'A', '127.0.0.1'),
]);
const pair = await samePort((p) => listen('::1', p), (p) => listen('127.0.0.1', p));
test.after(async () => {
  await pair.close();
  await dns.close();
});

const opts = (host: string) => ({ host, port: pair.port, dnsServers: dns.servers, hostsFile: false as const, cache: false as const, policy: 'glibc' as const });
const at = (r: { trace: Array<{ type: string; t: number; qtype?: string }> }, type: string, qtype?: string) => r.trace.find((e) => e.type === type && (qtype === undefined || e.qtype === qtype));

test('the AAAA query is sent before the A query, and each answer time is traced', async () => {
  const r = await happyConnect(opts('both.local'));
  r.socket.destroy();
  const sent = r.trace.filter((e) => e.type === 'query-sent').map((e) => e.qtype);
  assert.deepEqual(sent, ['AAAA', 'A']);
  assert.equal(r.family, 6);
  assert.ok(r.timings.aaaaMs !== null && r.timings.aMs !== null);
  assert.deepEqual(r.resolution.aaaa.addresses, ['::1']);
  assert.deepEqual(r.resolution.a.addresses, ['127.0.0.1']);
});

test('AAAA 20 ms late (within the 50 ms Resolution Delay): the A answer waits and IPv6 goes first', async () => {
  const r = await happyConnect(opts('slowshort.local'));
  r.socket.destroy();
  assert.equal(r.attempts[0]!.family, 6);
  assert.equal(r.family, 6);
  assert.ok(at(r, 'resolution-delay-started'), 'the A answer came first and started the delay');
  assert.equal(at(r, 'resolution-delay-expired'), undefined);
});

test('AAAA 300 ms late: IPv4 starts when the 50 ms Resolution Delay runs out, and wins', async () => {
  const r = await happyConnect(opts('slowlong.local'));
  r.socket.destroy();
  assert.equal(r.attempts[0]!.family, 4);
  assert.equal(r.family, 4);
  const aAnswer = at(r, 'query-answered', 'A')!.t;
  const wait = r.attempts[0]!.startMs - aAnswer;
  assert.ok(wait >= 49 && wait < 150, `IPv4 started ${wait} ms after the A answer`);
  assert.ok(r.timings.totalMs < 300, 'did not wait for the slow AAAA');
  assert.ok(r.trace.some((e) => e.type === 'query-cancelled' && e.qtype === 'AAAA'));
});

test('a dropped AAAA query: IPv4 after the Resolution Delay; the pending query is cancelled', async () => {
  const r = await happyConnect(opts('noaaaa.local'));
  r.socket.destroy();
  assert.equal(r.family, 4);
  const wait = r.attempts[0]!.startMs - at(r, 'query-answered', 'A')!.t;
  assert.ok(wait >= 49 && wait < 150, `IPv4 started ${wait} ms after the A answer`);
  assert.equal(r.resolution.aaaa.ms, null);
});

test('an AAAA answer arriving while IPv4 is being tried joins the list and is tried next', { skip: noPython }, async () => {
  // IPv4 hangs here, so the late IPv6 address must be what connects
  const holes = await samePort((p) => listen('::1', p), (p) => blackhole('127.0.0.1', p));
  try {
    const r = await happyConnect({ ...opts('late6.local'), port: holes.port, connectionAttemptDelayMs: 250 });
    r.socket.destroy();
    assert.deepEqual(r.attempts.map((a) => [a.family, a.outcome]), [[4, 'cancelled'], [6, 'connected']]);
    const aaaa = at(r, 'query-answered', 'AAAA')!.t;
    assert.ok(aaaa > r.attempts[0]!.startMs, 'AAAA came after IPv4 had started');
    const gap = r.attempts[1]!.startMs - r.attempts[0]!.startMs;
    assert.ok(gap >= 249 && gap < 400, `IPv6 started ${gap} ms after IPv4`);
    assert.deepEqual(r.candidates.map((c) => c.address).sort(), ['127.0.0.1', '::1']);
  } finally {
    await holes.close();
  }
});

test('AAAA-only and A-only names connect over their one family', async () => {
  const six = await happyConnect(opts('only6.local'));
  six.socket.destroy();
  assert.equal(six.family, 6);
  assert.ok(six.resolution.a.error, 'the A query had no answer');
  const four = await happyConnect(opts('only4.local'));
  four.socket.destroy();
  assert.equal(four.family, 4);
  assert.ok(four.resolution.aaaa.error);
});

test('an unknown name is DSLAB_E_RESOLVE_FAILED with both query errors', async () => {
  await assert.rejects(happyConnect(opts('nothing.local')), (e: unknown) => {
    assert.ok(isDslabError(e, 'DSLAB_E_RESOLVE_FAILED'));
    assert.match(e.message, /AAAA: E[A-Z]+/);
    assert.match(e.message, /A: E[A-Z]+/);
    return true;
  });
});

test('a hosts-file entry answers without any DNS query', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'he-hosts-'));
  try {
    writeFileSync(join(dir, 'hosts'), '127.0.0.1 both.local\n');
    const r = await happyConnect({ ...opts('both.local'), hostsFile: join(dir, 'hosts') });
    r.socket.destroy();
    assert.equal(r.resolution.source, 'hosts');
    assert.equal(r.address, '127.0.0.1', 'the hosts file wins over DNS (which says ::1 too)');
    assert.ok(!r.trace.some((e) => e.type === 'query-sent'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
