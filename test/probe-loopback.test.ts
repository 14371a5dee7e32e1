import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import dnsPacket from 'dns-packet';
import { probeTargets } from '../src/services/probe/probe.js';
import type { ProbeTarget } from '../src/services/probe/targets.js';
import { ipv6Loopback, serviceMain, tempDir, waitExit } from './helpers/web-tools.js';

async function tcpListener(t: TestContext, host: string): Promise<number> {
  const server = net.createServer((s) => s.destroy());
  await new Promise<void>((resolve) => server.listen({ host, port: 0 }, () => resolve()));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

/** A port that was just free: nothing listens there. */
async function closedTcpPort(host: string): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen({ host, port: 0 }, () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A UDP socket that answers DNS queries (REFUSED: any answer proves a server is there), or stays silent. */
async function udpServer(t: TestContext, type: 'udp4' | 'udp6', answer: boolean): Promise<number> {
  const socket = dgram.createSocket(type);
  socket.on('message', (msg, rinfo) => {
    if (!answer) return;
    const q = dnsPacket.decode(msg);
    socket.send(dnsPacket.encode({ type: 'response', id: q.id, flags: 5, questions: q.questions ?? [] }), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, type === 'udp6' ? '::1' : '127.0.0.1', () => resolve()));
  t.after(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return socket.address().port;
}

test('a listening TCP port proves the address; a closed one fails with ECONNREFUSED', async (t) => {
  const open = await tcpListener(t, '127.0.0.1');
  const closed = await closedTcpPort('127.0.0.1');
  const [ok, refused] = await probeTargets([
    { node: 'a', address: '127.0.0.1', family: 4, tcpPort: open },
    { node: 'b', address: '127.0.0.1', family: 4, tcpPort: closed },
  ]);
  assert.deepEqual({ ok: ok!.ok, method: ok!.method, node: ok!.node }, { ok: true, method: 'tcp', node: 'a' });
  assert.equal(ok!.error, undefined);
  assert.equal(refused!.ok, false);
  assert.match(refused!.error ?? '', /^ECONNREFUSED: /);
});

test('a closed UDP port answers with ECONNREFUSED: that proves the address, both families', async (t) => {
  const targets: ProbeTarget[] = [{ node: 'lo4', address: '127.0.0.1', family: 4 }];
  if (await ipv6Loopback()) targets.push({ node: 'lo6', address: '::1', family: 6 });
  else t.diagnostic('no ::1 here: only IPv4 checked');
  const results = await probeTargets(targets);
  for (const r of results) {
    assert.equal(r.method, 'udp-refused');
    assert.equal(r.ok, true, r.error);
    assert.ok(r.ms >= 0 && r.ms < 1500);
  }
});

test('a DNS answer proves the address; silence fails with ETIMEDOUT within the budget', async (t) => {
  const v6 = await ipv6Loopback();
  const answering = await udpServer(t, v6 ? 'udp6' : 'udp4', true);
  const silent = await udpServer(t, 'udp4', false);
  const addr = v6 ? '::1' : '127.0.0.1';
  const started = performance.now();
  const [good, quiet] = await probeTargets(
    [
      { node: 'dns', address: addr, family: v6 ? 6 : 4, dnsPort: answering, dnsName: 'local' },
      { node: 'mute', address: '127.0.0.1', family: 4, dnsPort: silent },
    ],
    { timeoutMs: 600 },
  );
  assert.equal(good!.ok, true, good!.error);
  assert.equal(good!.method, 'dns');
  assert.equal(quiet!.ok, false);
  assert.match(quiet!.error ?? '', /^ETIMEDOUT: /);
  // two attempts and a pause fit the budget; generous bound for a loaded machine
  assert.ok(performance.now() - started < 3000);
});

test('probe main.ts prints { results } as JSON and exits 0 even when a target fails', async (t) => {
  const dir = await tempDir(t, 'dslab-probe-');
  const open = await tcpListener(t, '127.0.0.1');
  const closed = await closedTcpPort('127.0.0.1');
  const config = join(dir, 'probe.json');
  await writeFile(
    config,
    JSON.stringify({
      targets: [
        { node: 'web', address: '127.0.0.1', family: 4, tcpPort: open },
        { node: 'web', address: '127.0.0.1', family: 4, tcpPort: closed },
        { node: 'client', address: '127.0.0.1', family: 4 },
      ],
    }),
  );
  const child = spawn(process.execPath, [serviceMain('probe'), '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  assert.equal(await waitExit(child), 0);
  const { results } = JSON.parse(out) as { results: Array<{ ok: boolean; method: string; node: string }> };
  assert.deepEqual(
    results.map((r) => [r.node, r.method, r.ok]),
    [
      ['web', 'tcp', true],
      ['web', 'tcp', false],
      ['client', 'udp-refused', true],
    ],
  );
});
