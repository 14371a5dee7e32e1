/**
 * examples/big.yaml: a second lab with other subnets, two networks, IPv4-only and
 * IPv6-only hosts and records that delay or drop answers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadLab } from '../src/lab/load.js';
import { overlaps } from '../src/lab/ip.js';
import { nodeAddresses } from '../src/lab/topology.js';
import { packageRoot } from '../src/util/package-root.js';

const big = () => loadLab(join(packageRoot(), 'examples', 'big.yaml'));

test('big.yaml parses into biglab with at least 5 nodes of every role', async () => {
  const lab = await big();
  assert.equal(lab.name, 'biglab');
  assert.ok(lab.nodes.length >= 5);
  for (const role of ['web', 'dns', 'client', 'host'] as const) {
    assert.ok(lab.nodes.some((n) => n.role === role), `a ${role} node`);
  }
});

test('big.yaml shares no subnet with the default lab', async () => {
  const [lab, def] = [await big(), await loadLab()];
  for (const a of lab.networks) {
    for (const b of def.networks) {
      for (const [x, y] of [[a.ipv4, b.ipv4], [a.ipv6, b.ipv6]] as const) {
        if (x && y) assert.equal(overlaps(x, y), false, `${x.cidr} overlaps ${y.cidr}`);
      }
    }
  }
});

test('big.yaml has an IPv4-only host and an IPv6-only host, each resolving with its own family', async () => {
  const lab = await big();
  const hosts = lab.nodes.filter((n) => n.role === 'host');
  const v4only = hosts.find((n) => n.attachments.every((a) => a.ipv6 === undefined));
  const v6only = hosts.find((n) => n.attachments.every((a) => a.ipv4 === undefined));
  assert.ok(v4only && v6only);
  assert.ok(v4only.dns.length > 0 && v4only.dns.every((d) => !d.includes(':')));
  assert.ok(v6only.dns.length > 0 && v6only.dns.every((d) => d.includes(':')));
  const multi = lab.nodes.find((n) => n.attachments.length > 1);
  assert.deepEqual(multi?.attachments.map((a) => a.ifname), ['eth0', 'eth1']);
});

test('big.yaml has ok, broken-IPv6, IPv4-only, IPv6-only, delayed and dropped names', async () => {
  const lab = await big();
  const owned = new Set(lab.nodes.flatMap(nodeAddresses));
  const byName = new Map<string, typeof lab.records>();
  for (const r of lab.records) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  const types = (rs: typeof lab.records) => rs.map((r) => r.type).sort().join(',');
  const names = [...byName.values()];
  assert.ok(names.some((rs) => types(rs) === 'A,AAAA' && rs.every((r) => owned.has(r.address) && !r.drop && r.delayMs === 0)), 'an ok name');
  assert.ok(names.some((rs) => types(rs) === 'A,AAAA' && rs.some((r) => r.type === 'AAAA' && !owned.has(r.address))), 'a broken-IPv6 name');
  assert.ok(names.some((rs) => types(rs) === 'A'), 'an IPv4-only name');
  assert.ok(names.some((rs) => types(rs) === 'AAAA'), 'an IPv6-only name');
  assert.ok(lab.records.some((r) => r.type === 'AAAA' && r.delayMs === 300 && !r.drop), 'AAAA delayed 300 ms');
  assert.ok(lab.records.some((r) => r.type === 'AAAA' && r.drop), 'AAAA dropped');
  const dropped = lab.records.find((r) => r.drop);
  assert.ok(lab.records.some((r) => r.name === dropped?.name && r.type === 'A' && !r.drop), 'only AAAA is dropped');
});
