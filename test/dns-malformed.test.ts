// Malformed messages are counted and dropped; the server keeps answering afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import { startDnsServer } from '../src/services/dns/server.js';
import { decodeReply, loopbackConfig, portOf, udpBurst, udpExchange, udpQuery } from './helpers/dns-lab.js';

function tcpSendUntilClosed(port: number, bytes: Buffer, timeoutMs = 2000): Promise<'closed' | 'open'> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('open');
    }, timeoutMs);
    socket.on('error', reject);
    socket.on('connect', () => socket.write(bytes));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve('closed');
    });
  });
}

test('random bytes, truncated headers and responses over UDP are dropped and counted', async () => {
  const server = await startDnsServer(loopbackConfig());
  try {
    const port = portOf(server.addresses());
    const good = dnsPacket.encode({ type: 'query', id: 7, questions: [{ type: 'A', name: 'dual-ok.local' }] });
    const junk = [
      Buffer.from([1, 2, 3]), // shorter than a header
      good.subarray(0, 12 + 5), // header promises a question that is cut off
      Buffer.concat([good.subarray(0, 12), Buffer.from([0xc0, 0xff])]), // compression pointer past the end
      dnsPacket.encode({ type: 'response', id: 8, questions: [{ type: 'A', name: 'dual-ok.local' }] }), // not a query
    ];
    for (let i = 0; i < 20; i++) junk.push(randomBytes(1 + (i * 37) % 300));
    assert.deepEqual(await udpBurst('127.0.0.1', port, junk, 300), [], 'no answer to any of them');
    const stats = server.stats();
    assert.ok(stats.malformed >= 4, `malformed ${stats.malformed}`);
    assert.equal(stats.malformed + stats.queries, junk.length, 'every message is either a query or malformed');
    assert.deepEqual((await udpQuery('127.0.0.1', port, 'dual-ok.local', 'A'))?.answers?.map((a) => a.data), ['172.30.0.10']);
  } finally {
    await server.close();
  }
});

test('a TCP length prefix shorter than a header closes that connection only; a long one waits', async () => {
  const server = await startDnsServer(loopbackConfig(), { tcpIdleTimeoutMs: 500 });
  try {
    const port = portOf(server.addresses(), 4, 'tcp');
    assert.equal(await tcpSendUntilClosed(port, Buffer.from([0, 3, 1, 2, 3])), 'closed');
    assert.equal(server.stats().malformed, 1);
    // a prefix promising more than is sent: the idle timeout ends it
    assert.equal(await tcpSendUntilClosed(port, Buffer.from([0x01, 0x00, 1, 2, 3]), 3000), 'closed');
    // a well-framed message whose contents are junk: counted, the connection stays usable
    const junk = Buffer.from([0, 14, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0xff]); // one question: a pointer past the end
    const good = dnsPacket.streamEncode({ type: 'query', id: 5, questions: [{ type: 'AAAA', name: 'dual-ok.local' }] });
    const reply = await new Promise<Buffer>((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(Buffer.concat([junk, good])));
      socket.on('error', reject);
      socket.on('data', (chunk: Buffer) => {
        socket.destroy();
        resolve(chunk);
      });
    });
    assert.deepEqual(decodeReply(reply.subarray(2)).answers?.map((a) => a.data), ['fd00:dead:beef::10']);
    assert.equal(server.stats().malformed, 2);
  } finally {
    await server.close();
  }
});

test('multiple questions get FORMERR and other opcodes NOTIMP', async () => {
  const server = await startDnsServer(loopbackConfig());
  try {
    const port = portOf(server.addresses());
    const two = dnsPacket.encode({ type: 'query', id: 1, questions: [{ type: 'A', name: 'dual-ok.local' }, { type: 'AAAA', name: 'dual-ok.local' }] });
    assert.equal(decodeReply((await udpExchange('127.0.0.1', port, two))!).rcode, 'FORMERR');
    const notify = dnsPacket.encode({ type: 'query', id: 2, flags: 4 << 11, questions: [{ type: 'SOA', name: 'local' }] });
    assert.equal(decodeReply((await udpExchange('127.0.0.1', port, notify))!).rcode, 'NOTIMP');
    const stats = server.stats();
    assert.equal(stats.answers.FORMERR, 1);
    assert.equal(stats.answers.NOTIMP, 1);
  } finally {
    await server.close();
  }
});

test('thousands of mutated queries (bit flips, cuts, odd types and classes) never crash it', async () => {
  const server = await startDnsServer(loopbackConfig());
  try {
    const port = portOf(server.addresses());
    const seeds = [
      dnsPacket.encode({ type: 'query', id: 1, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'AAAA', name: 'dual-ok.local' }], additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096 } as unknown as dnsPacket.Answer] }),
      dnsPacket.encode({ type: 'query', id: 2, questions: [{ type: 'PTR', name: '10.0.30.172.in-addr.arpa', class: 'CH' }] }),
    ];
    // a deterministic generator so a failure can be replayed
    let state = 12345;
    const next = (n: number): number => ((state = (state * 1103515245 + 12345) & 0x7fffffff) % n);
    const batch: Buffer[] = [];
    let sent = 0;
    for (let i = 0; i < 3000; i++) {
      const m = Buffer.from(seeds[i % seeds.length]!);
      for (let flips = 1 + next(4); flips > 0; flips--) {
        const at = next(m.length);
        m[at] = m[at]! ^ (1 << next(8));
      }
      const cut = next(5) === 0 ? m.subarray(0, next(m.length) + 1) : m;
      batch.push(cut);
      if (batch.length === 100) {
        // small batches so that the socket buffers hold them all: every message must arrive
        await udpBurst('127.0.0.1', port, batch.splice(0), 30);
        sent += 100;
        assert.equal((await udpQuery('127.0.0.1', port, 'dual-ok.local', 'A'))?.rcode, 'NOERROR');
      }
    }
    const stats = server.stats();
    assert.equal(stats.queries + stats.malformed, sent + sent / 100, JSON.stringify(stats));
    assert.deepEqual((await udpQuery('127.0.0.1', port, 'dual-ok.local', 'AAAA'))?.answers?.map((a) => a.data), ['fd00:dead:beef::10']);
  } finally {
    await server.close();
  }
});
