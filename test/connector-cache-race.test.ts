// The winner cache in use: the second connection tries the remembered winner at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { happyConnect } from '../src/connector/connect.js';
import { HappyCache } from '../src/connector/cache.js';
import { closeServer, listen, loopbackDns, record, samePort } from './helpers/connector-loopback.js';

const dir = mkdtempSync(join(tmpdir(), 'he-cache-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('the second connection starts with the cached winner before DNS answers, and says so', async () => {
  // DNS answers 1 s late: the cached connection must not wait for it (a bound far below 1 s
  // stays generous on a loaded machine and still fails if the cache is not used)
  const dns = await loopbackDns([record('c.local', 'AAAA', '::1', { delayMs: 1000 }), record('c.local', 'A', '127.0.0.1', { delayMs: 1000 })]);
  const pair = await samePort((p) => listen('::1', p), (p) => listen('127.0.0.1', p));
  try {
    const cache = new HappyCache();
    const o = { host: 'c.local', port: pair.port, dnsServers: dns.servers, hostsFile: false as const, cache, policy: 'glibc' as const };
    const first = await happyConnect(o);
    first.socket.destroy();
    assert.equal(first.fromCache, false);
    assert.ok(first.timings.totalMs >= 990, `the first one waited for DNS (${first.timings.totalMs} ms)`);
    const second = await happyConnect(o);
    second.socket.destroy();
    assert.equal(second.fromCache, true);
    assert.equal(second.address, first.address);
    assert.equal(second.resolution.source, 'cache');
    assert.ok(second.timings.totalMs < 500, `cached connection took ${second.timings.totalMs} ms`);
    assert.equal(second.trace[1]?.type, 'cache-hit');
    assert.deepEqual(cache.get('c.local', pair.port)?.rttsMs.length, 2);
  } finally {
    await pair.close();
    await dns.close();
  }
});

test('a cached winner that now refuses is dropped and the race goes on with fresh answers', async () => {
  const hosts = join(dir, 'hosts');
  writeFileSync(hosts, '::1 d.test\n127.0.0.1 d.test\n');
  const v4 = await listen('127.0.0.1', 0);
  const port = (v4.address() as AddressInfo).port;
  try {
    const cache = new HappyCache();
    cache.remember('d.test', port, '::1', 6, 0.2); // ::1 does not listen on this port
    const r = await happyConnect({ host: 'd.test', port, hostsFile: hosts, cache });
    r.socket.destroy();
    assert.equal(r.family, 4);
    assert.equal(r.fromCache, false);
    assert.deepEqual(r.attempts.map((a) => [a.address, a.outcome]), [['::1', 'failed'], ['127.0.0.1', 'connected']]);
    assert.equal(cache.get('d.test', port)?.address, '127.0.0.1');
  } finally {
    await closeServer(v4);
  }
});

test('delayFromRtt: the delay comes from the cached RTTs (floored at 100 ms)', async () => {
  const v6 = await listen('::1', 0);
  const port = (v6.address() as AddressInfo).port;
  try {
    const cache = new HappyCache();
    cache.remember('::1', port, '::1', 6, 0.3);
    const r = await happyConnect({ host: '::1', port, cache, delayFromRtt: true });
    r.socket.destroy();
    assert.equal(r.delayMs, 100);
  } finally {
    await closeServer(v6);
  }
});
