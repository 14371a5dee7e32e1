/**
 * `dslab addr` from the command line: text and --json for every form, and errors with their
 * code and a non-zero exit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { run } from '../src/util/run.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

const dslab = (...args: string[]) => run(process.execPath, [MAIN, ...args], { allowFailure: true, timeoutMs: 30_000 });

test('dslab addr ADDRESS prints the forms, type and reverse name', async () => {
  const r = await dslab('addr', '2001:0DB8:0:0:1:0:0:1');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /2001:0db8:0000:0000:0001:0000:0000:0001/);
  assert.match(r.stdout, /canonical:\s+2001:db8::1:0:0:1/);
  assert.match(r.stdout, /Documentation prefix/);
  assert.match(r.stdout, /ip6\.arpa/);
});

test('dslab addr PREFIX --json', async () => {
  const r = await dslab('addr', 'fd00:dead:beef::/64', '--json');
  assert.equal(r.code, 0, r.stderr);
  const e = JSON.parse(r.stdout);
  assert.equal(e.type.type, 'ula');
  assert.equal(e.prefix.size.power, '2^64');
  assert.equal(e.ula.globalId, '00deadbeef');
});

test('dslab addr ula, eui64 and subnet, as text and --json', async () => {
  const ula = await dslab('addr', 'ula', '--subnet', '1', '--json');
  assert.equal(ula.code, 0, ula.stderr);
  assert.equal(JSON.parse(ula.stdout).subnetId, 1);
  assert.match((await dslab('addr', 'ula', '--random')).stdout, /random global ID/);
  const eui = await dslab('addr', 'eui64', '52:54:00:12:34:56', '2001:db8:1:2::/64', '--json');
  assert.equal(JSON.parse(eui.stdout).slaac.address, '2001:db8:1:2:5054:ff:fe12:3456');
  assert.match((await dslab('addr', 'eui64', '52:54:00:12:34:56')).stdout, /fe80::5054:ff:fe12:3456/);
  const sub = await dslab('addr', 'subnet', '2001:db8::/48', '64', '--json');
  assert.equal(JSON.parse(sub.stdout).last, '2001:db8:0:ffff::/64');
  assert.match((await dslab('addr', 'subnet', '10.0.0.0/8', '24')).stdout, /10\.255\.255\.0\/24/);
});

test('multicast flags are spelled out', async () => {
  const r = await dslab('addr', 'ff7e:230:2001:db8::1');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /flags:.*R \(rendezvous.*P \(based on a unicast prefix.*T \(transient/);
  assert.match((await dslab('addr', 'ff02::1')).stdout, /flags:\s+none \(a permanent group assigned by IANA\)/);
});

test('an invalid address exits 1 with its code, in text and JSON', async () => {
  const r = await dslab('addr', '2001::1234::5678');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /DSLAB_E_ADDR_DOUBLE_COLON/);
  assert.match(r.stderr, /2001::1234:0:0:5678/);
  const j = await dslab('addr', '2001:db8::/129', '--json');
  assert.equal(j.code, 1);
  assert.equal(JSON.parse(j.stdout).error.code, 'DSLAB_E_ADDR_PREFIX_LENGTH');
  const show = await dslab('addr', 'subnet', '2001:db8::/48', '64', '--show', '0');
  assert.equal(show.code, 2);
  assert.match(show.stderr, /DSLAB_E_BAD_OPTION/);
});
