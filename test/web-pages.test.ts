import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { startWebServer } from '../src/services/web/server.js';
import type { BoundAddress } from '../src/services/web/server.js';
import { ipv6Loopback } from './helpers/web-tools.js';
import { loopbackWebConfig } from './helpers/web-lab.js';

function url(b: BoundAddress, path: string): string {
  return `http://${b.family === 'IPv6' ? `[${b.address}]` : b.address}:${b.port}${path}`;
}

test('/ is an HTML page naming the family and the visitor address', async (t) => {
  const server = await startWebServer(loopbackWebConfig(await ipv6Loopback()));
  t.after(() => server.close());
  for (const b of server.addresses()) {
    const res = await fetch(url(b, '/'));
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    const page = await res.text();
    assert.match(page, /^<!DOCTYPE html>/);
    assert.ok(page.includes(`You reached web over ${b.family} from ${b.address} port `), page);
  }
});

test('unknown paths answer 404 and other methods 405 with Allow', async (t) => {
  const server = await startWebServer(loopbackWebConfig(false));
  t.after(() => server.close());
  const [b] = server.addresses();
  assert.ok(b);
  const missing = await fetch(url(b, '/nope'));
  assert.equal(missing.status, 404);
  await missing.text();
  const post = await fetch(url(b, '/'), { method: 'POST', body: 'x' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get('allow'), 'GET, HEAD');
  await post.text();
});

test('HEAD answers the headers of GET without a body', async (t) => {
  const server = await startWebServer(loopbackWebConfig(false));
  t.after(() => server.close());
  const [b] = server.addresses();
  assert.ok(b);
  const get = await fetch(url(b, '/whoami'));
  const body = await get.text();
  const head = await fetch(url(b, '/whoami'), { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('content-type'), get.headers.get('content-type'));
  // the client port differs per connection, so the length may differ by a digit or two
  assert.ok(Math.abs(Number(head.headers.get('content-length')) - Buffer.byteLength(body)) <= 2);
  assert.equal(await head.text(), '');
});

test('query strings are ignored for routing', async (t) => {
  const server = await startWebServer(loopbackWebConfig(false));
  t.after(() => server.close());
  const [b] = server.addresses();
  assert.ok(b);
  const res = await fetch(url(b, '/whoami?x=1'));
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as { family: string }).family, 'IPv4');
});

test('a malformed request gets 400 and the server keeps serving', async (t) => {
  const server = await startWebServer(loopbackWebConfig(false));
  t.after(() => server.close());
  const [b] = server.addresses();
  assert.ok(b);
  const reply = await new Promise<string>((resolve, reject) => {
    const s = net.connect(b.port, b.address, () => s.end('\x00\x01GARBAGE \xff\r\n\r\n'));
    let data = '';
    s.on('data', (d) => (data += d.toString('latin1')));
    s.on('end', () => resolve(data));
    s.on('error', reject);
  });
  assert.match(reply, /^HTTP\/1\.1 400/);
  const res = await fetch(url(b, '/whoami'));
  assert.equal(res.status, 200);
  await res.text();
});

test('keep-alive: two requests over one connection', async (t) => {
  const server = await startWebServer(loopbackWebConfig(false));
  t.after(() => server.close());
  const [b] = server.addresses();
  assert.ok(b);
  const reply = await new Promise<string>((resolve, reject) => {
    const s = net.connect(b.port, b.address, () => {
      s.write('GET /whoami HTTP/1.1\r\nHost: a\r\n\r\n');
      s.write('GET /whoami HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n');
    });
    let data = '';
    s.on('data', (d) => (data += d.toString('utf8')));
    s.on('end', () => resolve(data));
    s.on('error', reject);
  });
  const ports = [...reply.matchAll(/"client":\{"address":"127\.0\.0\.1","port":(\d+)\}/g)].map((m) => m[1]);
  assert.equal(ports.length, 2, reply);
  assert.equal(ports[0], ports[1]);
  assert.match(reply, /"host":"a"/);
  assert.match(reply, /"host":"b"/);
});

test('close() stops every listener', async () => {
  const server = await startWebServer(loopbackWebConfig(await ipv6Loopback()));
  const bound = server.addresses();
  await server.close();
  for (const b of bound) {
    await assert.rejects(fetch(url(b, '/')));
  }
});
