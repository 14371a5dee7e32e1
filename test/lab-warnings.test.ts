/**
 * labWarnings: what a valid lab does that is worth saying. The default lab has exactly one
 * warning, about dual-badv6.local's AAAA address that no node has.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadLab, parseLab } from '../src/lab/load.js';
import { labWarnings } from '../src/lab/warnings.js';

test('the default lab warns only that dual-badv6.local AAAA is unreachable', async () => {
  assert.deepEqual(labWarnings(await loadLab()), [
    'dual-badv6.local AAAA fd00:dead:beef::9999: no node has this address; connections to it will be unreachable (that is what dual-badv6 is for)',
  ]);
});

const head = (ipv4: string) => `networks: [{ name: n, ipv4: ${ipv4} }]\n`;

test('a lab without a client node is valid but warned about', () => {
  const lab = parseLab(`${head('10.9.0.0/24')}nodes: [{ name: a, role: host, addresses: { n: { ipv4: 10.9.0.2 } } }]\n`, 'x');
  const warnings = labWarnings(lab);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? '', /no node has role client/);
});

test('a record outside every lab network, or on a gateway, is warned about', () => {
  const lab = parseLab(
    `${head('10.9.0.0/24')}nodes:
  - { name: c, role: client, addresses: { n: { ipv4: 10.9.0.2 } } }
  - { name: d, role: dns, addresses: { n: { ipv4: 10.9.0.53 } } }
records:
  - 10.200.0.1 far.test
  - 10.9.0.1 gw.test
  - 10.9.0.2 c.test
`,
    'x',
  );
  const warnings = labWarnings(lab);
  assert.equal(warnings.length, 2);
  assert.match(warnings[0] ?? '', /^far\.test A 10\.200\.0\.1: .*outside every lab network/);
  assert.match(warnings[1] ?? '', /^gw\.test A 10\.9\.0\.1: .*gateway of network n/);
});

test('a public address range is allowed but warned about', () => {
  const lab = parseLab(`${head('100.64.0.0/24')}nodes: [{ name: c, role: client, addresses: { n: { ipv4: 100.64.0.2 } } }]\n`, 'x');
  assert.deepEqual(labWarnings(lab).map((w) => /not a private range/.test(w)), [true]);
});

test('a node that cannot reach any resolver of its family is warned about', () => {
  const lab = parseLab(
    `networks: [{ name: n, ipv4: 10.9.0.0/24, ipv6: "fd09::/64" }]
nodes:
  - { name: c, role: client, addresses: { n: { ipv6: "fd09::2" } } }
  - { name: d, role: dns, addresses: { n: { ipv4: 10.9.0.53 } } }
`,
    'x',
  );
  assert.deepEqual(labWarnings(lab), ['node c has no resolver of its address family, so names will not resolve there']);
});
