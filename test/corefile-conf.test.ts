// dslab's DNS server takes CoreDNS's command line: `main.js -conf Corefile` serves the
// Corefile's hosts entries on port 53 of both families (here inside a namespace of our own),
// and a Corefile outside the subset stops it with the line named, before it binds anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compiledSrcDir, packageRoot } from '../src/util/package-root.js';
import { run } from '../src/util/run.js';
import { startConfServer } from './helpers/conf-server.js';

const NS = 'dk2-conf';
const mainJs = join(compiledSrcDir(), 'services', 'dns', 'main.js');

function skipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to create a network namespace';
  if (!existsSync('/usr/bin/dig')) return 'needs dig (dnsutils)';
  return undefined;
}

test('-conf with the root Corefile answers the article\'s records over IPv4 and IPv6', { skip: skipReason() }, async (t) => {
  const server = await startConfServer(t, NS, join(packageRoot(), 'Corefile'));
  const stderr = server.stderr();
  assert.match(stderr, /Corefile:\d+: "forward \. 1\.1\.1\.1 8\.8\.8\.8" is not followed/);

  const dig = async (server: string, name: string, type: string) =>
    (await run('ip', ['netns', 'exec', NS, 'dig', '+short', '+time=2', '+tries=1', `@${server}`, name, type])).stdout.trim();
  assert.equal(await dig('127.0.0.1', 'dual-ok.local', 'A'), '172.30.0.10');
  assert.equal(await dig('::1', 'dual-ok.local', 'AAAA'), 'fd00:dead:beef::10');
  assert.equal(await dig('::1', 'dual-badv6.local', 'AAAA'), 'fd00:dead:beef::9999');
  assert.equal(await dig('127.0.0.1', '10.0.30.172.in-addr.arpa', 'PTR'), 'dual-ok.local.\ndual-badv6.local.');
  const nx = await run('ip', ['netns', 'exec', NS, 'dig', '+time=2', '+tries=1', '@127.0.0.1', 'example.com', 'A']);
  assert.match(nx.stdout, /status: SERVFAIL/, 'names outside the hosts entries are never forwarded: SERVFAIL at once, as CoreDNS without a reachable upstream');

  assert.equal(await server.stop(), 0);
});

test('-conf with a Corefile outside the subset exits 1 naming the line', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dslab-dk2-corefile-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'Corefile');
  writeFileSync(file, '. {\n  log\n  cache 30\n}\n');
  const r = await run(process.execPath, [mainJs, '-conf', file], { allowFailure: true, timeoutMs: 10_000 });
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /DSLAB_E_COREFILE/);
  assert.ok(r.stderr.includes(`${file}:3`), r.stderr);
});

test('-conf takes exactly one path', async () => {
  const r = await run(process.execPath, [mainJs, '-conf'], { allowFailure: true, timeoutMs: 10_000 });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /-conf takes one Corefile path/);
});
