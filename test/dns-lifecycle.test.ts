// The server leaves nothing behind: after close() its ports are free and its connections gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { startDnsServer } from '../src/services/dns/server.js';
import { loopbackConfig, portOf, udpQuery } from './helpers/dns-lab.js';

function canBindUdp(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4');
    s.once('error', () => resolve(false));
    s.bind(port, address, () => s.close(() => resolve(true)));
  });
}

function canListenTcp(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, address, () => s.close(() => resolve(true)));
  });
}

test('UDP and TCP share one port per address; close() frees them and drops open TCP clients', async () => {
  const server = await startDnsServer(loopbackConfig());
  const bound = server.addresses();
  assert.equal(bound.length, 4);
  for (const family of [4, 6] as const) assert.equal(portOf(bound, family, 'udp'), portOf(bound, family, 'tcp'));
  assert.deepEqual((await udpQuery('127.0.0.1', portOf(bound), 'dual-ok.local', 'A'))?.rcode, 'NOERROR');

  for (const b of bound) {
    if (b.transport === 'udp') assert.equal(await canBindUdp(b.address, b.port), false, 'port is held while running');
  }
  const client = net.connect({ host: '127.0.0.1', port: portOf(bound, 4, 'tcp') });
  await new Promise((r) => client.once('connect', r));
  const clientClosed = new Promise((r) => client.once('close', r));
  client.on('error', () => {});

  await server.close();
  await clientClosed;
  for (const b of bound) {
    const free = b.transport === 'udp' ? await canBindUdp(b.address, b.port) : await canListenTcp(b.address, b.port);
    assert.equal(free, true, `${b.transport} ${b.address}:${b.port} is free after close`);
  }
  await server.close(); // a second close is harmless
});

test('a listen address this host does not have fails with DSLAB_E_SERVICE_FAILED and binds nothing', async () => {
  // a port known to be free: the failed start must leave it free again
  const probe = await startDnsServer({ ...loopbackConfig(), listen: [{ address: '127.0.0.1', port: 0 }] });
  const port = portOf(probe.addresses());
  await probe.close();
  const config = { ...loopbackConfig(), listen: [{ address: '127.0.0.1', port }, { address: '192.0.2.1', port }] };
  await assert.rejects(startDnsServer(config), (err: unknown) => {
    const e = err as { code?: string; field?: string; value?: string };
    return e.code === 'DSLAB_E_SERVICE_FAILED' && e.field === 'listen.1.address' && e.value === '192.0.2.1';
  });
  assert.equal(await canBindUdp('127.0.0.1', port), true, 'the first listener was released');
  assert.equal(await canListenTcp('127.0.0.1', port), true);
});
