/**
 * What a lab file may leave out: the lab name (dslab), record TTLs (3600, as CoreDNS's
 * hosts plugin), resolvers (every dns-node address of the node's families), the web server
 * (builtin on port 80), zones (the parents of the record names), interface names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLab } from '../src/lab/load.js';

const MINIMAL = `
networks:
  - { name: one, ipv4: 10.1.0.0/24, ipv6: "fd01::/64" }
  - { name: two, ipv4: 10.2.0.0/24 }
nodes:
  - { name: www, role: web, addresses: { one: { ipv4: 10.1.0.10, ipv6: "fd01::10" } } }
  - { name: ns, role: dns, addresses: { two: { ipv4: 10.2.0.53 }, one: { ipv4: 10.1.0.53, ipv6: "fd01::53" } } }
  - { name: cli, role: client, addresses: { one: { ipv6: "fd01::20" } } }
records:
  - { name: a.example.test, a: 10.1.0.10 }
  - { name: b.sub.example.test, aaaa: "fd01::10", ttl: 5, delay_ms: 20 }
  - { name: c.other.test, a: 10.1.0.10, drop: true }
`;

test('the lab name defaults to dslab', () => {
  assert.equal(parseLab(MINIMAL, 'x').name, 'dslab');
});

test('records get ttl 3600, no delay and no drop unless they say otherwise', () => {
  const lab = parseLab(MINIMAL, 'x');
  assert.deepEqual(lab.records, [
    { name: 'a.example.test', type: 'A', address: '10.1.0.10', ttl: 3600, delayMs: 0, drop: false },
    { name: 'b.sub.example.test', type: 'AAAA', address: 'fd01::10', ttl: 5, delayMs: 20, drop: false },
    { name: 'c.other.test', type: 'A', address: '10.1.0.10', ttl: 3600, delayMs: 0, drop: true },
  ]);
});

test('zones default to the parent domains, without those inside another', () => {
  assert.deepEqual(parseLab(MINIMAL, 'x').zones, ['example.test', 'other.test']);
});

test('resolvers default to the dns node addresses of the families the node has', () => {
  const lab = parseLab(MINIMAL, 'x');
  const dnsOf = (name: string) => lab.nodes.find((n) => n.name === name)?.dns;
  assert.deepEqual(dnsOf('www'), ['10.1.0.53', 'fd01::53', '10.2.0.53']);
  assert.deepEqual(dnsOf('cli'), ['fd01::53']);
});

test('a web node gets the builtin server on port 80; other roles get no web settings', () => {
  const lab = parseLab(MINIMAL, 'x');
  assert.deepEqual(lab.nodes[0]?.web, { server: 'builtin', port: 80 });
  assert.equal(lab.nodes[1]?.web, undefined);
});

test('interfaces follow the order of networks: eth0 for the first the node is on', () => {
  const lab = parseLab(MINIMAL, 'x');
  const ns = lab.nodes.find((n) => n.name === 'ns');
  assert.deepEqual(ns?.attachments.map((a) => [a.network, a.ifname]), [['one', 'eth0'], ['two', 'eth1']]);
  const cli = lab.nodes.find((n) => n.name === 'cli');
  assert.deepEqual(cli?.attachments, [{ network: 'one', ifname: 'eth0', ipv6: 'fd01::20' }]);
});

test('gateways are the first address of each subnet', () => {
  const lab = parseLab(MINIMAL, 'x');
  assert.deepEqual(lab.networks.map((n) => [n.gateway4, n.gateway6]), [['10.1.0.1', 'fd01::1'], ['10.2.0.1', undefined]]);
});

test('a lab without records needs no dns node, and its nodes get no resolver', () => {
  const lab = parseLab('networks: [{ name: n, ipv4: 10.3.0.0/24 }]\nnodes: [{ name: a, role: client, addresses: { n: { ipv4: 10.3.0.2 } } }]\n', 'x');
  assert.deepEqual(lab.records, []);
  assert.deepEqual(lab.zones, []);
  assert.deepEqual(lab.nodes[0]?.dns, []);
});
