// One CoreDNS-style log line per query: client, id, question, transport, rcode, flags, size, time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDnsServer } from '../src/services/dns/server.js';
import { loopbackConfig, portOf, record, tcpQueries, udpExchange, udpQuery } from './helpers/dns-lab.js';

const LINE = /^\[INFO\] (\S+):(\d+) - (\d+) "(\S+) (\S+) (\S+) (udp|tcp) (\d+) (true|false) (\d+)" (\S+) (\S+) (\d+) (\d+\.\d{9})s$/;

test('each query logs one line in the CoreDNS format, IPv6 clients in brackets', async () => {
  const lines: string[] = [];
  const server = await startDnsServer(loopbackConfig([record('gone.local', 'AAAA', 'fd00:dead:beef::10', { drop: true })]), { log: (l) => lines.push(l) });
  try {
    await udpQuery('127.0.0.1', portOf(server.addresses()), 'dual-ok.local', 'AAAA', { id: 12345, edns: true });
    await udpQuery('::1', portOf(server.addresses(), 6), 'nope.local', 'A', { id: 2 });
    await tcpQueries('127.0.0.1', portOf(server.addresses(), 4, 'tcp'), [{ name: 'example.com', type: 'A', id: 3 }]);
    await udpQuery('127.0.0.1', portOf(server.addresses()), 'gone.local', 'AAAA', { id: 4, timeoutMs: 200 });
    await udpExchange('127.0.0.1', portOf(server.addresses()), Buffer.from([9, 9, 9]), 200);

    assert.equal(lines.length, 5, lines.join('\n'));
    const first = LINE.exec(lines[0]!);
    assert.ok(first, lines[0]);
    // groups: client, port, id, type, class, name, transport, size, do, bufsize, rcode, flags, rsize, seconds
    const [, client, , id, type, klass, name, transport, size, dnssecOk, bufsize, rcode, flags, rsize, seconds] = first;
    assert.deepEqual([client, id, type, klass, name, transport, dnssecOk, bufsize, rcode, flags], ['127.0.0.1', '12345', 'AAAA', 'IN', 'dual-ok.local.', 'udp', 'false', '1232', 'NOERROR', 'qr,aa,rd']);
    assert.ok(Number(size) > 12, 'query size');
    assert.ok(Number(rsize) > Number(size), 'the response holds the question and an answer');
    assert.ok(Number(seconds) < 5, 'duration in seconds');

    const second = LINE.exec(lines[1]!);
    assert.ok(second, lines[1]);
    assert.equal(second[1], '[::1]');
    assert.equal(second[10], '512');
    assert.equal(second[11], 'NXDOMAIN');

    const third = LINE.exec(lines[2]!);
    assert.ok(third, lines[2]);
    assert.equal(third[7], 'tcp');
    assert.equal(third[11], 'REFUSED');
    assert.equal(third[12], 'qr,rd');

    assert.match(lines[3]!, /^\[INFO\] 127\.0\.0\.1:\d+ - 4 "AAAA IN gone\.local\. udp \d+ false 512" DROPPED - 0 \d+\.\d{9}s$/);
    assert.match(lines[4]!, /^\[ERROR\] 127\.0\.0\.1:\d+ - malformed udp message of 3 bytes dropped: /);
  } finally {
    await server.close();
  }
});
