// The DNS server's answers, asked with a dns-packet client over UDP and TCP on both families.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDnsServer, type DnsServerHandle } from '../src/services/dns/server.js';
import { loopbackConfig, portOf, record, tcpQueries, udpQuery, type Reply } from './helpers/dns-lab.js';

const many = Array.from({ length: 40 }, (_, i) => record('many.local', 'AAAA', `fd00:dead:beef::${(i + 1).toString(16)}`));

async function withServer(fn: (server: DnsServerHandle) => Promise<void>): Promise<void> {
  const server = await startDnsServer(loopbackConfig(many));
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

function dataOf(packet: Reply | undefined): unknown[] {
  return (packet?.answers ?? []).map((a) => a.data);
}

function flagsOf(packet: Reply | undefined): number {
  return packet?.flags ?? -1;
}

test('A and AAAA for both article names over UDP on IPv4 and IPv6', async () => {
  await withServer(async (server) => {
    for (const [family, address] of [[4, '127.0.0.1'], [6, '::1']] as const) {
      const port = portOf(server.addresses(), family);
      assert.deepEqual(dataOf(await udpQuery(address, port, 'dual-ok.local', 'A')), ['172.30.0.10']);
      assert.deepEqual(dataOf(await udpQuery(address, port, 'dual-ok.local', 'AAAA')), ['fd00:dead:beef::10']);
      assert.deepEqual(dataOf(await udpQuery(address, port, 'dual-badv6.local', 'A')), ['172.30.0.10']);
      assert.deepEqual(dataOf(await udpQuery(address, port, 'dual-badv6.local', 'AAAA')), ['fd00:dead:beef::9999']);
    }
  });
});

test('answers are authoritative, copy RD and id, never offer recursion', async () => {
  await withServer(async (server) => {
    const reply = await udpQuery('127.0.0.1', portOf(server.addresses()), 'dual-ok.local', 'A', { id: 4242 });
    assert.equal(reply?.id, 4242);
    assert.equal(reply?.rcode, 'NOERROR');
    const flags = flagsOf(reply);
    assert.ok(flags & 0x0400, 'AA set');
    assert.ok(flags & 0x0100, 'RD copied');
    assert.equal(flags & 0x0080, 0, 'RA clear');
    assert.equal(reply?.answers?.[0]?.ttl, 3600);
  });
});

test('NODATA: a name without the asked type gives NOERROR, no answer, SOA in authority', async () => {
  await withServer(async (server) => {
    const reply = await udpQuery('127.0.0.1', portOf(server.addresses()), 'v4only.local', 'AAAA');
    assert.equal(reply?.rcode, 'NOERROR');
    assert.equal(reply?.answers?.length, 0);
    assert.equal(reply?.authorities?.length, 1);
    assert.equal(reply?.authorities?.[0]?.type, 'SOA');
    assert.equal(reply?.authorities?.[0]?.name, 'local');
    // a type the server has no records of at all is NODATA too, not an error
    const mx = await udpQuery('127.0.0.1', portOf(server.addresses()), 'dual-ok.local', 'MX');
    assert.equal(mx?.rcode, 'NOERROR');
    assert.equal(mx?.answers?.length, 0);
    assert.equal(mx?.authorities?.[0]?.type, 'SOA');
  });
});

test('NXDOMAIN with SOA for an unknown name inside the zone', async () => {
  await withServer(async (server) => {
    const reply = await udpQuery('127.0.0.1', portOf(server.addresses()), 'no-such-host.local', 'A');
    assert.equal(reply?.rcode, 'NXDOMAIN');
    assert.equal(reply?.answers?.length, 0);
    assert.equal(reply?.authorities?.[0]?.type, 'SOA');
    assert.ok(flagsOf(reply) & 0x0400, 'AA set');
  });
});

test('REFUSED for names outside the lab zones: no recursion, no forwarding', async () => {
  await withServer(async (server) => {
    for (const name of ['example.com', 'localhost', 'local.example']) {
      const reply = await udpQuery('127.0.0.1', portOf(server.addresses()), name, 'A');
      assert.equal(reply?.rcode, 'REFUSED', name);
      assert.equal(reply?.answers?.length, 0);
      assert.equal(flagsOf(reply) & 0x0400, 0, 'not authoritative');
    }
  });
});

test('PTR for node addresses of both families; NXDOMAIN for other addresses of the subnet', async () => {
  await withServer(async (server) => {
    const port = portOf(server.addresses());
    assert.deepEqual(dataOf(await udpQuery('127.0.0.1', port, '10.0.30.172.in-addr.arpa', 'PTR')), ['web.local']);
    const v6 = '3.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.f.e.e.b.d.a.e.d.0.0.d.f.ip6.arpa';
    assert.deepEqual(dataOf(await udpQuery('127.0.0.1', port, v6, 'PTR')), ['dns.local']);
    assert.equal((await udpQuery('127.0.0.1', port, '99.0.30.172.in-addr.arpa', 'PTR'))?.rcode, 'NXDOMAIN');
    // and the forward names the PTRs point to exist
    assert.deepEqual(dataOf(await udpQuery('127.0.0.1', port, 'client.local', 'AAAA')), ['fd00:dead:beef::20']);
  });
});

test('SOA and NS at the zone apex; ANY returns every record of the name', async () => {
  await withServer(async (server) => {
    const port = portOf(server.addresses());
    const soa = await udpQuery('127.0.0.1', port, 'local', 'SOA');
    assert.equal(soa?.answers?.[0]?.type, 'SOA');
    assert.equal((soa?.answers?.[0] as { data: { mname: string } }).data.mname, 'dns.local');
    assert.deepEqual(dataOf(await udpQuery('127.0.0.1', port, 'local', 'NS')), ['dns.local']);
    const any = await udpQuery('127.0.0.1', port, 'dual-ok.local', 'ANY');
    assert.deepEqual(any?.answers?.map((a) => a.type).sort(), ['A', 'AAAA']);
  });
});

test('names match case-insensitively and the question is echoed as asked', async () => {
  await withServer(async (server) => {
    const reply = await udpQuery('127.0.0.1', portOf(server.addresses()), 'DuAl-Ok.LoCaL', 'A');
    assert.deepEqual(dataOf(reply), ['172.30.0.10']);
    assert.equal(reply?.questions?.[0]?.name, 'DuAl-Ok.LoCaL');
  });
});

test('TCP on both families, several pipelined queries on one connection', async () => {
  await withServer(async (server) => {
    for (const [family, address] of [[4, '127.0.0.1'], [6, '::1']] as const) {
      const port = portOf(server.addresses(), family, 'tcp');
      const replies = await tcpQueries(address, port, [
        { name: 'dual-ok.local', type: 'A', id: 1 },
        { name: 'dual-ok.local', type: 'AAAA', id: 2 },
        { name: 'nope.local', type: 'A', id: 3 },
        { name: 'example.com', type: 'A', id: 4 },
      ]);
      const byId = new Map(replies.map((r) => [r.id, r]));
      assert.deepEqual(dataOf(byId.get(1)), ['172.30.0.10']);
      assert.deepEqual(dataOf(byId.get(2)), ['fd00:dead:beef::10']);
      assert.equal(byId.get(3)?.rcode, 'NXDOMAIN');
      assert.equal(byId.get(4)?.rcode, 'REFUSED');
    }
  });
});

test('EDNS: an OPT in the query gets an OPT with payload 1232 back; none without', async () => {
  await withServer(async (server) => {
    const port = portOf(server.addresses());
    const withOpt = await udpQuery('127.0.0.1', port, 'dual-ok.local', 'A', { edns: true });
    const opt = withOpt?.additionals?.find((a) => a.type === 'OPT');
    assert.equal(opt?.udpPayloadSize, 1232);
    const without = await udpQuery('127.0.0.1', port, 'dual-ok.local', 'A');
    assert.equal(without?.additionals?.length, 0);
    // the DO bit is copied back (RFC 3225); an EDNS version we do not speak gets BADVERS
    const withDo = await udpQuery('127.0.0.1', port, 'dual-ok.local', 'A', { edns: true, dnssecOk: true });
    assert.equal((withDo?.additionals?.find((a) => a.type === 'OPT')?.flags ?? 0) & 0x8000, 0x8000);
    const v1 = await udpQuery('127.0.0.1', port, 'dual-ok.local', 'A', { edns: true, ednsVersion: 1 });
    assert.equal(v1?.additionals?.find((a) => a.type === 'OPT')?.extendedRcode, 1, 'BADVERS is extended rcode 16');
    assert.equal(v1?.answers?.length, 0);
    assert.equal(server.stats().answers.BADVERS, 1);
  });
});

test('a UDP answer too big for 512 bytes is truncated (TC) and complete over TCP', async () => {
  await withServer(async (server) => {
    const port = portOf(server.addresses());
    const udp = await udpQuery('127.0.0.1', port, 'many.local', 'AAAA');
    assert.ok(flagsOf(udp) & 0x0200, 'TC set');
    assert.equal(udp?.answers?.length, 0);
    const [tcp] = await tcpQueries('127.0.0.1', port, [{ name: 'many.local', type: 'AAAA', id: 9 }]);
    assert.equal(tcp?.answers?.length, 40);
    assert.equal(flagsOf(tcp) & 0x0200, 0);
    assert.equal(server.stats().truncated, 1);
  });
});
