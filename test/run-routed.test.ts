/**
 * `dslab run` on the routed and SLAAC example labs: the routing checks run after the client's checks
 * and what it reports is what the kernel and the capture show. On examples/slaac.yaml the SLAAC
 * sequence is seen in order (RS, then RA, then DAD to the address's solicited-node group), the
 * EUI-64 address is the MAC's, the RDNSS is in resolv.conf, the DHCPv6 lease is in the log and the
 * stateless DHCPv6 node's Information-request is answered with the DNS server of its resolv.conf;
 * on examples/routed.yaml traceroute shows both routers and tracepath the core's MTU of 1400.
 * The flat default lab gets no routing checks. Nothing is left after either run.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { eui64 } from '../src/addr/eui64.js';
import { parseTracepath, parseTraceroute } from '../src/experiments/node/parse-traceroute.js';
import { informationRequests, solicitedNode } from '../src/experiments/routing-checks.js';
import type { CheckResult, RunReport } from '../src/experiments/types.js';
import { packageRoot } from '../src/util/package-root.js';
import { assertLabGone, dslab, netnsSkipReason } from './helpers/netns-lab.js';

test('the traceroute and tracepath readers', () => {
  const tr = parseTraceroute('traceroute to 10.30.2.10 (10.30.2.10), 8 hops max, 60 byte packets\n 1  10.30.1.254  0.050 ms\n 2  *\n 3  10.30.2.10  0.040 ms\n');
  assert.deepEqual(tr, [{ ttl: 1, address: '10.30.1.254' }, { ttl: 2 }, { ttl: 3, address: '10.30.2.10' }]);
  const tp = parseTracepath(' 1?: [LOCALHOST]     0.007ms pmtu 1500\n 1:  fd00:10:1::fe    0.05ms\n 2:  fd00:10::12   0.06ms pmtu 1400\n 3:  fd00:10:2::10   0.07ms reached\n     Resume: pmtu 1400 hops 3 back 3 \n');
  assert.deepEqual(tp, { pmtu: 1400, hops: 3, reached: true });
  assert.deepEqual(parseTracepath('     Resume: pmtu 1500 \n'), { pmtu: 1500, reached: false });
  assert.equal(solicitedNode('fd00:30:1:0:78e4:16ff:fe15:fd6'), 'ff02::1:ff15:fd6');
  assert.equal(solicitedNode('fd00::1'), 'ff02::1:ff00:1');
  const log = [
    'dnsmasq-dhcp[7]: 42 client MAC address: 62:51:59:b0:a5:4f',
    'dnsmasq-dhcp[7]: 42 DHCPINFORMATION-REQUEST(eth3) 00:01:00:01:32:a8:af:e0:62:51:59:b0:a5:4f ',
    'dnsmasq-dhcp[7]: 43 client MAC address: 02:00:00:00:00:01',
    'dnsmasq-dhcp[7]: 43 DHCPSOLICIT(eth2) 00:01',
    'dnsmasq-dhcp[7]: 42 sent size: 16 option: 23 dns-server  fd00:30:2::53',
  ].join('\n');
  assert.deepEqual(informationRequests(log, '62:51:59:B0:A5:4F').map((x) => [x.xid, x.dnsServers]), [['42', ['fd00:30:2::53']]]);
  assert.deepEqual(informationRequests(log, '02:00:00:00:00:01'), [], 'a SOLICIT is no Information-request');
});

const example = (file: string): string => join(packageRoot(), 'examples', file);

async function runLab(file: string, name: string): Promise<RunReport> {
  const out = await mkdtemp(join(tmpdir(), 'dslab-run-routed-'));
  try {
    const r = await dslab(['run', file, '--name', name, '--json', '--out', out], { allowFailure: true, timeoutMs: 120_000 });
    assert.ok(r.stdout.trim().startsWith('{'), r.stderr);
    const report = JSON.parse(r.stdout) as RunReport;
    // a run that could not bring its lab up prints its error instead of a report
    assert.ok(Array.isArray(report.checks), `no report: ${r.stdout.slice(0, 2000)}`);
    return report;
  } finally {
    await rm(out, { recursive: true, force: true });
    assertLabGone(name);
  }
}

const byId = (report: RunReport, id: string): CheckResult => {
  const c = report.checks.find((x) => x.id === id);
  assert.ok(c, `${id} in ${report.checks.map((x) => x.id).join(', ')}`);
  return c;
};

test('dslab run examples/slaac.yaml: the routing checks see SLAAC, DAD, RDNSS and the DHCPv6 lease', { skip: netnsSkipReason(['radvd', 'dnsmasq', 'dhcpcd', 'tcpdump', 'tshark', 'rdisc6', 'traceroute', 'tracepath']) }, async () => {
  const report = await runLab(example('slaac.yaml'), 'rrs1');
  const failed = report.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.reason}`);
  assert.deepEqual(failed, []);
  const routing = report.checks.filter((c) => c.section === 'routing');
  assert.ok(routing.length >= 6, routing.map((c) => c.id).join(', '));
  // the routing checks run after every other check
  const lastOther = Math.max(...report.checks.filter((c) => c.section !== 'routing').map((c) => c.startMs + c.durationMs));
  for (const c of routing) assert.ok(c.startMs >= lastOther - 1, `${c.id} started at ${c.startMs} before ${lastOther}`);

  const seq = byId(report, 'routing.slaac.sequence').data as { address: string; rsMs: number; raMs: number; dadMs: number; dadGroup: string; backMs: number };
  assert.ok(seq.rsMs <= seq.raMs && seq.raMs <= seq.dadMs && seq.dadMs <= seq.backMs, JSON.stringify(seq));
  assert.equal(seq.dadGroup, solicitedNode(seq.address));

  const addrs = byId(report, 'routing.slaac.addresses').data as { nodes: Array<{ node: string; mode: string; mac: string; address: string; temporary: string[]; prefix: string }> };
  const client = addrs.nodes.find((n) => n.node === 'client')!;
  assert.equal(client.mode, 'eui64');
  assert.equal(client.address, eui64(client.mac, client.prefix).slaac!.address);
  const laptop = addrs.nodes.find((n) => n.node === 'laptop')!;
  assert.equal(laptop.mode, 'stable-privacy');
  assert.notEqual(laptop.address, eui64(laptop.mac, laptop.prefix).slaac!.address);
  assert.ok(laptop.temporary.length > 0);

  const rdnss = byId(report, 'routing.rdnss').data as { advertised: string[]; listed: string[] };
  assert.deepEqual(rdnss.advertised, ['fd00:30:2::53']);
  const leases = byId(report, 'routing.dhcpv6.leases');
  assert.match(leases.output ?? '', /DHCPREPLY\(eth2\) fd00:30:3::/);
  // stateless DHCPv6 on guest: kiosk's address by SLAAC (EUI-64), its DNS servers by an Information-request
  const kiosk = addrs.nodes.find((n) => n.node === 'kiosk')!;
  assert.equal(kiosk.address, eui64(kiosk.mac, 'fd00:30:4::/64').slaac!.address);
  const info = byId(report, 'routing.dhcpv6.stateless');
  assert.equal(info.status, 'pass', info.reason);
  const row = (info.data as { nodes: Array<{ node: string; m: string; o: string; sent: string[]; mac: string }> }).nodes[0]!;
  assert.deepEqual([row.node, row.m, row.o, row.sent], ['kiosk', 'No', 'Yes', ['fd00:30:2::53']]);
  assert.match(info.output ?? '', /DHCPINFORMATION-REQUEST\(eth3\)/);
  const v6 = byId(report, 'routing.traceroute.v6').data as { hops: Array<{ node?: string }> };
  assert.deepEqual(v6.hops.map((h) => h.node), ['r1', 'web']);
  // the plan has the address the client formed (the dslab HTTP check saw it as the source)
  assert.equal(report.plan.client.ipv6, client.address);
});

test('dslab run examples/routed.yaml: both routers on the path, pmtu 1400; the flat lab has no routing checks', { skip: netnsSkipReason(['traceroute', 'tracepath']) }, async () => {
  const report = await runLab(example('routed.yaml'), 'rrt1');
  for (const family of [4, 6]) {
    const c = byId(report, `routing.traceroute.v${family}`);
    assert.equal(c.status, 'pass', c.reason);
    assert.deepEqual((c.data as { hops: Array<{ node?: string }> }).hops.map((h) => h.node), ['r1', 'r2', 'web']);
  }
  const pmtu = byId(report, 'routing.pmtu.v6');
  assert.equal(pmtu.status, 'pass', pmtu.reason);
  assert.equal((pmtu.data as { pmtu: number }).pmtu, 1400);
  assert.equal(report.checks.some((c) => c.id.startsWith('routing.slaac')), false, 'no SLAAC network, no SLAAC checks');

  const flat = await runLab(example('default.yaml'), 'rrf1');
  assert.equal(flat.checks.filter((c) => c.section === 'routing').length, 0);
});
