// `dslab export compose`: the root compose.yaml and Corefile are the export of the default
// lab; the compose file keeps the seed's services, names, addresses and network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { composeDns } from '../src/backends/docker/compose-file.js';
import { composeTexts, exportCompose } from '../src/backends/docker/export.js';
import { loadLab } from '../src/lab/load.js';
import { packageRoot } from '../src/util/package-root.js';

interface ComposeDoc {
  name?: string;
  services: Record<string, {
    image: string;
    container_name: string;
    init?: boolean;
    command?: string[];
    volumes?: string[];
    dns?: string[];
    depends_on?: string[];
    build?: { context: string; dockerfile: string };
    networks: Record<string, { ipv4_address?: string; ipv6_address?: string }>;
  }>;
  networks: Record<string, { driver: string; enable_ipv6: boolean; ipam: { config: Array<{ subnet: string }> } }>;
}

test('the root compose.yaml and Corefile are the export of the default lab', async () => {
  const root = packageRoot();
  const texts = composeTexts(await loadLab(), root);
  assert.equal(readFileSync(join(root, 'compose.yaml'), 'utf8'), texts.compose, 'compose.yaml is stale: run "dslab export compose --out ." at the repository root');
  assert.equal(readFileSync(join(root, 'Corefile'), 'utf8'), texts.corefile, 'Corefile is stale: run "dslab export compose --out ." at the repository root');
});

test('compose.yaml has the seed\'s services, containers, addresses, dns and network', () => {
  const doc = parse(readFileSync(join(packageRoot(), 'compose.yaml'), 'utf8')) as ComposeDoc;
  assert.equal(doc.name, undefined, 'no top-level name: (docker-compose 1.29 rejects it)');
  const s = doc.services;
  assert.deepEqual(Object.keys(s), ['web', 'dns', 'client']);
  assert.deepEqual(Object.values(s).map((x) => x.container_name), ['rd-ds-web', 'rd-ds-dns', 'rd-ds-client']);
  assert.deepEqual(s.web!.networks, { dsnet: { ipv4_address: '172.30.0.10', ipv6_address: 'fd00:dead:beef::10' } });
  assert.deepEqual(s.dns!.networks, { dsnet: { ipv4_address: '172.30.0.53', ipv6_address: 'fd00:dead:beef::53' } });
  assert.deepEqual(s.client!.networks, { dsnet: { ipv4_address: '172.30.0.20', ipv6_address: 'fd00:dead:beef::20' } });
  assert.equal(s.web!.image, '${DSLAB_WEB_IMAGE:-nginx:alpine}');
  assert.equal(s.dns!.image, '${DSLAB_DNS_IMAGE:-coredns/coredns:1.11.1}');
  assert.deepEqual(s.dns!.command, ['-conf', '/Corefile']);
  assert.deepEqual(s.dns!.volumes, ['./Corefile:/Corefile:ro']);
  assert.deepEqual(s.client!.command, ['sh', '-c', 'sleep infinity']);
  assert.deepEqual(s.client!.depends_on, ['web', 'dns']);
  // the seed's `dns: [172.30.0.53]`: Docker's resolver (127.0.0.11) forwards to it
  assert.deepEqual(s.client!.dns, ['172.30.0.53']);
  assert.deepEqual(s.client!.build, { context: '.', dockerfile: 'docker/client/Dockerfile' });
  for (const svc of Object.values(s)) assert.equal(svc.init, true, 'init: true so that down does not wait 10 s');
  assert.deepEqual(doc.networks, {
    dsnet: { driver: 'bridge', enable_ipv6: true, ipam: { config: [{ subnet: '172.30.0.0/24' }, { subnet: 'fd00:dead:beef::/64' }] } },
  });
});

test('a lab with another name gets names of its own, and a build context pointing home', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dslab-dk1-export-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const lab = await loadLab();
  lab.name = 'dk1';
  const written = await exportCompose(lab, dir);
  const doc = parse(readFileSync(written.compose, 'utf8')) as ComposeDoc;
  assert.deepEqual(Object.values(doc.services).map((x) => x.container_name), ['rd-dk1-web', 'rd-dk1-dns', 'rd-dk1-client']);
  assert.equal(doc.services.client!.build!.context, relative(dir, packageRoot()));
  assert.match(readFileSync(written.corefile, 'utf8'), /^ {4}fd00:dead:beef::9999 dual-badv6\.local$/m);
});

test('a lab other than the default carries its lab file to the client (lab.yaml, DSLAB_LAB); the default lab does not', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dslab-dk3-export-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const big = join(packageRoot(), 'examples', 'big.yaml');
  const lab = await loadLab(big);
  lab.name = 'dk3';
  const written = await exportCompose(lab, dir);
  assert.equal(readFileSync(written.labFile!, 'utf8'), readFileSync(big, 'utf8'));
  const doc = parse(readFileSync(written.compose, 'utf8')) as ComposeDoc & { services: Record<string, { environment?: Record<string, string> }> };
  assert.deepEqual(doc.services.client!.environment, { DSLAB_LAB: '/etc/dslab/lab.yaml', DSLAB_LAB_NAME: 'dk3' });
  assert.deepEqual(doc.services.client!.volumes, ['./lab.yaml:/etc/dslab/lab.yaml:ro']);
  const root = parse(readFileSync(join(packageRoot(), 'compose.yaml'), 'utf8')) as ComposeDoc & { services: Record<string, { environment?: unknown }> };
  assert.equal(root.services.client!.environment, undefined, 'the image already holds the default lab');
});

test('a client\'s dns: lists its IPv4 resolvers, or its IPv6 ones when it has no IPv4 resolver', async () => {
  const lab = await loadLab();
  const client = lab.nodes.find((n) => n.role === 'client')!;
  assert.deepEqual(client.dns, ['172.30.0.53', 'fd00:dead:beef::53'], 'the lab itself keeps both');
  assert.deepEqual(composeDns(client), ['172.30.0.53']);
  assert.deepEqual(composeDns({ ...client, dns: ['fd00:dead:beef::53'] }), ['fd00:dead:beef::53']);
  assert.deepEqual(composeDns({ ...client, dns: [] }), []);
});
