// buildDnsConfig from a topology, reverse names, and config validation errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDslabError } from '../src/errors.js';
import { buildDnsConfig, parseDnsConfig, reverseName } from '../src/services/dns/config.js';
import { articleTopology, loopbackConfig } from './helpers/dns-lab.js';

test('buildDnsConfig listens on each node address, adds PTRs, node names and reverse zones', () => {
  const topology = articleTopology();
  const config = buildDnsConfig(topology, topology.nodes.find((n) => n.name === 'dns')!);
  assert.deepEqual(config.listen, [{ address: '172.30.0.53', port: 53 }, { address: 'fd00:dead:beef::53', port: 53 }]);
  assert.deepEqual(config.zones, ['local', '0.30.172.in-addr.arpa', '0.0.0.0.f.e.e.b.d.a.e.d.0.0.d.f.ip6.arpa']);
  assert.deepEqual(config.ptr.find((p) => p.address === 'fd00:dead:beef::10'), { address: 'fd00:dead:beef::10', name: 'web.local' });
  assert.equal(config.ptr.length, 6);
  assert.ok(config.records.some((r) => r.name === 'client.local' && r.type === 'A' && r.address === '172.30.0.20'));
  assert.equal(config.soa.mname, 'dns.local');
  // the result survives a JSON round trip through the validator unchanged
  assert.deepEqual(parseDnsConfig(JSON.parse(JSON.stringify(config))), config);
});

test('reverseName spells both families as DNS does', () => {
  assert.equal(reverseName('172.30.0.10'), '10.0.30.172.in-addr.arpa');
  assert.equal(reverseName('fd00:dead:beef::10'), '0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.f.e.e.b.d.a.e.d.0.0.d.f.ip6.arpa');
});

test('parseDnsConfig rejects bad input with DSLAB_E_DNS_CONFIG, the field and the value', () => {
  const good = loopbackConfig();
  const cases: Array<[unknown, string, unknown]> = [
    [{ ...good, listen: [{ address: 'localhost', port: 53 }] }, 'listen.0.address', 'localhost'],
    [{ ...good, listen: [{ address: '::1', port: 70000 }] }, 'listen.0.port', 70000],
    [{ ...good, listen: [] }, 'listen', []],
    [{ ...good, records: [{ ...good.records[0], type: 'MX' }] }, 'records.0.type', 'MX'],
    [{ ...good, records: [{ ...good.records[0], type: 'A', address: 'fd00::1' }] }, 'records.0.address', 'fd00::1'],
    [{ ...good, records: [{ ...good.records[0], delayMs: -1 }] }, 'records.0.delayMs', -1],
    [{ ...good, records: [{ ...good.records[0], drop: 'yes' }] }, 'records.0.drop', 'yes'],
    [{ ...good, zones: ['bad..name'] }, 'zones.0', 'bad..name'],
    [{ ...good, soa: undefined }, 'soa', undefined],
    ['nope', '(root)', 'nope'],
  ];
  for (const [input, field, value] of cases) {
    assert.throws(
      () => parseDnsConfig(input),
      (err: unknown) => isDslabError(err, 'DSLAB_E_DNS_CONFIG') && err.field === field && JSON.stringify(err.value) === JSON.stringify(value),
      `expected an error for ${field}`,
    );
  }
});

test('the default lab file gives a config with the article records that passes validation', async () => {
  const { loadLab } = await import('../src/lab/load.js');
  const topology = await loadLab();
  const dnsNode = topology.nodes.find((n) => n.role === 'dns');
  assert.ok(dnsNode, 'the default lab has a dns node');
  const config = parseDnsConfig(JSON.parse(JSON.stringify(buildDnsConfig(topology, dnsNode))));
  const ok = config.records.filter((r) => r.name === 'dual-ok.local').map((r) => `${r.type} ${r.address}`).sort();
  assert.deepEqual(ok, ['A 172.30.0.10', 'AAAA fd00:dead:beef::10']);
  assert.ok(config.records.some((r) => r.name === 'dual-badv6.local' && r.address === 'fd00:dead:beef::9999'));
  assert.ok(config.zones.includes('local'));
});
