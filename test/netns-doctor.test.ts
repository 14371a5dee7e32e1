/**
 * `dslab doctor` reports the real state of this machine: kernel IPv6, the tools (present or
 * not, with the package to install), privileges; exit 0 only when nothing required fails.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { test } from 'node:test';
import { dslab } from './helpers/netns-lab.js';

interface Check {
  name: string;
  level: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

function onPath(tool: string): boolean {
  return [...(process.env['PATH'] ?? '').split(':'), '/usr/sbin', '/sbin'].some((d) => d && existsSync(join(d, tool)));
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
  assert.equal(byName.get('privileges')?.level, process.getuid?.() === 0 ? 'ok' : 'warn');
  assert.ok(byName.has('mDNS in nsswitch.conf'));
  assert.equal(body.ok, body.checks.every((c) => c.level !== 'fail'));
  assert.equal(r.code, body.ok ? 0 : 1);
});
