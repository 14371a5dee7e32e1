/**
 * The rootless path, run by an unprivileged user (nobody, through setpriv, when the tests
 * run as root): `dslab up` builds the lab inside a user namespace held by a keeper, commands
 * run in the nodes with their own resolver, and `dslab down` leaves no process or file (lab nt8).
 */
import assert from 'node:assert/strict';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { test } from 'node:test';
import { run } from '../src/util/run.js';
import { cliPath } from './helpers/netns-lab.js';

const LAB = 'nt8';
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

async function skipReason(): Promise<string | undefined> {
  if (process.platform !== 'linux') return 'needs Linux';
  for (const tool of ['/usr/bin/setpriv', '/usr/bin/unshare', '/usr/bin/nsenter']) if (asRoot && !existsSync(tool)) return `needs ${tool}`;
  const probe = asRoot
    ? await run('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', 'unshare', '--user', '--map-root-user', '--net', 'true'], { allowFailure: true })
    : await run('unshare', ['--user', '--map-root-user', '--net', 'true'], { allowFailure: true });
  if (probe.code !== 0) return `unprivileged user namespaces are not available here: ${probe.stderr.trim()} (see "dslab doctor")`;
  if (asRoot) {
    // nobody must be able to read the compiled code
    const r = await run('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(cliPath())})`], { allowFailure: true });
    if (r.code !== 0) return 'the user nobody cannot read the compiled dslab (check folder permissions)';
  }
  return undefined;
}

function processesMentioning(text: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmd.includes(text)) out.push(`${e}: ${cmd}`);
    } catch {
      // gone
    }
  }
  return out;
}

test('rootless: an unprivileged user brings a lab up, uses it and takes it down', { timeout: 60_000 }, async (t) => {
  const reason = await skipReason();
  if (reason) {
    t.skip(reason);
    return;
  }
  const stateRoot = mkdtempSync(join(tmpdir(), 'dslab-rootless-'));
  if (asRoot) chownSync(stateRoot, NOBODY, NOBODY);
  const env = { ...process.env, DSLAB_STATE_ROOT: stateRoot, HOME: stateRoot };
  const dslab = (args: string[]) =>
    asRoot
      ? run('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, cliPath(), ...args], { env, allowFailure: true, timeoutMs: 30_000 })
      : run(process.execPath, [cliPath(), ...args], { env, allowFailure: true, timeoutMs: 30_000 });
  let pids: number[] = [];
  try {
    const upRun = await dslab(['up', '--name', LAB, '--json']);
    assert.equal(upRun.code, 0, upRun.stderr + upRun.stdout);
    const up = JSON.parse(upRun.stdout) as { mode: string; ipv6Check: Array<{ ok: boolean }>; services: Array<{ pid: number }> };
    assert.equal(up.mode, 'rootless');
    assert.ok(up.ipv6Check.length === 3 && up.ipv6Check.every((p) => p.ok));
    const state = JSON.parse(readFileSync(join(stateRoot, LAB, 'state.json'), 'utf8')) as { keeper: { pid: number }; holders: Record<string, { pid: number }> };
    pids = [state.keeper.pid, ...Object.values(state.holders).map((h) => h.pid), ...up.services.map((s) => s.pid)];
    assert.equal(Object.keys(state.holders).length, 4);
    if (asRoot) assert.equal(readFileSync(`/proc/${state.keeper.pid}/status`, 'utf8').match(/^Uid:\s+(\d+)/m)?.[1], String(NOBODY), 'the keeper runs as nobody');

    const v6 = await dslab(['exec', '--lab', LAB, 'client', '--', 'curl', '-sS', '-v', 'http://dual-ok.local/whoami']);
    assert.equal(v6.code, 0, v6.stderr);
    assert.match(v6.stderr, /Connected to dual-ok\.local \(fd00:dead:beef::10\)/);
    assert.match(v6.stdout, /IPv6/);
    const v4 = await dslab(['exec', '--lab', LAB, 'client', '--', 'curl', '-sS', '-4', 'http://172.30.0.10/whoami']);
    assert.match(v4.stdout, /IPv4/);
    const resolv = await dslab(['exec', '--lab', LAB, 'client', '--', 'cat', '/etc/resolv.conf']);
    assert.match(resolv.stdout, /^nameserver fd00:dead:beef::53$/m);
    const st = await dslab(['status', '--lab', LAB, '--json']);
    assert.equal(st.code, 0, st.stderr);
    assert.equal((JSON.parse(st.stdout) as { health: string }).health, 'up');
  } finally {
    const d = await dslab(['down', '--lab', LAB]);
    assert.equal(d.code, 0, d.stderr);
    const leftPids = pids.filter((p) => existsSync(`/proc/${p}`) && !readFileSync(`/proc/${p}/stat`, 'utf8').includes(') Z'));
    const mentioning = processesMentioning(stateRoot);
    const leftFiles = existsSync(join(stateRoot, LAB));
    rmSync(stateRoot, { recursive: true, force: true });
    assert.deepEqual(leftPids, [], 'no keeper, holder or service process is left');
    assert.deepEqual(mentioning, []);
    assert.equal(leftFiles, false, 'the state folder is removed');
  }
});
