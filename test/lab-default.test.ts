/**
 * The default lab (examples/default.yaml, used when no file is given) is exactly the
 * article's table: one dsnet network, web / dns / client at .10 / .53 / .20 and ::10 /
 * ::53 / ::20, and the records of its Corefile.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { defaultLabPath, loadLab, parseLab } from '../src/lab/load.js';
import type { Topology } from '../src/lab/topology.js';

const rec = (name: string, type: 'A' | 'AAAA', address: string) => ({ name, type, address, ttl: 3600, delayMs: 0, drop: false });
const node = (name: string, role: 'web' | 'dns' | 'client', v4: string, v6: string) => ({
  name,
  role,
  attachments: [{ network: 'dsnet', ifname: 'eth0', ipv4: v4, ipv6: v6 }],
  dns: ['172.30.0.53', 'fd00:dead:beef::53'],
});

const ARTICLE: Topology = {
  name: 'dslab',
  networks: [
    {
      name: 'dsnet',
      ipv4: { cidr: '172.30.0.0/24', address: '172.30.0.0', prefixLength: 24, family: 4 },
      gateway4: '172.30.0.1',
      ipv6: { cidr: 'fd00:dead:beef::/64', address: 'fd00:dead:beef::', prefixLength: 64, family: 6 },
      gateway6: 'fd00:dead:beef::1',
    },
  ],
  nodes: [
    { ...node('web', 'web', '172.30.0.10', 'fd00:dead:beef::10'), web: { server: 'builtin', port: 80 } },
    node('dns', 'dns', '172.30.0.53', 'fd00:dead:beef::53'),
    node('client', 'client', '172.30.0.20', 'fd00:dead:beef::20'),
  ],
  records: [
    rec('dual-ok.local', 'A', '172.30.0.10'),
    rec('dual-ok.local', 'AAAA', 'fd00:dead:beef::10'),
    rec('dual-badv6.local', 'A', '172.30.0.10'),
    rec('dual-badv6.local', 'AAAA', 'fd00:dead:beef::9999'),
  ],
  zones: ['local'],
  source: '<default>',
};

test('loadLab() without a path gives the article\'s lab, source <default>', async () => {
  assert.deepEqual(await loadLab(), ARTICLE);
});

test('loadLab(examples/default.yaml) gives the same lab with the file as source', async () => {
  const path = defaultLabPath();
  assert.deepEqual(await loadLab(path), { ...ARTICLE, source: path });
});

test('parseLab of the default file text gives the same lab', async () => {
  const text = await readFile(defaultLabPath(), 'utf8');
  assert.deepEqual(parseLab(text, 'default.yaml'), { ...ARTICLE, source: 'default.yaml' });
});

test('the default file explains its format to learners in comments', async () => {
  const text = await readFile(defaultLabPath(), 'utf8');
  for (const word of ['dual-badv6.local', 'hosts-file', 'ttl', 'role', 'dslab validate']) {
    assert.ok(text.includes(word), `default.yaml should mention ${word}`);
  }
});
