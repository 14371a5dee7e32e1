// A large single-network lab (300 nodes: web, dns, client and 297 hosts on 10.77.0.0/20 +
// fd00:77::/64) comes up with its progress shown, its last node reaches the web node over both
// families, its switch drops the nodes' multicast listener reports, and nothing is left after
// down. The machine's neighbour limits are read, never changed: where they are too low for 300
// nodes, the test says so and skips.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MLD_FILTER_TABLE } from '../src/backends/netns/plan.js';
import { findProgram } from '../src/util/find-program.js';
import { limitProblems } from '../src/backends/netns/kernel-limits.js';
import { parseLab } from '../src/lab/load.js';
import { scaleLabYaml } from '../bench/bench-lib.js';
import { assertLabGone, dslab, netnsSkipReason } from './helpers/netns-lab.js';

const NODES = 300;
const LAB = 'big3';
const yaml = scaleLabYaml(LAB, NODES);
const limits = limitProblems(parseLab(yaml, '<300 nodes>'), 'root');
const skip = netnsSkipReason(['curl']) ?? (limits.length > 0 ? `the kernel limits are too low for ${NODES} nodes here: ${limits.map((p) => p.message).join('; ')}` : undefined);

test(`a ${NODES}-node lab comes up, its last node reaches web over IPv4 and IPv6, nothing is left`, { skip }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dslab-big-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'big.yaml');
  writeFileSync(file, yaml);
  try {
    const up = await dslab(['up', file], { timeoutMs: 120_000 });
    // progress while it builds, by tenths
    assert.match(up.stderr, new RegExp(`Nodes with their addresses and routes: ${NODES}/${NODES}`));
    assert.match(up.stderr, /Nodes with their addresses and routes: ([1-9]\d?|[12]\d\d)\/300/, "and before it is done");
    // the last host, h296, is the 297th: 10.77.0.0 + 256 + 296 in scaleLabYaml's numbering
    const last = `h${NODES - 4}`;
    for (const [url, family] of [['http://10.77.0.10/whoami', 'IPv4'], ['http://[fd00:77::10]/whoami', 'IPv6']] as const) {
      const r = await dslab(['exec', '--lab', LAB, last, '--', 'curl', '-s', '-m', '5', url]);
      const who = JSON.parse(r.stdout) as { family: string; client: { address: string } };
      assert.equal(who.family, family);
      assert.equal(who.client.address, family === 'IPv4' ? '10.77.2.40' : 'fd00:77::228', `${last} is the one that asked`);
    }
    // a network this large has fixed MACs and permanent neighbour entries between switch and node
    const gw = await dslab(['exec', '--lab', LAB, last, '--', 'ip', '-6', 'neigh', 'show', 'fd00:77::1']);
    assert.match(gw.stdout, /lladdr 02:d4:00:00:00:00 PERMANENT/);
    const mac = await dslab(['exec', '--lab', LAB, last, '--', 'cat', '/sys/class/net/eth0/address']);
    assert.match(mac.stdout.trim(), /^02:d5:/);
    // nodes still find each other by neighbour discovery: the first host pings the last one
    const ping = await dslab(['exec', '--lab', LAB, 'h0', '--', 'ping', '-6', '-c', '1', '-W', '5', 'fd00:77::228']);
    assert.match(ping.stdout, /1 received/);
    const seen = await dslab(['exec', '--lab', LAB, 'h0', '--', 'ip', '-6', 'neigh', 'show', 'fd00:77::228']);
    assert.match(seen.stdout, new RegExp(`lladdr ${mac.stdout.trim()} (REACHABLE|STALE|DELAY)`), 'resolved by solicitation, not set');
    // the switch dropped the nodes' multicast listener reports instead of flooding them to every port;
    // without nft, up says that it could not
    if (findProgram('nft')) {
      const table = spawnSync('nsenter', [`--net=/run/netns/${LAB}-sw`, '--', 'nft', 'list', 'table', 'bridge', MLD_FILTER_TABLE], { encoding: 'utf8' });
      assert.equal(table.status, 0, table.stderr);
      const dropped = Number(/counter packets (\d+)/.exec(table.stdout)?.[1]);
      assert.ok(dropped >= NODES, `at least one report per node dropped, got ${dropped}`);
    } else assert.match(up.stdout + up.stderr, /nft is not installed, so every multicast listener report/);
    const fdb = spawnSync('nsenter', [`--net=/run/netns/${LAB}-sw`, '--', 'bridge', 'fdb', 'show', 'dev', last], { encoding: 'utf8' });
    assert.match(fdb.stdout, new RegExp(`^${mac.stdout.trim()} master br-net static`, 'm'), fdb.stdout + fdb.stderr);
  } finally {
    await dslab(['down', '--lab', LAB], { allowFailure: true, timeoutMs: 60_000 });
  }
  assertLabGone(LAB);
});
