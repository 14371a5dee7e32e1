/**
 * `dslab up` proves IPv6 on every node even where ping is not installed: it then uses dslab's
 * own probe (a datagram to a closed port, refused by the node) instead of an echo request.
 * ping is made really missing (test/helpers/hide-tool.ts), not mocked.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { down } from '../src/backends/netns/down.js';
import { dslabWithoutTool, hideToolSkipReason } from './helpers/hide-tool.js';
import { assertLabGone, netnsSkipReason } from './helpers/netns-lab.js';

const LAB = 'nw1';

test('without ping, up proves every IPv6 address with the probe', { skip: netnsSkipReason() ?? hideToolSkipReason('ping'), timeout: 60_000 }, async (t) => {
  await down(LAB);
  t.after(async () => {
    await down(LAB);
    assertLabGone(LAB);
  });
  const r = await dslabWithoutTool('ping', ['up', '--name', LAB, '--json'], { timeoutMs: 30_000 });
  assert.equal(r.code, 0, `dslab up failed (exit ${r.code}): ${r.stderr}\n${r.stdout.slice(0, 2000)}`);
  const up = JSON.parse(r.stdout) as { ipv6Check: Array<{ node: string; address: string; ok: boolean; via: string }> };
  assert.deepEqual(
    up.ipv6Check.map((p) => [p.node, p.address]).sort(),
    [['client', 'fd00:dead:beef::20'], ['dns', 'fd00:dead:beef::53'], ['web', 'fd00:dead:beef::10']],
  );
  for (const p of up.ipv6Check) {
    assert.equal(p.ok, true, JSON.stringify(p));
    assert.equal(p.via, 'probe', 'ping was hidden, so the probe must have proven it');
  }
});

test('with ping, up proves every IPv6 address by echo request', { skip: netnsSkipReason(['ping']), timeout: 60_000 }, async (t) => {
  await down(LAB);
  t.after(async () => {
    await down(LAB);
    assertLabGone(LAB);
  });
  const { dslab } = await import('./helpers/netns-lab.js');
  const r = await dslab(['up', '--name', LAB, '--json'], { timeoutMs: 30_000 });
  assert.equal(r.code, 0, r.stderr);
  const up = JSON.parse(r.stdout) as { ipv6Check: Array<{ ok: boolean; via: string }> };
  assert.equal(up.ipv6Check.length, 3);
  assert.ok(up.ipv6Check.every((p) => p.ok && p.via === 'ping'), JSON.stringify(up.ipv6Check));
});
