/**
 * Every type row: an address inside each range is classified as that row, with its RFC and
 * counterpart; and what some types carry inside (multicast scope and group, embedded IPv4 of
 * mapped, NAT64, 6to4 and Teredo addresses, the MAC inside an EUI-64 interface ID).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainAddress, rangeRows } from '../src/addr/index.js';

/** One address per row (keyed by the row's range) and the type it must get. */
const EXAMPLES: Record<string, [string, string]> = {
  '::/128': ['::', 'unspecified'],
  '::1/128': ['::1', 'loopback'],
  '::ffff:0:0/96': ['::ffff:192.0.2.1', 'ipv4-mapped'],
  '::ffff:0:0:0/96': ['::ffff:0:192.0.2.1', 'ipv4-translated'],
  '64:ff9b::/96': ['64:ff9b::192.0.2.33', 'nat64'],
  '64:ff9b:1::/48': ['64:ff9b:1::a00:1', 'nat64-local'],
  '100::/64': ['100::1', 'discard'],
  '2001::/23': ['2001:100::1', 'ietf-protocol'],
  '2001::/32': ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'teredo'],
  '2001:2::/48': ['2001:2::1', 'benchmarking'],
  '2001:20::/28': ['2001:20::1', 'orchid-v2'],
  '2001:db8::/32': ['2001:db8::1', 'documentation'],
  '3fff::/20': ['3fff:fff::1', 'documentation'],
  '2002::/16': ['2002:c000:201::1', '6to4'],
  '2000::/3': ['2606:4700::1111', 'gua'],
  'fc00::/7': ['fd00:dead:beef::10', 'ula'],
  'fec0::/10': ['fec0::1', 'site-local'],
  'fe80::/10': ['fe80::1', 'link-local'],
  'ff00::/8': ['ff02::1', 'multicast'],
  '::/0': ['4000::1', 'reserved'],
  '0.0.0.0/8': ['0.1.2.3', 'this-network'],
  '0.0.0.0/32': ['0.0.0.0', 'unspecified'],
  '10.0.0.0/8': ['10.1.2.3', 'private'],
  '172.16.0.0/12': ['172.30.0.10', 'private'],
  '192.168.0.0/16': ['192.168.1.1', 'private'],
  '100.64.0.0/10': ['100.64.0.1', 'shared'],
  '127.0.0.0/8': ['127.0.0.1', 'loopback'],
  '169.254.0.0/16': ['169.254.10.20', 'link-local'],
  '192.0.0.0/24': ['192.0.0.8', 'ietf-protocol'],
  '192.0.2.0/24': ['192.0.2.1', 'documentation'],
  '198.51.100.0/24': ['198.51.100.7', 'documentation'],
  '203.0.113.0/24': ['203.0.113.9', 'documentation'],
  '192.88.99.0/24': ['192.88.99.1', '6to4-relay'],
  '198.18.0.0/15': ['198.19.255.1', 'benchmarking'],
  '224.0.0.0/4': ['224.0.0.251', 'multicast'],
  '240.0.0.0/4': ['240.0.0.1', 'reserved'],
  '255.255.255.255/32': ['255.255.255.255', 'broadcast'],
  '0.0.0.0/0': ['8.8.8.8', 'public'],
};

test('every type row has an example here', () => {
  for (const row of rangeRows()) assert.ok(EXAMPLES[row.cidr], `no example for ${row.cidr} (${row.type})`);
});

for (const row of rangeRows()) {
  const [address, type] = EXAMPLES[row.cidr] ?? ['', ''];
  test(`type row ${row.cidr}: ${address} is ${type}`, () => {
    const t = explainAddress(address).type;
    assert.equal(t.type, type);
    assert.equal(t.type, row.type);
    assert.equal(t.range, row.cidr);
    assert.equal(t.rfc, row.rfc);
    assert.ok(t.counterpart.length > 0);
  });
}

test('the article\'s table: ULA ~ RFC 1918, LLA ~ 169.254/16, multicast ~ 224/4, GUA ~ public', () => {
  assert.deepEqual(explainAddress('fd00::1').type.counterpartPrefixes, ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']);
  assert.match(explainAddress('fd00::1').type.counterpart, /172\.30\.0\.0\/24/);
  assert.deepEqual(explainAddress('fe80::1').type.counterpartPrefixes, ['169.254.0.0/16']);
  assert.deepEqual(explainAddress('ff02::1').type.counterpartPrefixes, ['224.0.0.0/4']);
  assert.match(explainAddress('2001:4860::1').type.counterpart, /public IPv4/);
  assert.deepEqual(explainAddress('10.0.0.1').type.counterpartPrefixes, ['fc00::/7']);
  assert.deepEqual(explainAddress('127.0.0.1').type.counterpartPrefixes, ['::1/128']);
});

test('multicast scope, flags and well-known groups', () => {
  const scopes: Array<[string, string]> = [
    ['ff01::1', 'interface-local'],
    ['ff02::2', 'link-local'],
    ['ff03::1', 'realm-local'],
    ['ff04::1', 'admin-local'],
    ['ff05::1:3', 'site-local'],
    ['ff08::1', 'organization-local'],
    ['ff0e::101', 'global'],
    ['ff00::1', 'reserved'],
    ['ff06::1', 'unassigned'],
  ];
  for (const [address, scope] of scopes) assert.equal(explainAddress(address).type.multicast?.scopeName, scope, address);
  assert.match(explainAddress('ff02::1').type.multicast?.group ?? '', /all nodes/);
  assert.match(explainAddress('ff02::1:ff12:3456').type.multicast?.group ?? '', /solicited-node.*12:3456/);
  assert.deepEqual(explainAddress('ff3e::8000:1').type.multicast?.flags, { rendezvous: false, prefixBased: true, transient: true });
  assert.equal(explainAddress('ff02::1').type.multicast?.flags.transient, false);
});

test('embedded IPv4 addresses are taken out', () => {
  assert.equal(explainAddress('::ffff:192.0.2.1').type.embeddedIpv4?.[0]?.address, '192.0.2.1');
  assert.equal(explainAddress('64:ff9b::c000:221').type.embeddedIpv4?.[0]?.address, '192.0.2.33');
  assert.equal(explainAddress('2002:c000:0201::1').type.embeddedIpv4?.[0]?.address, '192.0.2.1');
  // RFC 4380 §4's example: server 65.54.227.120, client 192.0.2.45 port 40000
  const teredo = explainAddress('2001:0000:4136:e378:8000:63bf:3fff:fdd2').type.embeddedIpv4 ?? [];
  assert.equal(teredo[0]?.address, '65.54.227.120');
  assert.equal(teredo[1]?.address, '192.0.2.45');
  assert.match(teredo[1]?.role ?? '', /port is 40000/);
});

test('a modified EUI-64 interface ID gives back its MAC address', () => {
  assert.equal(explainAddress('fe80::5054:ff:fe12:3456').type.eui64Mac, '52:54:00:12:34:56');
  assert.equal(explainAddress('2001:db8::211:22ff:fe33:4455').type.eui64Mac, '00:11:22:33:44:55');
  assert.equal(explainAddress('fe80::1').type.eui64Mac, undefined);
});

test('a prefix is typed as a whole', () => {
  assert.equal(explainAddress('fd00::/8').type.type, 'ula');
  assert.equal(explainAddress('2001:db8::/32').type.type, 'documentation');
  assert.equal(explainAddress('2001:db8::/16').type.type, 'gua', 'a /16 around 2001:db8::/32 is wider than the documentation prefix');
  assert.equal(explainAddress('172.30.0.0/24').type.type, 'private');
});

test('a prefix wider than one type is "mixed", and the ranges inside a prefix are listed', () => {
  for (const text of ['::/0', '::/64', '0.0.0.0/0', '128.0.0.0/1']) {
    const e = explainAddress(text);
    assert.equal(e.type.type, 'mixed', text);
    assert.ok((e.containsRanges ?? []).length > 1, text);
  }
  assert.deepEqual(explainAddress('::/64').containsRanges?.map((r) => r.range), ['::/128', '::1/128', '::ffff:0:0/96', '::ffff:0:0:0/96']);
  const gua = explainAddress('2001:db8::/16');
  assert.equal(gua.type.type, 'gua');
  assert.ok(gua.containsRanges?.some((r) => r.range === '2001:db8::/32' && r.type === 'documentation'));
  assert.match(gua.notes.join(' '), /also contains 5 special ranges/);
  assert.equal(explainAddress('4000::/2').type.type, 'reserved', 'nothing special inside 4000::/2');
  assert.equal(explainAddress('4000::/2').containsRanges, undefined);
  assert.equal(explainAddress('8.0.0.0/8').type.type, 'public');
  assert.equal(explainAddress('2001:db8::/32').containsRanges, undefined);
});

test('lab addresses are named', () => {
  assert.match(explainAddress('fd00:dead:beef::9999').notes.join(' '), /dual-badv6\.local/);
  assert.match(explainAddress('172.30.0.53').notes.join(' '), /dns node/);
  assert.match(explainAddress('fd00:dead:beef::77').notes.join(' '), /lab's IPv6 network/);
});
