/**
 * Fault specs and lab-file faults are validated against the lab before anything is made:
 * each kind of bad input has its own code and names the field; good input becomes the
 * fault it says; every built-in scenario is valid for the article's lab; the nftables,
 * iptables and tc text says what each fault does.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDslabError } from '../src/errors.js';
import { buildRuleset, markClassifier } from '../src/faults/ruleset.js';
import { builtinScenarios, findScenario, scenarioFaults } from '../src/faults/scenarios.js';
import { parseFaultSpec } from '../src/faults/spec.js';
import { nextFaultId, validateFault } from '../src/faults/validate.js';
import { parseRate } from '../src/faults/rate.js';
import { loadLab, parseLab } from '../src/lab/load.js';
import { readFileSync } from 'node:fs';
import { defaultLabPath, labPath } from '../src/lab/load.js';

const lab = await loadLab();
const fromSpec = (spec: string) => validateFault(parseFaultSpec(spec), lab, 'f1');

function rejects(spec: string, code: string, field?: RegExp): void {
  assert.throws(() => fromSpec(spec), (err: unknown) => {
    assert.ok(isDslabError(err), `not a DslabError: ${String(err)}`);
    assert.equal(err.code, code, `${spec}: ${err.message}`);
    if (field) assert.match(err.field ?? '', field, `${spec}: field ${err.field}`);
    assert.ok(err.hint && err.hint.length > 10, 'a hint says what to do');
    return true;
  });
}

test('specs become faults with defaults: node client, both families, per-kind direction', () => {
  const f = fromSpec('delay:family=6,to=web,ms=300');
  assert.deepEqual(f, { id: 'f1', kind: 'delay', node: 'client', family: 6, peers: ['fd00:dead:beef::10'], to: 'web', proto: 'any', direction: 'out', delayMs: 300 });
  const b = fromSpec('blackhole');
  assert.equal(b.kind, 'blackhole');
  assert.equal((b as { direction: string }).direction, 'both');
  assert.equal((b as { family?: number }).family, undefined);
  const r = fromSpec('reject:with=tcp-reset,to=fd00:dead:beef::10');
  assert.equal((r as { proto: string }).proto, 'tcp', 'a TCP reset implies TCP');
  assert.equal((r as { family?: number }).family, 6, 'an IPv6 peer implies IPv6');
  const d = fromSpec('dns:name=dual-ok.local,type=aaaa,answer=address,address=fd00:dead:beef::9999');
  assert.deepEqual(d, { id: 'f1', kind: 'dns', name: 'dual-ok.local', type: 'AAAA', answer: 'address', address: 'fd00:dead:beef::9999' });
  assert.equal((fromSpec('rate:rate=1.5mbit') as { rateBps: number }).rateBps, 1_500_000);
  assert.equal((fromSpec('rate:rate=1.5mbit') as { direction: string }).direction, 'in');
});

test('bad fault specs are rejected with their code and field', () => {
  rejects('', 'DSLAB_E_FAULT_INVALID');
  rejects('drop:family=6', 'DSLAB_E_FAULT_INVALID', /kind/);
  rejects('delay:family=6,ms', 'DSLAB_E_FAULT_INVALID');
  rejects('delay:ms=1,ms=2', 'DSLAB_E_FAULT_INVALID', /ms/);
  rejects('delay:family=6', 'DSLAB_E_FAULT_INVALID', /ms/);
  rejects('delay:colour=red,ms=3', 'DSLAB_E_FAULT_INVALID');
  rejects('delay:ms=0', 'DSLAB_E_FAULT_RANGE', /ms/);
  rejects('delay:ms=60001', 'DSLAB_E_FAULT_RANGE', /ms/);
  rejects('delay:ms=100,jitter_ms=200', 'DSLAB_E_FAULT_RANGE', /jitter_ms/);
  rejects('loss:percent=0', 'DSLAB_E_FAULT_RANGE', /percent/);
  rejects('loss:percent=101', 'DSLAB_E_FAULT_RANGE', /percent/);
  rejects('rate:rate=fast', 'DSLAB_E_FAULT_INVALID', /rate/);
  rejects('rate:rate=1bit', 'DSLAB_E_FAULT_RANGE', /rate/);
  rejects('blackhole:node=nosuch', 'DSLAB_E_FAULT_NODE', /node/);
  rejects('blackhole:to=nosuch', 'DSLAB_E_FAULT_NODE', /to/);
  rejects('blackhole:to=fd00:dead:beef::9999', 'DSLAB_E_FAULT_ADDRESS', /to/);
  rejects('blackhole:to=client', 'DSLAB_E_FAULT_ADDRESS', /to/);
  rejects('blackhole:to=fd00:dead:beef::zz', 'DSLAB_E_LAB_ADDRESS', /to/);
  rejects('blackhole:family=4,to=fd00:dead:beef::10', 'DSLAB_E_FAULT_MISMATCH', /to/);
  rejects('blackhole:ms=3', 'DSLAB_E_FAULT_MISMATCH', /ms/);
  rejects('reject:with=tcp-reset,proto=udp', 'DSLAB_E_FAULT_MISMATCH', /with/);
  rejects('reject:with=icmp-teapot', 'DSLAB_E_FAULT_INVALID', /with/);
  rejects('blackhole:proto=icmp,port=80', 'DSLAB_E_FAULT_MISMATCH', /port/);
  rejects('blackhole:port=70000', 'DSLAB_E_FAULT_RANGE', /port/);
  rejects('dns:type=AAAA,answer=servfail', 'DSLAB_E_FAULT_INVALID', /name/);
  rejects('dns:name=example.com,answer=servfail', 'DSLAB_E_FAULT_NAME', /name/);
  rejects('dns:name=dual-ok.local', 'DSLAB_E_FAULT_INVALID', /answer/);
  rejects('dns:name=dual-ok.local,answer=delay', 'DSLAB_E_FAULT_INVALID', /ms/);
  rejects('dns:name=dual-ok.local,answer=servfail,ms=5', 'DSLAB_E_FAULT_MISMATCH', /ms/);
  rejects('dns:name=dual-ok.local,answer=address,address=fd00::1', 'DSLAB_E_FAULT_MISMATCH', /type/);
  rejects('dns:name=dual-ok.local,type=AAAA,answer=address,address=172.30.0.9', 'DSLAB_E_LAB_FAMILY', /address/);
  rejects('dns:name=dual-ok.local,answer=servfail,node=web', 'DSLAB_E_FAULT_NODE', /node/);
});

test('pmtud-blackhole: only on a router, narrowed only by family', async () => {
  rejects('pmtud-blackhole', 'DSLAB_E_FAULT_NODE', /node/);
  const routed = await loadLab(labPath('routed'));
  const on = (spec: string) => validateFault(parseFaultSpec(spec), routed, 'f1');
  assert.deepEqual(on('pmtud-blackhole:node=r2,family=6'), { id: 'f1', kind: 'pmtud-blackhole', node: 'r2', proto: 'icmp', direction: 'out', family: 6 });
  for (const [spec, code, field] of [
    ['pmtud-blackhole', 'DSLAB_E_FAULT_NODE', /node/],
    ['pmtud-blackhole:node=web', 'DSLAB_E_FAULT_NODE', /node/],
    ['pmtud-blackhole:node=r2,ms=3', 'DSLAB_E_FAULT_MISMATCH', /ms/],
    ['pmtud-blackhole:node=r2,to=web', 'DSLAB_E_FAULT_MISMATCH', /to/],
  ] as const) {
    assert.throws(() => on(spec), (err: unknown) => isDslabError(err) && err.code === code && field.test(err.field ?? '') && (err.hint ?? '').length > 10, spec);
  }
  const nft = buildRuleset(routed, [on('pmtud-blackhole:node=r2')]).nft;
  assert.match(nft, /icmpv6 type packet-too-big counter drop/);
  assert.match(nft, /icmp type destination-unreachable icmp code frag-needed counter drop/);
});

test('fault ids count on from the highest one in use', () => {
  assert.equal(nextFaultId([]), 'f1');
  assert.equal(nextFaultId([fromSpec('blackhole'), { ...fromSpec('blackhole'), id: 'f7' }]), 'f8');
});

test('rates are read as tc writes them', () => {
  assert.equal(parseRate('512kbit'), 512_000);
  assert.equal(parseRate('2 Mbit'), 2_000_000);
  assert.equal(parseRate('10gbit'), 10_000_000_000);
  assert.equal(parseRate('1mbps'), undefined, 'bps is bytes in tc: ambiguous, refused');
  assert.equal(parseRate(''), undefined);
});

test('every built-in scenario is valid for the article\'s lab, and the issue\'s ten are there', () => {
  const names = builtinScenarios().map((s) => s.name);
  for (const n of ['unassigned-aaaa', 'v6-blackhole', 'v6-reset', 'v6-unreachable', 'v6-slow', 'v6-lossy', 'aaaa-slow', 'aaaa-lost', 'aaaa-servfail', 'v4-broken']) assert.ok(names.includes(n), n);
  for (const s of builtinScenarios()) {
    const faults = scenarioFaults(s.name, lab);
    assert.equal(faults.length, s.faults.length);
    for (const f of faults) assert.equal(f.scenario, s.name);
    assert.ok(lab.records.some((r) => r.name === s.target), `${s.name} targets a name of the lab`);
  }
  assert.throws(() => findScenario('v6-nosuch'), (e: unknown) => isDslabError(e, 'DSLAB_E_SCENARIO_UNKNOWN'));
});

test('a lab file\'s faults and scenarios are validated with the lab, with the path of the bad entry', () => {
  const base = readFileSync(defaultLabPath(), 'utf8');
  const good = parseLab(`${base}\nfaults:\n  - { kind: delay, family: 6, ms: 200 }\nscenarios:\n  slow-dns:\n    description: mine\n    faults: [{ kind: dns, name: dual-ok.local, answer: delay, ms: 500 }]\n`, 'x.yaml');
  assert.equal(good.faults?.[0]?.kind, 'delay');
  assert.equal(good.scenarios?.[0]?.name, 'slow-dns');
  assert.equal(scenarioFaults('slow-dns', good)[0]?.kind, 'dns');
  assert.throws(() => parseLab(`${base}\nfaults:\n  - { kind: delay, family: 6, ms: 200 }\n  - { kind: blackhole, to: nosuch }\n`, 'x.yaml'), (e: unknown) => {
    assert.ok(isDslabError(e, 'DSLAB_E_FAULT_NODE'));
    assert.equal(e.field, 'faults[1].to');
    assert.match(e.message, /x\.yaml, line \d+/, 'the loader points at the line');
    return true;
  });
  assert.throws(() => parseLab(`${base}\nscenarios:\n  broken:\n    faults: [{ kind: loss }]\n`, 'x.yaml'), (e: unknown) => isDslabError(e, 'DSLAB_E_FAULT_INVALID'));
});

test('the ruleset: matches on the node\'s switch port, ND exempt, marks for queues, classes and rejects', () => {
  const faults = [
    fromSpec('blackhole:family=6,to=web'),
    { ...fromSpec('delay:family=6,to=web,ms=300,jitter_ms=10'), id: 'f2' },
    { ...fromSpec('reject:with=icmp-no-route,to=web'), id: 'f3' },
    { ...fromSpec('loss:family=4,percent=30,proto=udp,port=53,to=dns'), id: 'f4' },
    { ...fromSpec('rate:rate=1mbit,family=4'), id: 'f5' },
    { ...fromSpec('dns:name=dual-ok.local,answer=servfail'), id: 'f6' },
  ];
  const r = buildRuleset(lab, faults);
  assert.match(r.nft, /nd-neighbor-solicit.*accept/);
  assert.match(r.nft, /iifname "client" ether type ip6 ip6 daddr fd00:dead:beef::10 counter drop comment "f1"/);
  assert.match(r.nft, /oifname "client" ether type ip6 ip6 saddr fd00:dead:beef::10 counter drop comment "f1"/, 'a blackhole drops both ways');
  assert.match(r.nft, /iifname "client" ether type ip6 ip6 daddr fd00:dead:beef::10 counter meta mark set meta mark & 0xffff00ff \| 0x00000100 comment "f2"/);
  assert.match(r.nft, /reject with icmpv6 type no-route comment "f3"/);
  assert.match(r.nft, /reject with icmp type net-unreachable comment "f3"/);
  assert.match(r.nft, /ip daddr 172\.30\.0\.53 udp dport 53 numgen random mod 100 < 30 counter drop comment "f4"/);
  assert.ok(!/f6/.test(r.nft), 'DNS faults are not packet rules');
  assert.match(r.iptables, /--mark 0x00000100\/0x0000ff00 -j NFQUEUE --queue-num 1 --queue-bypass/);
  assert.match(r.iptables, /--queue-num 255/);
  assert.deepEqual(r.delayers, [{ id: 'f2', queue: 1, delayMs: 300, jitterMs: 10 }, { id: 'reject', queue: 255, delayMs: 0, jitterMs: 0 }]);
  assert.ok(r.tcSet.some((l) => l.includes('htb rate 1000000bit')));
  assert.ok(r.tcSet.some((l) => l.includes(markClassifier(1))));
  assert.equal(r.tcSet.filter((l) => l.startsWith('qdisc add')).length, 3, 'one HTB per switch port');
  // nothing: both tables go, in one transaction
  assert.equal(buildRuleset(lab, []).nft, 'add table bridge dslab\ndelete table bridge dslab\nadd table inet dslab\ndelete table inet dslab\n');
  // a fault keeps its queue when others change
  const again = buildRuleset(lab, faults.filter((f) => f.id !== 'f1'), r.placed);
  assert.equal(again.placed.find((p) => p.fault.id === 'f2')?.queue, 1);
});
