/**
 * What `up` will create, as data (no root needed): namespace names derived from the lab name,
 * the switch's bridge, gateways and unreachable defaults, each node's addresses without DAD
 * and default routes on both families, the sysctls, the per-node /etc files and the services.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostsFile, nsswitchConf, resolvConf } from '../src/backends/netns/etc-files.js';
import { checkLabName } from '../src/backends/netns/lab-name.js';
import { planLab, STATIC_NEIGHBOURS_FROM, sysctlsThenIpBatch } from '../src/backends/netns/plan.js';
import { parseLab } from '../src/lab/load.js';
import { switchPortName } from '../src/lab/names.js';
import { scaleLabYaml } from '../bench/bench-lib.js';
import { planServices } from '../src/backends/netns/services.js';
import { isDslabError } from '../src/errors.js';
import { articleTopology } from './helpers/dns-lab.js';

const topology = { ...articleTopology(), name: 'nt1' };

test('namespaces derive from the lab name, switch first', () => {
  assert.deepEqual(planLab(topology).namespaces, ['nt1-sw', 'nt1-web', 'nt1-dns', 'nt1-client']);
  assert.deepEqual(planLab({ ...topology, name: 'other' }).namespaces, ['other-sw', 'other-web', 'other-dns', 'other-client']);
});

test('the switch has the bridge, both gateways, unreachable defaults and one port per node', () => {
  const lines = planLab(topology).switchBatch;
  assert.ok(lines.includes('link add br-dsnet type bridge'));
  assert.ok(lines.includes('addr add 172.30.0.1/24 broadcast + dev br-dsnet'));
  assert.ok(lines.includes('addr add fd00:dead:beef::1/64 dev br-dsnet nodad'));
  assert.ok(lines.includes('route add unreachable 0.0.0.0/0'));
  assert.ok(lines.includes('route add unreachable ::/0'));
  assert.ok(lines.includes('link add client type veth peer name eth0 netns nt1-client'));
  assert.ok(lines.includes('link set client master br-dsnet up'));
  const rootless = planLab(topology, (ns) => (ns === 'nt1-client' ? '4242' : ns)).switchBatch;
  assert.ok(rootless.includes('link add client type veth peer name eth0 netns 4242'));
});

test('each node gets its addresses without DAD and default routes on both families', () => {
  const client = planLab(topology).nodeBatches.find((b) => b.node === 'client')!;
  assert.equal(client.ns, 'nt1-client');
  assert.deepEqual(client.lines, [
    'link set lo up',
    'addr add 172.30.0.20/24 broadcast + dev eth0',
    'addr add fd00:dead:beef::20/64 dev eth0 nodad',
    'link set eth0 up',
    'route add default via 172.30.0.1 dev eth0',
    'route add default via fd00:dead:beef::1 dev eth0',
  ]);
});

test('an IPv6-only node gets only the IPv6 default route', () => {
  const t = structuredClone(topology);
  delete t.nodes[2]!.attachments[0]!.ipv4;
  const client = planLab(t).nodeBatches.find((b) => b.node === 'client')!;
  assert.ok(client.lines.includes('route add default via fd00:dead:beef::1 dev eth0'));
  assert.ok(!client.lines.some((l) => l.includes('172.30.0.1')));
});

test('sysctls: no DAD everywhere, forwarding on the switch, non-local bind only where services run', () => {
  const plan = planLab(topology);
  const byNs = new Map(plan.sysctls.map((s) => [s.ns, s.settings]));
  // a plain node (the client) sets its own in the process that configures it, for eth0 too
  const client = plan.nodeBatches.find((b) => b.node === 'client')!;
  assert.ok(!byNs.has('nt1-client'));
  assert.ok(client.sysctls!.includes('net.ipv6.conf.eth0.accept_dad=0'));
  for (const settings of [...byNs.values(), client.sysctls!]) {
    assert.ok(settings.includes('net.ipv6.conf.default.accept_dad=0'));
    assert.ok(settings.includes('net.ipv6.conf.all.disable_ipv6=0'));
  }
  assert.ok(byNs.get('nt1-sw')!.includes('net.ipv6.conf.all.forwarding=1'));
  assert.ok(byNs.get('nt1-dns')!.includes('net.ipv6.ip_nonlocal_bind=1'));
  assert.ok(!client.sysctls!.some((s) => s.includes('nonlocal')));
  assert.equal(plan.nodeBatches.find((b) => b.node === 'web')!.sysctls, undefined, 'a service node has its sysctls before its links come in');
  assert.equal(sysctlsThenIpBatch(['net.ipv6.conf.eth0.accept_ra=0']), 'echo 0 > /proc/sys/net/ipv6/conf/eth0/accept_ra && exec ip -batch -');
});

test('per-node files: the lab resolver on both families, only localhost and the own name, files dns', () => {
  const client = topology.nodes.find((n) => n.name === 'client')!;
  assert.equal(resolvConf(client).split('\n').filter((l) => l.startsWith('nameserver')).join(','), 'nameserver 172.30.0.53,nameserver fd00:dead:beef::53');
  const hosts = hostsFile(client);
  assert.match(hosts, /^127\.0\.0\.1\tlocalhost$/m);
  assert.match(hosts, /^fd00:dead:beef::20\tclient$/m);
  assert.doesNotMatch(hosts, /web|dns|dual/);
  const nss = nsswitchConf();
  assert.equal(nss.split('\n').filter((l) => /^hosts:/.test(l)).join(), 'hosts: files dns');
});

test('services: one DNS and one web server, ids stable', () => {
  assert.deepEqual(planServices(topology).map((s) => [s.id, s.kind, s.node, s.log]), [
    ['web', 'web', 'web', 'web.log'],
    ['dns', 'dns', 'dns', 'dns.log'],
  ]);
  const two = structuredClone(topology);
  two.nodes.push({ ...structuredClone(two.nodes[1]!), name: 'dns2' });
  assert.deepEqual(planServices(two).filter((s) => s.kind === 'dns').map((s) => s.id), ['dns-dns', 'dns-dns2']);
});

test('lab names are checked before any use (no "-", no paths)', () => {
  for (const bad of ['nt-1', '../etc', '', 'Nt1', 'averyveryverylongname']) {
    assert.throws(() => checkLabName(bad), (err: unknown) => isDslabError(err, 'DSLAB_E_LAB_NAME') && err.value === bad && err.field === 'lab');
  }
  assert.equal(checkLabName('nt1'), 'nt1');
});

test('a network of STATIC_NEIGHBOURS_FROM nodes gets fixed MACs and permanent neighbours both ways; a smaller one none', () => {
  const small = planLab(parseLab(scaleLabYaml('sm', STATIC_NEIGHBOURS_FROM - 1), '<small>'));
  assert.ok(![...small.switchBatch, ...small.nodeBatches.flatMap((b) => b.lines)].some((l) => l.includes('lladdr') || l.includes(' address ')));
  const large = planLab(parseLab(scaleLabYaml('lg', STATIC_NEIGHBOURS_FROM), '<large>'));
  assert.ok(large.switchBatch.includes('link add br-net address 02:d4:00:00:00:00 type bridge'));
  // web is the first attachment of the lab, h0 the fourth
  assert.ok(large.switchBatch.includes('link add web type veth peer name eth0 address 02:d5:00:00:00:01 netns lg-web'));
  assert.ok(large.switchBatch.includes('neigh add 10.77.1.0 lladdr 02:d5:00:00:00:04 dev br-net nud permanent'));
  assert.ok(large.switchBatch.includes('neigh add fd00:77::100 lladdr 02:d5:00:00:00:04 dev br-net nud permanent'));
  const h0 = large.nodeBatches.find((b) => b.node === 'h0')!.lines;
  // after the link is up (bringing a link up does not flush them, but order them plainly)
  assert.ok(h0.indexOf('neigh add fd00:77::1 lladdr 02:d4:00:00:00:00 dev eth0 nud permanent') > h0.indexOf('link set eth0 up'));
  assert.ok(h0.includes('neigh add 10.77.0.1 lladdr 02:d4:00:00:00:00 dev eth0 nud permanent'));
});

test("a large network's ports, and only its ports, have their multicast listener reports dropped at the switch and static forwarding entries", () => {
  assert.equal(planLab(parseLab(scaleLabYaml('sm', STATIC_NEIGHBOURS_FROM - 1), '<small>')).mldFilter, undefined);
  // the scale lab and a small second network of two hosts, one of which is on both
  const yaml = scaleLabYaml('mx', STATIC_NEIGHBOURS_FROM)
    .replace('networks:\n', 'networks:\n  - { name: side, ipv4: 10.88.0.0/24, ipv6: "fd00:88::/64" }\n')
    .replace('records:', '  - { name: s1, role: host, addresses: { side: { ipv4: 10.88.0.5, ipv6: "fd00:88::5" } } }\n  - { name: s2, role: host, addresses: { side: { ipv4: 10.88.0.6, ipv6: "fd00:88::6" }, net: { ipv4: 10.77.3.1, ipv6: "fd00:77::301" } } }\nrecords:');
  const topology = parseLab(yaml, '<mixed>');
  const filter = planLab(topology).mldFilter!;
  const elements = /elements = \{ (.*) \}/.exec(filter)![1]!.split(', ');
  const large = topology.nodes.flatMap((n) => n.attachments.filter((a) => a.network === 'net').map((a) => `"${switchPortName(n.name, a.ifname)}"`));
  assert.equal(large.length, STATIC_NEIGHBOURS_FROM + 1);
  assert.deepEqual(elements, large);
  assert.ok(!elements.includes('"s1"'), 'the small network keeps its reports');
  // the bridge is told where each of those ports' MACs is, since it cannot learn it from the dropped reports
  const fdb = planLab(topology).fdbBatch!;
  assert.equal(fdb.length, large.length);
  assert.ok(fdb.includes('fdb replace 02:d5:00:00:00:01 dev web master static'));
  assert.ok(!fdb.some((l) => l.includes(' dev s1 ')));
  assert.match(filter, /table bridge dslab_mld \{/);
  assert.match(filter, /hook prerouting .*\n\s+iifname @ports icmpv6 type \{ mld-listener-report, mld2-listener-report, mld-listener-done \} counter drop/);
});
