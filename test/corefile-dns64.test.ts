// A Corefile's `dns64` plugin lines (CoreDNS's dns64: prefix, translate_all, allow_ipv4) are read
// and served as CoreDNS serves them: synthesis only for queries that came in over IPv6 unless
// allow_ipv4, real AAAA records kept unless translate_all. Checked with dig against dslab's DNS
// server started with CoreDNS's command line in a namespace of the test's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corefileServerConfig, parseCorefile } from '../src/services/dns/corefile.js';
import { isDslabError } from '../src/errors.js';
import { run } from '../src/util/run.js';
import { startConfServer } from './helpers/conf-server.js';

const NS = 'dk2-dns64';

function skipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to create a network namespace';
  if (!existsSync('/usr/bin/dig')) return 'needs dig (dnsutils)';
  return undefined;
}

const HOSTS = ' hosts {\n  172.30.0.10 v4only.local\n  172.30.0.11 dual.local\n  fd00:dead:beef::11 dual.local\n }\n';

function refusal(text: string): { message: string; field: string | undefined } {
  try {
    parseCorefile(text);
  } catch (err) {
    if (isDslabError(err) && err.code === 'DSLAB_E_COREFILE') return { message: err.message, field: err.field };
    throw err;
  }
  assert.fail(`accepted: ${text}`);
}

test('dns64 forms are read as CoreDNS reads them', () => {
  const plain = parseCorefile(`. {\n dns64\n${HOSTS}}\n`).servers[0]!.dns64;
  assert.deepEqual({ ...plain, line: 0 }, { prefix: '64:ff9b::/96', translateAll: false, allowIpv4: false, line: 0 });
  assert.equal(parseCorefile(`. {\n dns64 64:1337::/96\n${HOSTS}}\n`).servers[0]!.dns64?.prefix, '64:1337::/96');
  const block = parseCorefile(`. {\n dns64 {\n  prefix 2001:db8:64:0:1::/64\n  translate_all\n  allow_ipv4\n }\n${HOSTS}}\n`).servers[0]!.dns64!;
  // the prefix is kept as its network address, as Go's net.ParseCIDR does
  assert.deepEqual([block.prefix, block.translateAll, block.allowIpv4, block.line], ['2001:db8:64::/64', true, true, 2]);

  const rules = corefileServerConfig(parseCorefile(`. {\n dns64 {\n  allow_ipv4\n }\n${HOSTS}}\n`)).dns64;
  assert.deepEqual(rules?.map((r) => r.clients), ['::/0', '0.0.0.0/0']);
  assert.equal(corefileServerConfig(parseCorefile(`. {\n${HOSTS}}\n`)).dns64, undefined);
});

test('dns64 lines CoreDNS or RFC 6052 refuse are DSLAB_E_COREFILE naming the line', () => {
  const odd = refusal(`. {\n${HOSTS} dns64 64:ff9b::/72\n}\n`);
  assert.match(odd.message, /Corefile:7: the dns64 prefix length \/72 is not one RFC 6052 allows \(CoreDNS accepts it/);
  assert.match(refusal(`. {\n dns64 64:ff9b::/100\n}\n`).message, /\/100 .*CoreDNS refuses it too/);
  assert.match(refusal(`. {\n dns64 172.30.0.0/24\n}\n`).message, /"172\.30\.0\.0\/24" is not an IPv6 prefix/);
  assert.match(refusal(`. {\n dns64 {\n  exclude 10.0.0.0/8\n }\n}\n`).message, /Corefile:3: "exclude 10\.0\.0\.0\/8" is not a dns64 option/);
  assert.match(refusal(`. {\n dns64 a b\n}\n`).message, /at most one argument/);
  assert.match(refusal(`. {\n dns64\n dns64\n}\n`).message, /already has "dns64" on line 2/);
  assert.match(refusal(`. {\n dns64 {\n  translate_all\n}\n`).message, /no closing/);
  // two blocks on one port that disagree: dslab applies one DNS64 setting per port
  assert.match(refusal(`local {\n dns64\n${HOSTS}}\nexample {\n hosts {\n  10.0.0.1 a.example\n }\n}\n`).message, /share port 53 but not their dns64 settings/);
});

test('-conf with dns64 synthesises over IPv6 only, keeps real AAAA, answers ipv4only.arpa when the block forwards', { skip: skipReason() }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dslab-dk2-dns64-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const dig = async (server: string, name: string, type: string) =>
    (await run('ip', ['netns', 'exec', NS, 'dig', '+short', '+time=2', '+tries=1', `@${server}`, name, type])).stdout.trim();

  const file = join(dir, 'Corefile');
  writeFileSync(file, `. {\n log\n dns64\n${HOSTS} forward . 1.1.1.1\n}\n`);
  const server = await startConfServer(t, NS, file);
  // CoreDNS's dns64 synthesises from every A record, a private one too (RFC 6052 §3.1 would not under the WKP)
  assert.equal(await dig('::1', 'v4only.local', 'AAAA'), '64:ff9b::ac1e:a');
  assert.equal(await dig('127.0.0.1', 'v4only.local', 'AAAA'), '', 'a query over IPv4 gets no synthesis without allow_ipv4');
  assert.equal(await dig('::1', 'dual.local', 'AAAA'), 'fd00:dead:beef::11', 'a real AAAA is kept (RFC 6147 §5.1.1)');
  assert.equal(await dig('::1', 'v4only.local', 'A'), '172.30.0.10');
  assert.equal(await dig('::1', 'ipv4only.arpa', 'AAAA'), '64:ff9b::c000:aa\n64:ff9b::c000:ab');
  assert.equal(await server.stop(), 0);

  writeFileSync(file, `. {\n dns64 fd00:64::/96 {\n  translate_all\n  allow_ipv4\n }\n${HOSTS}}\n`);
  const second = await startConfServer(t, NS, file);
  assert.equal(await dig('127.0.0.1', 'v4only.local', 'AAAA'), 'fd00:64::ac1e:a', 'allow_ipv4: IPv4 queries are synthesised too');
  assert.equal(await dig('::1', 'dual.local', 'AAAA'), 'fd00:64::ac1e:b', 'translate_all: the real AAAA is replaced');
  const nx = await run('ip', ['netns', 'exec', NS, 'dig', '+time=2', '+tries=1', '@::1', 'ipv4only.arpa', 'AAAA']);
  assert.doesNotMatch(nx.stdout, /fd00:64::/, 'without forward nothing supplies ipv4only.arpa, so nothing is synthesised for it');
  assert.equal(await second.stop(), 0);
});
