/**
 * `dslab doctor` reports the real state of this machine: kernel IPv6, the tools (present or
 * not, with the package to install), privileges; exit 0 only when nothing required fails.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { test } from 'node:test';
import { run } from '../src/util/run.js';
import { cliPath, dslab } from './helpers/netns-lab.js';

interface Check {
  name: string;
  level: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

function onPath(tool: string): boolean {
  return [...(process.env['PATH'] ?? '').split(':'), '/usr/sbin', '/sbin'].some((d) => d && existsSync(join(d, tool)));
}

const asRoot = process.getuid?.() === 0;

/** Whether an ordinary user (nobody, when the tests run as root) can make what rootless `up` makes. */
async function rootlessWorks(): Promise<boolean> {
  const probe = ['unshare', '--user', '--map-root-user', '--net', '--mount', 'true'];
  const argv = asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...probe] : probe;
  const r = await run(argv[0]!, argv.slice(1), { allowFailure: true }).catch(() => ({ code: 1 }));
  return r.code === 0;
}

test('dslab doctor --json matches this machine', { timeout: 30_000 }, async () => {
  const r = await dslab(['doctor', '--json']);
  const body = JSON.parse(r.stdout) as { ok: boolean; checks: Check[] };
  const byName = new Map(body.checks.map((c) => [c.name, c]));
  assert.equal(byName.get('kernel IPv6')?.level, existsSync('/proc/sys/net/ipv6') ? 'ok' : 'fail');
  for (const tool of ['ip', 'nsenter', 'ping', 'curl', 'dig', 'nginx']) {
    const c = byName.get(`tool ${tool}`)!;
    assert.ok(c, `a check for ${tool}`);
    assert.equal(c.level === 'ok', onPath(tool), `${tool}: ${c.detail}`);
    if (c.level !== 'ok') assert.match(c.fix ?? '', /apt-get install/);
  }
  const rootless = await rootlessWorks();
  // as root the lab needs nothing more; an ordinary user needs working user namespaces
  assert.equal(byName.get('privileges')?.level, asRoot || rootless ? 'ok' : 'fail', byName.get('privileges')?.detail);
  const userns = byName.get('rootless namespaces');
  assert.ok(userns, 'a check that tries rootless mode');
  assert.equal(userns.level, rootless ? 'ok' : asRoot ? 'warn' : 'fail', userns.detail);
  if (asRoot) assert.match(userns.detail, /nobody/, 'as root, rootless mode is tried as an ordinary user');
  assert.ok(byName.has('mDNS in nsswitch.conf'));
  assert.equal(body.ok, body.checks.every((c) => c.level !== 'fail'));
  assert.equal(r.code, body.ok ? 0 : 1);
});

async function asNobodySkipReason(): Promise<string | undefined> {
  if (!asRoot || !existsSync('/usr/bin/setpriv')) return 'needs root and setpriv to run doctor as the user nobody';
  const r = await run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(cliPath())})`], { allowFailure: true });
  return r.code === 0 ? undefined : 'the user nobody cannot read the compiled dslab (check folder permissions)';
}

test('dslab doctor as an ordinary user says whether rootless labs work', { skip: await asNobodySkipReason(), timeout: 30_000 }, async () => {
  const r = await run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, cliPath(), 'doctor', '--json'], { allowFailure: true, timeoutMs: 20_000 });
  const body = JSON.parse(r.stdout) as { ok: boolean; checks: Check[] };
  const byName = new Map(body.checks.map((c) => [c.name, c]));
  const works = await rootlessWorks();
  const privileges = byName.get('privileges')!;
  assert.equal(privileges.level, works ? 'ok' : 'fail', privileges.detail);
  assert.match(privileges.detail, works ? /rootless/ : /cannot/);
  if (!works) assert.match(privileges.fix ?? '', /sudo/);
  assert.equal(byName.get('rootless namespaces')?.level, works ? 'ok' : 'fail');
  assert.equal(r.code, body.ok ? 0 : 1);
});
