/**
 * Records in the hosts-file form `ADDRESS NAME [NAME...]`, as in the article's Corefile,
 * mean the same as the object form, and the two forms mix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadLab, parseLab } from '../src/lab/load.js';

const HEAD = `
networks: [{ name: dsnet, ipv4: 172.30.0.0/24, ipv6: "fd00:dead:beef::/64" }]
nodes:
  - { name: web, role: web, addresses: { dsnet: { ipv4: 172.30.0.10, ipv6: "fd00:dead:beef::10" } } }
  - { name: dns, role: dns, addresses: { dsnet: { ipv4: 172.30.0.53, ipv6: "fd00:dead:beef::53" } } }
  - { name: client, role: client, addresses: { dsnet: { ipv4: 172.30.0.20, ipv6: "fd00:dead:beef::20" } } }
`;

test('the Corefile lines of the article give the records of the default lab', async () => {
  const corefile = `${HEAD}records:
  # copied from the article's Corefile hosts block
  - 172.30.0.10 dual-ok.local           # A record (IPv4)
  - fd00:dead:beef::10 dual-ok.local    # AAAA record (IPv6)
  - 172.30.0.10 dual-badv6.local
  - fd00:dead:beef::9999 dual-badv6.local  # unreachable on purpose
`;
  const fromHosts = parseLab(corefile, 'hosts.yaml');
  const fromDefault = await loadLab();
  const key = (r: { name: string; type: string; address: string }) => `${r.name} ${r.type} ${r.address}`;
  assert.deepEqual(fromHosts.records.map(key).sort(), fromDefault.records.map(key).sort());
  assert.deepEqual(fromHosts.records.map((r) => r.ttl), [3600, 3600, 3600, 3600]);
  assert.deepEqual(fromHosts.zones, ['local']);
});

test('one hosts line may name several hosts; an inline comment is ignored', () => {
  const lab = parseLab(`${HEAD}records:\n  - "172.30.0.10   www.lab.test  Web.Lab.Test.  # comment"\n`, 'x.yaml');
  assert.deepEqual(
    lab.records.map((r) => [r.name, r.type, r.address]),
    [
      ['www.lab.test', 'A', '172.30.0.10'],
      ['web.lab.test', 'A', '172.30.0.10'],
    ],
  );
});

test('hosts lines and objects mix, and a hosts line with an IPv6 address gives AAAA', () => {
  const lab = parseLab(`${HEAD}records:\n  - { name: mixed.local, a: 172.30.0.10 }\n  - "FD00:DEAD:BEEF::10 mixed.local"\n`, 'x.yaml');
  assert.deepEqual(
    lab.records.map((r) => [r.name, r.type, r.address]),
    [
      ['mixed.local', 'A', '172.30.0.10'],
      ['mixed.local', 'AAAA', 'fd00:dead:beef::10'],
    ],
  );
});

test('a hosts line whose second word is not a name is rejected as a name', () => {
  assert.throws(() => parseLab(`${HEAD}records:\n  - 172.30.0.10 bad_name.local\n`, 'x.yaml'), { code: 'DSLAB_E_LAB_NAME', field: 'records[0]' });
});
