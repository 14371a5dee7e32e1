/**
 * NAT64 and DNS64: RFC 6052 embedding at every allowed prefix length, DNS64's answers from the
 * DNS responder (synthesised for A-only names, real AAAA kept, IPv4-mapped AAAA excluded, none
 * for a client outside the rule), the lab file's refusals, and `dslab run examples/nat64.yaml`
 * on a real translator (Tayga + nftables): the NAT64 checks pass and nothing is left, not even
 * the tun device.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import dnsPacket from 'dns-packet';
import { isDslabError } from '../src/errors.js';
import { embedIpv4, extractIpv4 } from '../src/addr/nat64.js';
import { parseLab } from '../src/lab/load.js';
import { answerQuery } from '../src/services/dns/respond.js';
import { ZoneTable } from '../src/services/dns/zone.js';
import type { RunReport } from '../src/experiments/types.js';
import { packageRoot } from '../src/util/package-root.js';
import { assertLabGone, dslab, netnsSkipReason } from './helpers/netns-lab.js';
import { ordinaryUser, ordinaryUserSkipReason } from './helpers/ordinary-user.js';

test('RFC 6052 §2.4 examples: 192.0.2.33 in each prefix length, and back', () => {
  const cases: Array<[string, string]> = [
    ['2001:db8::/32', '2001:db8:c000:221::'],
    ['2001:db8:100::/40', '2001:db8:1c0:2:21::'],
    ['2001:db8:122::/48', '2001:db8:122:c000:2:2100::'],
    ['2001:db8:122:300::/56', '2001:db8:122:3c0:0:221::'],
    ['2001:db8:122:344::/64', '2001:db8:122:344:c0:2:2100:0'],
    ['2001:db8:122:344::/96', '2001:db8:122:344::c000:221'],
  ];
  for (const [prefix, expected] of cases) {
    assert.equal(embedIpv4(prefix, '192.0.2.33'), expected, prefix);
    assert.equal(extractIpv4(prefix, expected), '192.0.2.33', prefix);
  }
  assert.equal(extractIpv4('fd00:64::/96', 'fd00:dead:beef::10'), undefined);
});

const lab = (extra = '', node = '', net = '  - { name: v6, ipv6: "fd00:64:1::/64", dns64: true }') => `
name: n64t
networks:
${net}
  - { name: v4, ipv4: 172.30.9.0/24 }
nodes:
  - { name: x, role: nat64, ${node}addresses: { v6: { ipv6: "fd00:64:1::64" }, v4: { ipv4: 172.30.9.64 } } }
  - { name: c, role: client, addresses: { v6: { ipv6: "fd00:64:1::20" } } }
  - { name: d, role: dns, addresses: { v4: { ipv4: 172.30.9.53 } } }
${extra}`;

test('NAT64 lab files: defaults, and each refusal with its code and field', () => {
  const t = parseLab(lab(), 'ok.yaml');
  const x = t.nodes.find((n) => n.name === 'x')!;
  assert.equal(x.nat64?.prefix, 'fd00:64::/96', 'private IPv4: the network-specific default (RFC 6052 §3.1)');
  assert.equal(t.networks[0]!.dns64?.translator, 'x');
  const cases: Array<[string, string, RegExp]> = [
    [lab('', 'nat64: { prefix: "64:ff9b::/96" }, '), 'DSLAB_E_LAB_NAT64', /nodes\[0\]\.nat64\.prefix/],
    [lab('', 'nat64: { prefix: "fd00:64::/80" }, '), 'DSLAB_E_LAB_NAT64', /nodes\[0\]\.nat64\.prefix/],
    [lab('', 'nat64: { pool: 172.30.9.0/25 }, '), 'DSLAB_E_LAB_NAT64', /nodes\[0\]\.nat64\.pool/],
    // a translator between two IPv6 networks has no IPv4 side
    [lab().replace('{ name: v4, ipv4: 172.30.9.0/24 }', '{ name: v4, ipv6: "fd00:9::/64" }').replace('v4: { ipv4: 172.30.9.64 }', 'v4: { ipv6: "fd00:9::64" }').replace('v4: { ipv4: 172.30.9.53 }', 'v4: { ipv6: "fd00:9::53" }'), 'DSLAB_E_LAB_NAT64', /nodes\[0\]\.addresses/],
    [lab().replace('role: nat64', 'role: router'), 'DSLAB_E_LAB_DNS64', /networks\[0\]\.dns64/],
  ];
  for (const [text, code, field] of cases) {
    assert.throws(() => parseLab(text, 'bad.yaml'), (err: unknown) => {
      assert.ok(isDslabError(err), String(err));
      assert.equal(err.code, code, err.message);
      assert.match(err.field ?? '', field, err.message);
      assert.ok(err.hint, 'a fix is named');
      return true;
    });
  }
});

test('DNS64 answers: synthesised for A only, real AAAA kept, IPv4-mapped excluded, only for its clients', () => {
  const table = new ZoneTable({
    zones: ['local'],
    records: [
      { name: 'v4only.local', type: 'A', address: '172.30.0.10', ttl: 300, delayMs: 0, drop: false },
      { name: 'dual.local', type: 'A', address: '172.30.0.11', ttl: 300, delayMs: 0, drop: false },
      { name: 'dual.local', type: 'AAAA', address: 'fd00:dead:beef::11', ttl: 300, delayMs: 0, drop: false },
      { name: 'mapped.local', type: 'A', address: '172.30.0.12', ttl: 300, delayMs: 0, drop: false },
      { name: 'mapped.local', type: 'AAAA', address: '::ffff:172.30.0.12', ttl: 300, delayMs: 0, drop: false },
    ],
    ptr: [],
    listen: [{ address: '127.0.0.1', port: 0 }],
    soa: { mname: 'dns.local', rname: 'hostmaster.local', serial: 1, ttl: 3600, minimum: 60 },
  });
  const rule = { clients: 'fd00:64:1::/64', prefix: 'fd00:64::/96' };
  const ask = (name: string, withRule: boolean) => {
    const out = answerQuery(table, dnsPacket.encode({ type: 'query', id: 1, questions: [{ type: 'AAAA', name }] }), 'udp', [], withRule ? rule : undefined);
    assert.equal(out.kind, 'answer');
    return { out, answers: (dnsPacket.decode((out as { response: Buffer }).response).answers ?? []).map((a) => [(a as { data?: unknown }).data, (a as { ttl?: number }).ttl]) };
  };
  const v4 = ask('v4only.local', true);
  assert.deepEqual(v4.answers, [['fd00:64::ac1e:a', 60]], 'TTL capped at the negative TTL (RFC 6147 §5.1.7)');
  assert.deepEqual((v4.out as { synthesised?: unknown }).synthesised, [{ from: '172.30.0.10', to: 'fd00:64::ac1e:a' }]);
  assert.deepEqual(ask('dual.local', true).answers, [['fd00:dead:beef::11', 300]]);
  assert.deepEqual(ask('mapped.local', true).answers, [['fd00:64::ac1e:c', 300]], '::ffff:0:0/96 excluded (§5.1.4); no negative answer, so the A TTL (§5.1.7)');
  assert.deepEqual(ask('v4only.local', false).answers, [], 'no rule, no synthesis');
  assert.deepEqual(ask('nothere.local', true).answers, [], 'NXDOMAIN is not synthesised');
});

const tunDevices = (): string => execFileSync('ip', ['-o', 'link', 'show', 'type', 'tun'], { encoding: 'utf8' });

test('dslab run examples/nat64.yaml: DNS64 and NAT64 through a real Tayga; nothing left', { skip: netnsSkipReason(['tayga', 'nft', 'dig', 'stdbuf']) }, async () => {
  const tunBefore = tunDevices();
  const out = await mkdtemp(join(tmpdir(), 'dslab-nat64-'));
  try {
    const r = await dslab(['run', join(packageRoot(), 'examples', 'nat64.yaml'), '--name', 'n64r', '--json', '--out', out], { allowFailure: true, timeoutMs: 120_000 });
    const report = JSON.parse(r.stdout) as RunReport;
    const nat64 = report.checks.filter((c) => c.section === 'nat64');
    assert.deepEqual(report.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.reason}`), []);
    assert.deepEqual(nat64.map((c) => [c.id, c.status]), [
      ['nat64.client.ipv6only', 'pass'],
      ['nat64.dns64.synthesis', 'pass'],
      ['nat64.http.translated', 'pass'],
      ['nat64.prefix.discovery', 'pass'],
      ['nat64.http.native', 'pass'],
      ['nat64.literal.ipv4', 'pass'],
    ]);
    const synth = nat64.find((c) => c.id === 'nat64.dns64.synthesis')!.data as { answers: string[] };
    assert.deepEqual(synth.answers, ['fd00:64::ac1e:a']);
    const via = nat64.find((c) => c.id === 'nat64.http.translated')!.data as { whoami: { family: string; client: { address: string } } };
    assert.deepEqual([via.whoami.family, via.whoami.client.address], ['IPv4', '172.30.0.64'], "web saw the translator's IPv4 address");
  } finally {
    await rm(out, { recursive: true, force: true });
    assertLabGone('n64r');
  }
  assert.equal(tunDevices(), tunBefore, 'no tun device left');
});

test('dslab up examples/nat64.yaml --corefile: the Corefile\'s dns64 line serves the IPv6-only client through Tayga', { skip: netnsSkipReason(['tayga', 'nft', 'dig', 'stdbuf', 'curl']) }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dslab-nat64-corefile-'));
  const corefile = join(dir, 'Corefile');
  const hosts = '  hosts {\n    172.30.0.10 v4only.local\n  }\n';
  try {
    await writeFile(corefile, `. {\n  log\n  dns64 64:ff9b::/96\n${hosts}}\n`);
    // a prefix no translator of the lab uses: said before anything is made
    const warned = await dslab(['up', join(packageRoot(), 'examples', 'nat64.yaml'), '--name', 'n64c', '--corefile', corefile]);
    assert.match(warned.stderr, /dns64 synthesises AAAA records under 64:ff9b::\/96, but no role: nat64 node of lab n64c translates that prefix/);
    await dslab(['down', '--lab', 'n64c']);
    assertLabGone('n64c');

    await writeFile(corefile, `. {\n  log\n  dns64 {\n    prefix fd00:64::/96\n  }\n${hosts}}\n`);
    const up = await dslab(['up', join(packageRoot(), 'examples', 'nat64.yaml'), '--name', 'n64c', '--corefile', corefile]);
    assert.doesNotMatch(up.stderr, /no role: nat64 node/);
    const inClient = async (...cmd: string[]) => (await dslab(['exec', '--lab', 'n64c', 'client', '--', ...cmd])).stdout.trim();
    assert.equal(await inClient('dig', '+short', '+time=2', '+tries=1', 'v4only.local', 'AAAA'), 'fd00:64::ac1e:a');
    const whoami = JSON.parse(await inClient('curl', '-s', '-m', '5', 'http://v4only.local/whoami')) as { family: string; client: { address: string } };
    assert.deepEqual([whoami.family, whoami.client.address], ['IPv4', '172.30.0.64']);
    assert.match((await dslab(['logs', '--lab', 'n64c', 'dns'])).stdout, /DNS64 synthesised AAAA v4only\.local\. fd00:64::ac1e:a from A 172\.30\.0\.10/);
  } finally {
    await dslab(['down', '--lab', 'n64c'], { allowFailure: true });
    await rm(dir, { recursive: true, force: true });
    assertLabGone('n64c');
  }
});

test('rootless NAT64: refused before anything is made when the user cannot open /dev/net/tun, else translated', { skip: netnsSkipReason(['tayga', 'nft', 'stdbuf', 'curl']) }, async (t) => {
  const why = await ordinaryUserSkipReason(true);
  if (why) return t.skip(why);
  const user = ordinaryUser();
  const file = join(packageRoot(), 'examples', 'nat64.yaml');
  // the user's state root is removed afterwards if this test made it (other tests need it absent)
  const stateRoot = `/tmp/dslab-${user.uid}`;
  const hadRoot = existsSync(stateRoot);
  t.after(() => {
    if (!hadRoot) rmSync(stateRoot, { recursive: true, force: true });
  });
  // whether this machine lets the user open the tun device is read from the machine, never changed
  const tun = await user.run([process.execPath, '-e', "require('fs').accessSync('/dev/net/tun', require('fs').constants.R_OK | require('fs').constants.W_OK)"]);
  try {
    const up = await user.dslab(['up', file, '--name', 'rn64t']);
    if (tun.code !== 0) {
      assert.equal(up.code, 1, up.stdout);
      assert.match(up.stderr, /The translator "xlat" \(role: nat64\) needs a tun device, and \/dev\/net\/tun cannot be opened by this user \(EACCES\)/);
      assert.match(up.stderr, /DSLAB_E_NOT_PRIVILEGED/);
      assert.doesNotMatch(up.stderr, /Creating/, 'refused before anything was created');
    } else {
      assert.equal(up.code, 0, up.stderr);
      const r = await user.dslab(['exec', '--lab', 'rn64t', 'client', '--', 'curl', '-s', '-m', '5', 'http://v4only.local/whoami']);
      assert.equal((JSON.parse(r.stdout) as { client: { address: string } }).client.address, '172.30.0.64');
    }
  } finally {
    await user.dslab(['down', '--lab', 'rn64t']);
  }
  const state = await user.run(['sh', '-c', 'ls -A /tmp/dslab-$(id -u)/rn64t 2>/dev/null || true']);
  assert.equal(state.stdout.trim(), '', 'no state of the lab left');
});

test('dslab validate examples/nat64.yaml shows the translator\'s prefix, pool, IPv4 side and the DNS64 networks', async () => {
  const r = await dslab(['validate', join(packageRoot(), 'examples', 'nat64.yaml')]);
  assert.match(r.stdout, /NAT64 \(Tayga \+ nftables masquerade\) and DNS64\n\s+TRANSLATOR\s+PREFIX\s+POOL\s+IPV4 SIDE \(SERVERS SEE\)\s+DNS64 FOR\n\s+xlat\s+fd00:64::\/96\s+192\.168\.255\.0\/24\s+172\.30\.0\.64 \(dsnet\)\s+v6only \(fd00:64:1::\/64\)\n/);
  const flat = await dslab(['validate']);
  assert.doesNotMatch(flat.stdout, /NAT64/, 'a lab without a translator has no NAT64 section');
});
