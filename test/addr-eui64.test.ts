/**
 * Modified EUI-64 interface IDs and SLAAC addresses: worked examples, and the Linux kernel's
 * own link-local address for a MAC (a veth in a namespace of our own, removed afterwards).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import process from 'node:process';
import { eui64, explainAddress } from '../src/addr/index.js';
import { run } from '../src/util/run.js';

test('EUI-64: ff:fe in the middle and the universal/local bit flipped', () => {
  const r = eui64('00:11:22:33:44:55', '2001:db8:1:2::/64');
  assert.equal(r.eui64, '02:11:22:ff:fe:33:44:55');
  assert.equal(r.interfaceId, '211:22ff:fe33:4455');
  assert.equal(r.linkLocal, 'fe80::211:22ff:fe33:4455');
  assert.equal(r.slaac?.address, '2001:db8:1:2:211:22ff:fe33:4455');
  assert.equal(r.universal, true);
  const local = eui64('52-54-00-12-34-56');
  assert.equal(local.eui64, '50:54:00:ff:fe:12:34:56');
  assert.equal(local.universal, false);
  assert.equal(local.slaac, undefined);
});

test('MAC spellings: colons, dashes, Cisco dots, bare hex, upper case', () => {
  for (const mac of ['AA:BB:CC:DD:EE:F0', 'aa-bb-cc-dd-ee-f0', 'aabb.ccdd.eef0', 'aabbccddeef0']) {
    assert.equal(eui64(mac).interfaceId, 'a8bb:ccff:fedd:eef0', mac);
  }
  assert.equal(eui64('02:00:00:ff:fe:00:00:01').eui64, '00:00:00:ff:fe:00:00:01', 'an 8-byte EUI-64 only gets its bit flipped');
});

test('the prefix keeps its top 64 bits; the SLAAC address reads back as the same MAC', () => {
  const r = eui64('52:54:00:12:34:56', '2001:db8:1:2:ffff::1/64');
  assert.equal(r.slaac?.prefix, '2001:db8:1:2::/64');
  assert.equal(r.slaac?.address, '2001:db8:1:2:5054:ff:fe12:3456');
  assert.equal(explainAddress(r.slaac!.address).type.eui64Mac, '52:54:00:12:34:56');
});

const ROOT_REASON = process.getuid?.() === 0 ? undefined : 'needs root to create a network namespace';

test('agrees with the Linux kernel\'s EUI-64 link-local address', { skip: ROOT_REASON }, async (t) => {
  const ns = `dslabaddr-eui${process.pid}`;
  const mac = '52:54:00:ab:cd:ef';
  try {
    await run('ip', ['netns', 'add', ns]);
  } catch (err) {
    t.skip(`cannot create a network namespace here: ${(err as Error).message}`);
    return;
  }
  t.after(async () => {
    await run('ip', ['netns', 'del', ns], { allowFailure: true });
    const left = await run('ip', ['netns', 'list']);
    assert.ok(!left.stdout.split('\n').some((l) => l.split(' ')[0] === ns), `namespace ${ns} was left behind`);
  });
  await run('ip', ['-n', ns, 'link', 'add', 'a0', 'address', mac, 'type', 'veth', 'peer', 'name', 'a1']);
  await run('ip', ['-n', ns, 'link', 'set', 'a0', 'addrgenmode', 'eui64']);
  await run('ip', ['-n', ns, 'link', 'set', 'a1', 'up']);
  await run('ip', ['-n', ns, 'link', 'set', 'a0', 'up']);
  let kernel: string | undefined;
  for (let i = 0; i < 40 && !kernel; i++) {
    const out = await run('ip', ['-n', ns, '-6', '-j', 'addr', 'show', 'dev', 'a0']);
    const info = (JSON.parse(out.stdout) as Array<{ addr_info: Array<{ local: string; scope: string }> }>)[0]?.addr_info ?? [];
    kernel = info.find((a) => a.scope === 'link')?.local;
    if (!kernel) await new Promise((r) => setTimeout(r, 50));
  }
  if (!kernel) {
    t.skip('the kernel formed no IPv6 link-local address (IPv6 disabled?)');
    return;
  }
  assert.equal(eui64(mac).linkLocal, kernel);
});
