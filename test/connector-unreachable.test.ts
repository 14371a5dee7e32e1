// RFC 6724 rule 1 for real: in a private network namespace that has only loopback, a global
// IPv6 destination has no route, so it has no source address and is sorted (and tried) last,
// although glibc's table ranks IPv6 (40) above IPv4 (10). Learning the source sends nothing
// (a UDP connect() only picks a route), and the namespace dies with its process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { run } from '../src/util/run.js';
import { compiledSrcDir } from '../src/util/package-root.js';

const skip =
  process.getuid?.() !== 0
    ? 'needs root (unshare -n makes a private network namespace)'
    : spawnSync('unshare', ['--version'], { stdio: 'ignore' }).status !== 0
      ? 'unshare (util-linux) is missing'
      : spawnSync('ip', ['-V'], { stdio: 'ignore' }).status !== 0
        ? 'ip (iproute2) is missing'
        : false;

const SCRIPT = `
import { execFileSync } from 'node:child_process';
import net from 'node:net';
const src = process.argv[2];
execFileSync('ip', ['link', 'set', 'lo', 'up']);
const { learnSource } = await import(src + '/connector/source-address.js');
const { happyConnect } = await import(src + '/connector/connect.js');
const server = net.createServer((s) => s.end());
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;
const out = { v6: await learnSource('2001:db8::1', 6), v4: await learnSource('192.0.2.1', 4), lo: await learnSource('127.0.0.1', 4) };
const r = await happyConnect({ host: 'r1.test', port, hostsFile: process.argv[3], cache: false, policy: 'glibc', explain: true });
r.socket.destroy();
out.candidates = r.candidates.map((c) => [c.address, c.source ?? null]);
out.attempts = r.attempts.map((a) => [a.address, a.outcome]);
out.rules = r.explain.decisions.map((d) => d.rule);
server.close();
console.log(JSON.stringify(out));
`;

test('rule 1: a destination with no route has no source address and is tried last', { skip }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'he-unreach-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const hosts = join(dir, 'hosts');
  const script = join(dir, 'probe.mjs');
  writeFileSync(hosts, '2001:db8::1 r1.test\n127.0.0.1 r1.test\n');
  writeFileSync(script, SCRIPT);
  const r = await run('unshare', ['-n', '--', process.execPath, script, compiledSrcDir(), hosts], { timeoutMs: 20_000 });
  const out = JSON.parse(r.stdout) as {
    v6: { source?: string; error?: string };
    v4: { source?: string; error?: string };
    lo: { source?: string };
    candidates: Array<[string, string | null]>;
    attempts: Array<[string, string]>;
    rules: number[];
  };
  // no route: no source (not the wildcard address a failed UDP connect leaves bound)
  assert.equal(out.v6.source, undefined);
  assert.equal(out.v6.error, 'ENETUNREACH');
  assert.equal(out.v4.source, undefined);
  assert.equal(out.lo.source, '127.0.0.1');
  assert.deepEqual(out.candidates, [
    ['127.0.0.1', '127.0.0.1'],
    ['2001:db8::1', null],
  ]);
  assert.deepEqual(out.rules, [1]);
  assert.deepEqual(out.attempts, [['127.0.0.1', 'connected']]);
});
