/**
 * Addresses, subnets and names come out in one canonical form whatever way the file wrote
 * them: IPv6 in RFC 5952 (lower case, longest zero run compressed), DNS names lower case
 * without the trailing dot.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLab } from '../src/lab/load.js';

function lab(v6subnet: string, v6node: string, recordName: string, aaaa: string) {
  return parseLab(
    `networks: [{ name: n, ipv4: 10.5.0.0/16, ipv6: "${v6subnet}" }]
nodes:
  - { name: d, role: dns, addresses: { n: { ipv4: 10.5.0.53, ipv6: "${v6node}" } } }
records:
  - { name: "${recordName}", aaaa: "${aaaa}" }
`,
    'x.yaml',
  );
}

test('IPv6 node addresses and subnets are in RFC 5952 form', () => {
  const t = lab('FD00:DEAD:0:0::/64', 'FD00:DEAD:0000:0000:0000:0000:0000:0053', 'x.local', 'fd00:dead::1:0:0:0:1');
  assert.equal(t.networks[0]?.ipv6?.cidr, 'fd00:dead::/64');
  assert.equal(t.networks[0]?.ipv6?.address, 'fd00:dead::');
  assert.equal(t.networks[0]?.gateway6, 'fd00:dead::1');
  assert.equal(t.nodes[0]?.attachments[0]?.ipv6, 'fd00:dead::53');
  // the longest run of zeros is compressed, the first when two are equal
  assert.equal(t.records[0]?.address, 'fd00:dead:0:1::1');
});

test('a single zero group is not compressed, and the first of two equal runs is', () => {
  assert.equal(lab('fd00:dead::/64', 'fd00:dead::53', 'x.local', 'fd00:dead:0:1:2:3:4:5').records[0]?.address, 'fd00:dead:0:1:2:3:4:5');
  assert.equal(lab('fd00:dead::/64', 'fd00:dead::53', 'x.local', 'fd00:0:0:1:0:0:2:3').records[0]?.address, 'fd00::1:0:0:2:3');
});

test('record names are lower-cased and lose their trailing dot', () => {
  const t = lab('fd00:dead::/64', 'fd00:dead::53', 'Dual-OK.Local.', 'fd00:dead::10');
  assert.equal(t.records[0]?.name, 'dual-ok.local');
  assert.deepEqual(t.zones, ['local']);
});

test('IPv4 addresses with surrounding spaces are trimmed; leading zeros are refused', () => {
  const ok = parseLab('networks: [{ name: n, ipv4: " 10.5.0.0/16 " }]\nnodes: [{ name: d, role: host, addresses: { n: { ipv4: " 10.5.1.2" } } }]\n', 'x');
  assert.equal(ok.networks[0]?.ipv4?.cidr, '10.5.0.0/16');
  assert.equal(ok.nodes[0]?.attachments[0]?.ipv4, '10.5.1.2');
  assert.throws(() => parseLab('networks: [{ name: n, ipv4: 10.5.0.0/16 }]\nnodes: [{ name: d, role: host, addresses: { n: { ipv4: 10.5.01.2 } } }]\n', 'x'), {
    code: 'DSLAB_E_LAB_ADDRESS',
  });
});
