/**
 * A lab larger than this machine's kernel limits allow is refused before anything is built:
 * its neighbour entries against the real `gc_thresh3` (read from the machine, never changed
 * here), and a network with more nodes than a Linux bridge has ports. `validate` and `up`
 * give DSLAB_E_KERNEL_LIMIT with the value found, the value needed and the command that raises
 * it; nothing is created; messages stay readable at any size. `doctor` reports the limits.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { limitProblems, neighbourTable, BRIDGE_MAX_PORTS } from '../src/backends/netns/kernel-limits.js';
import { labStateDir } from '../src/backends/netns/state.js';
import { parseLab } from '../src/lab/load.js';
import { dslab, labLeftovers } from './helpers/netns-lab.js';

/** A one-network lab with web, dns, client and `hosts` more nodes, dual-stack, in 10.80.0.0/16 + fd00:80::/64. */
function bigLab(name: string, hosts: number): string {
  const lines = [`name: ${name}`, 'networks:', '  - name: net', '    ipv4: 10.80.0.0/16', '    ipv6: "fd00:80::/64"', 'nodes:'];
  const node = (n: string, role: string, i: number, extra = '') =>
    lines.push(`  - name: ${n}`, `    role: ${role}`, ...(extra ? [extra] : []), '    addresses:', `      net: { ipv4: 10.80.${Math.floor(i / 250)}.${(i % 250) + 2}, ipv6: "fd00:80::${(i + 2).toString(16)}" }`);
  node('web', 'web', 0, '    web: { server: builtin, port: 80 }');
  node('dns', 'dns', 1);
  node('client', 'client', 2);
  for (let i = 0; i < hosts; i++) node(`h${i}`, 'host', i + 3);
  lines.push('records:', '  - name: ok.kl.test', '    a: 10.80.0.2', '    aaaa: "fd00:80::2"');
  return lines.join('\n') + '\n';
}

const v6 = neighbourTable(6);

test('a lab that needs more IPv6 neighbour entries than gc_thresh3 allows is refused by validate and up, and nothing is created', { skip: v6 ? false : 'no /proc/sys/net/ipv6 neighbour limits here' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dslab-limits-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // enough hosts to pass the machine's real limit (and stay below a bridge's ports when the limit allows)
  const hosts = Math.ceil((v6!.max - v6!.inUse) / 2) + 20;
  const file = join(dir, 'toolarge.yaml');
  writeFileSync(file, bigLab('kt1', hosts));
  const v = await dslab(['validate', file, '--json'], { timeoutMs: 30_000 });
  assert.equal(v.code, 1, v.stderr);
  const e = (JSON.parse(v.stdout) as { error: { code: string; field: string; value: number; hint: string; details: { problems: Array<{ limit: string; found: number; needed: number }> } } }).error;
  assert.equal(e.code, 'DSLAB_E_KERNEL_LIMIT');
  const p6 = e.details.problems.find((p) => p.limit === 'net.ipv6.neigh.default.gc_thresh3');
  assert.ok(p6, JSON.stringify(e.details.problems));
  assert.equal(p6.found, Number(readFileSync('/proc/sys/net/ipv6/neigh/default/gc_thresh3', 'utf8')));
  assert.ok(p6.needed > p6.found);
  assert.match(e.hint, /sysctl -w net\.ipv6\.neigh\.default\.gc_thresh3=\d+|only root can raise/);

  const up = await dslab(['up', file, '--json'], { timeoutMs: 60_000 });
  assert.equal(up.code, 1, up.stderr);
  assert.equal((JSON.parse(up.stdout) as { error: { code: string } }).error.code, 'DSLAB_E_KERNEL_LIMIT');
  assert.equal(existsSync(labStateDir('kt1')), false, 'no state folder');
  assert.deepEqual(labLeftovers('kt1'), []);
  // the text form: one readable message, no line longer than a terminal can show
  const text = await dslab(['up', file], { timeoutMs: 60_000 });
  assert.equal(text.code, 1);
  assert.match(text.stderr, /neighbour table is too small for this lab.*Nothing was created/);
  for (const line of text.stderr.split('\n')) assert.ok(line.length <= 400, `a ${line.length}-character line`);
});

test('a network with more nodes than a bridge has ports is refused, whatever the neighbour limits', () => {
  const topology = parseLab(bigLab('kt2', BRIDGE_MAX_PORTS), 'test');
  const bridge = limitProblems(topology, 'root').find((p) => p.limit === 'bridge ports of network net');
  assert.ok(bridge, 'the bridge limit is named');
  assert.equal(bridge.found, 1023);
  assert.equal(bridge.needed, BRIDGE_MAX_PORTS + 3);
  assert.match(bridge.message, /Split the nodes over several networks/);
  // the article's lab fits anywhere
  assert.deepEqual(limitProblems(parseLab(bigLab('kt3', 0), 'test'), 'root'), []);
});

test('dslab doctor reports the neighbour-table limits', async () => {
  const r = await dslab(['doctor', '--json']);
  const checks = (JSON.parse(r.stdout) as { checks: Array<{ name: string; detail: string }> }).checks;
  const c = checks.find((x) => x.name === 'IPv6 neighbour table');
  assert.ok(c, JSON.stringify(checks.map((x) => x.name)));
  assert.match(c.detail, /gc_thresh3 = \d+, \d+ in use: room for about \d+ more IPv6 lab nodes/);
});
