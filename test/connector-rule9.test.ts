// RFC 6724 rule 9 (use longest matching prefix) as dslab implements it: CommonPrefixLen is
// capped at the source's prefix length (RFC 6724 §2.2), so destinations inside the source's
// subnet tie and keep the DNS order (rule 10). glibc's getaddrinfo compares the whole address
// instead (and, for IPv4, ignores destinations outside the source's subnet): the lab part runs
// the real glibc (getent ahosts) next to dslab in the same node and pins the difference.
// docs/connector.md ("Rule 9 and glibc") explains it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import process from 'node:process';
import { sortDestinations, type SortInput } from '../src/connector/address-sort.js';
import { glibcTable, rfc6724Table } from '../src/connector/policy-table.js';
import { runInNode } from '../src/backends/netns/exec.js';
import type { ConnectReport } from '../src/connector/report.js';
import { cliPath, labTopology, netnsSkipReason, withLab } from './helpers/netns-lab.js';
import { record } from './helpers/dns-lab.js';

const fam = (a: string): 4 | 6 => (a.includes(':') ? 6 : 4);
const dests = (source: string, prefix: number | undefined, ...addresses: string[]): SortInput[] =>
  addresses.map((address) => ({ address, family: fam(address), source, ...(prefix !== undefined ? { sourcePrefixLength: prefix } : {}) }));

// [case, inputs (in DNS order), expected order, deciding rule, CommonPrefixLen of each in input order]
const CASES: Array<[string, SortInput[], string[], number, number[]]> = [
  [
    'IPv6, both inside the source\'s /64: 64 bits each, a tie, DNS order kept (glibc: ::10 first, 122 bits against 121)',
    dests('fd00:dead:beef::20', 64, 'fd00:dead:beef::53', 'fd00:dead:beef::10'),
    ['fd00:dead:beef::53', 'fd00:dead:beef::10'],
    10,
    [64, 64],
  ],
  [
    'the same, the other DNS order: still kept',
    dests('fd00:dead:beef::20', 64, 'fd00:dead:beef::10', 'fd00:dead:beef::53'),
    ['fd00:dead:beef::10', 'fd00:dead:beef::53'],
    10,
    [64, 64],
  ],
  [
    'IPv6, prefix length unknown: capped at 64, the same tie',
    dests('fd00:dead:beef::20', undefined, 'fd00:dead:beef::53', 'fd00:dead:beef::10'),
    ['fd00:dead:beef::53', 'fd00:dead:beef::10'],
    10,
    [64, 64],
  ],
  [
    'IPv4, both inside the source\'s /24: 24 bits each, DNS order kept (glibc: .10 first, 27 bits against 26)',
    dests('172.30.0.20', 24, '172.30.0.53', '172.30.0.10'),
    ['172.30.0.53', '172.30.0.10'],
    10,
    [24, 24],
  ],
  [
    'IPv4, both outside the source\'s /24: rule 9 decides, 15 bits against 0 (glibc: a tie, DNS order kept)',
    dests('172.30.0.20', 24, '10.1.2.3', '172.31.0.1'),
    ['172.31.0.1', '10.1.2.3'],
    9,
    [0, 15],
  ],
  [
    'IPv4, prefix length unknown: capped at 32 (no cap), so .10 wins by 27 bits against 26',
    dests('172.30.0.20', undefined, '172.30.0.53', '172.30.0.10'),
    ['172.30.0.10', '172.30.0.53'],
    9,
    [26, 27],
  ],
  [
    'IPv6, destinations in other /64s: the real common prefix decides (62 bits against 46)',
    dests('2001:db8:1:1::20', 64, '2001:db8:2::1', '2001:db8:1:2::1'),
    ['2001:db8:1:2::1', '2001:db8:2::1'],
    9,
    [46, 62],
  ],
];

for (const [name, inputs, expected, rule, prefixes] of CASES) {
  test(`rule 9, ${name}`, () => {
    for (const table of [glibcTable(), rfc6724Table()]) {
      const out = sortDestinations(inputs, table);
      assert.deepEqual(out.sorted.map((s) => s.address), expected, table.name);
      assert.equal(out.decisions[0]!.rule, rule, `${table.name}: ${out.decisions[0]!.reason}`);
      const byAddress = new Map(out.attributes.map((a) => [a.address, a.commonPrefixLength]));
      assert.deepEqual(inputs.map((i) => byAddress.get(i.address)), prefixes);
    }
  });
}

// ---- the same question put to the real glibc, in a lab node -------------------------------

const LAB = 'ff';
// each name twice, with the answers in both orders
const NAMES: Array<[string, 'A' | 'AAAA', string[]]> = [
  ['r9v6a.local', 'AAAA', ['fd00:dead:beef::53', 'fd00:dead:beef::10']],
  ['r9v6b.local', 'AAAA', ['fd00:dead:beef::10', 'fd00:dead:beef::53']],
  ['r9v4a.local', 'A', ['172.30.0.53', '172.30.0.10']],
  ['r9v4b.local', 'A', ['172.30.0.10', '172.30.0.53']],
];

function getentSkip(): string | undefined {
  const reason = netnsSkipReason();
  if (reason) return reason;
  const path = (process.env['PATH'] ?? '/usr/bin:/bin').split(':');
  return path.some((d) => d && existsSync(`${d}/getent`)) ? undefined : 'needs getent (libc-bin) to ask glibc\'s getaddrinfo';
}

test('in a lab node: glibc orders same-subnet addresses by the whole address, dslab keeps the DNS order', { skip: getentSkip(), timeout: 120_000 }, async (t) => {
  const topology = await labTopology(LAB);
  topology.records = [...topology.records, ...NAMES.flatMap(([name, type, addresses]) => addresses.map((a) => record(name, type, a)))];
  await withLab(LAB, topology, async () => {
    for (const [name, , addresses] of NAMES) {
      await t.test(name, async () => {
        // glibc: getaddrinfo's order, one STREAM line per address
        const g = await runInNode(LAB, 'client', ['getent', 'ahosts', name]);
        const glibc = g.stdout
          .split('\n')
          .map((l) => l.trim().split(/\s+/))
          .filter((f) => f[1] === 'STREAM')
          .map((f) => f[0]);
        const closest = addresses.find((a) => a.endsWith('.10') || a.endsWith('::10'));
        assert.equal(glibc[0], closest, `glibc puts the address sharing the most bits with the source first: ${glibc.join(', ')}`);
        // dslab: the DNS order, rule 10
        const d = await runInNode(LAB, 'client', [process.execPath, cliPath(), 'connect', name, '--no-http', '--explain', '--json'], { allowFailure: true });
        const r = JSON.parse(d.stdout) as ConnectReport;
        const family = name.includes('v6') ? 'aaaa' : 'a';
        assert.deepEqual(r.resolution[family].addresses, addresses, 'the DNS server answers in the listed order');
        assert.deepEqual(r.explain?.interleaved, addresses);
        assert.equal(r.explain?.decisions[0]?.rule, 10);
        assert.deepEqual(r.attempts.map((a) => a.address), addresses.slice(0, r.attempts.length));
      });
    }
  });
});
