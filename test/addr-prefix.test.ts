/**
 * Prefixes in numbers (network, first and last, size in 2^n and words, IPv4 hosts), reverse
 * zones, and splitting a prefix into subnets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainAddress, sizeInWords, splitSubnets } from '../src/addr/index.js';

test('sizes in words', () => {
  assert.equal(sizeInWords(1n << 64n), '18,446,744,073,709,551,616 (about 18.4 quintillion)');
  assert.equal(sizeInWords(256n), '256');
  assert.equal(sizeInWords(1n << 32n), '4,294,967,296 (about 4.29 billion)');
  assert.equal(sizeInWords(1n << 128n), '340,282,366,920,938,463,463,374,607,431,768,211,456 (about 340 undecillion)');
  assert.equal(sizeInWords(999_999n), '999,999 (about 1 million)');
  assert.equal(sizeInWords(1500n), '1,500 (exactly 1.5 thousand)');
});

test('the article\'s /64: network, first, last and about 18.4 quintillion addresses', () => {
  const p = explainAddress('fd00:dead:beef::/64').prefix;
  assert.ok(p);
  assert.equal(p.network, 'fd00:dead:beef::');
  assert.equal(p.first, 'fd00:dead:beef::');
  assert.equal(p.last, 'fd00:dead:beef:0:ffff:ffff:ffff:ffff');
  assert.equal(p.size.power, '2^64');
  assert.equal(p.size.exact, (1n << 64n).toString());
  assert.match(p.size.words, /18\.4 quintillion/);
  assert.equal(p.hostBitsSet, false);
  assert.match(p.notes.join(' '), /SLAAC/);
});

test('the article\'s IPv4 /24: 254 host addresses', () => {
  const p = explainAddress('172.30.0.0/24').prefix;
  assert.equal(p?.netmask, '255.255.255.0');
  assert.equal(p?.broadcast, '172.30.0.255');
  assert.deepEqual(p?.usableHosts, { first: '172.30.0.1', last: '172.30.0.254', count: '254' });
  assert.equal(explainAddress('10.0.0.0/31').prefix?.usableHosts?.count, '2');
  assert.equal(explainAddress('10.0.0.7/32').prefix?.usableHosts?.count, '1');
});

test('host bits set: the address and its network', () => {
  const e = explainAddress('2001:db8::1/64');
  assert.equal(e.prefix?.hostBitsSet, true);
  assert.equal(e.prefix?.prefix, '2001:db8::/64');
  assert.equal(e.forms.canonical, '2001:db8::1');
});

test('reverse zones on and between boundaries', () => {
  assert.deepEqual(explainAddress('2001:db8::/32').reverse.zones, { zones: ['8.b.d.0.1.0.0.2.ip6.arpa'], count: 1, aligned: true });
  const z = explainAddress('2001:db8::/30').reverse.zones;
  assert.equal(z?.count, 4);
  assert.deepEqual(z?.zones, ['8.b.d.0.1.0.0.2.ip6.arpa', '9.b.d.0.1.0.0.2.ip6.arpa', 'a.b.d.0.1.0.0.2.ip6.arpa', 'b.b.d.0.1.0.0.2.ip6.arpa']);
  assert.deepEqual(explainAddress('172.30.0.0/24').reverse.zones?.zones, ['0.30.172.in-addr.arpa']);
  assert.equal(explainAddress('10.0.0.0/12').reverse.zones?.count, 16);
  assert.deepEqual(explainAddress('::/0').reverse.zones?.zones, ['ip6.arpa']);
});

test('subnets of a /48 into /64', () => {
  const s = splitSubnets('2001:db8::/48', 64);
  assert.equal(s.count, '65536');
  assert.equal(s.countPower, '2^16');
  assert.deepEqual(s.first, ['2001:db8::/64', '2001:db8:0:1::/64', '2001:db8:0:2::/64', '2001:db8:0:3::/64']);
  assert.equal(s.last, '2001:db8:0:ffff::/64');
  assert.match(s.subnetSize.words, /18\.4 quintillion/);
});

test('subnets: IPv4, host bits, no split, --show', () => {
  const s = splitSubnets('10.1.2.3/8', '/24', { show: 2 });
  assert.equal(s.prefix, '10.0.0.0/8');
  assert.equal(s.count, '65536');
  assert.deepEqual(s.first, ['10.0.0.0/24', '10.0.1.0/24']);
  assert.equal(s.last, '10.255.255.0/24');
  assert.match(s.notes.join(' '), /host bits/);
  const same = splitSubnets('fd00:dead:beef::/64', 64);
  assert.equal(same.count, '1');
  assert.deepEqual(same.first, ['fd00:dead:beef::/64']);
  assert.equal(same.last, 'fd00:dead:beef::/64');
  const huge = splitSubnets('::/0', 128);
  assert.equal(huge.count, (1n << 128n).toString());
  assert.equal(huge.last, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128');
});
