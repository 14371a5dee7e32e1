import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startWebServer } from '../src/services/web/server.js';
import { visitorAddress } from '../src/services/web/address.js';
import { curl, hasProgram, ipv6Loopback } from './helpers/web-tools.js';
import { loopbackWebConfig } from './helpers/web-lab.js';

interface WhoamiBody {
  family: string;
  client: { address: string; port: number };
  server: { address: string; port: number };
  host: string | null;
  node: string;
}

test('an IPv4-mapped peer address is reported as plain IPv4', () => {
  assert.deepEqual(visitorAddress('::ffff:172.30.0.20'), { address: '172.30.0.20', family: 'IPv4' });
  assert.deepEqual(visitorAddress('fd00:dead:beef::20'), { address: 'fd00:dead:beef::20', family: 'IPv6' });
  assert.deepEqual(visitorAddress('127.0.0.1'), { address: '127.0.0.1', family: 'IPv4' });
});

test('/whoami over fetch reports each family with its plain address', async (t) => {
  const v6 = await ipv6Loopback();
  const server = await startWebServer(loopbackWebConfig(v6));
  t.after(() => server.close());
  for (const bound of server.addresses()) {
    const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
    const res = await fetch(`http://${host}:${bound.port}/whoami`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    const body = (await res.json()) as WhoamiBody;
    assert.equal(body.family, bound.family);
    assert.equal(body.client.address, bound.address);
    assert.ok(body.client.port > 0);
    assert.deepEqual(body.server, { address: bound.address, port: bound.port });
    assert.equal(body.host, `${host}:${bound.port}`);
    assert.equal(body.node, 'web');
  }
  if (!v6) t.diagnostic('::1 not available here: only IPv4 was checked');
});

test('/whoami with real curl -4 and curl -6 -g', async (t) => {
  if (!(await hasProgram('curl'))) return t.skip('curl is not installed');
  if (!(await ipv6Loopback())) return t.skip('no IPv6 loopback (::1) in this environment');
  const server = await startWebServer(loopbackWebConfig(true));
  t.after(() => server.close());
  const [a4, a6] = server.addresses();
  assert.ok(a4 && a6);
  // "localhost" resolves to both families; -4 / -6 must pick the listener of that family
  const r4 = await curl(['-4'], `http://127.0.0.1:${a4.port}/whoami`);
  const w4 = JSON.parse(r4.body) as WhoamiBody;
  assert.equal(w4.family, 'IPv4');
  assert.equal(w4.client.address, '127.0.0.1');
  assert.doesNotMatch(r4.body, /::ffff:/);
  const r6 = await curl(['-6', '-g'], `http://[::1]:${a6.port}/whoami`);
  const w6 = JSON.parse(r6.body) as WhoamiBody;
  assert.equal(w6.family, 'IPv6');
  assert.equal(w6.client.address, '::1');
  assert.equal(w6.server.address, '::1');
});
