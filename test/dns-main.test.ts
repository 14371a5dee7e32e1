// The DNS server process as `up` starts it (the bundle where the build made one): ready
// protocol, log file, SIGTERM exit 0, start-up errors exit 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceEntry } from '../src/services/entry.js';
import { loopbackConfig, udpQuery } from './helpers/dns-lab.js';

const MAIN = serviceEntry('dns');

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function exited(child: ChildProcess): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Spawns main.js; collects stdout and stderr; kills it in `after` if a test left it running. */
function startMain(t: { after: (fn: () => Promise<void>) => void }, args: string[]): { child: ChildProcess; stdout: () => string; stderr: () => string } {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited(child);
    }
  });
  return { child, stdout: () => out, stderr: () => err };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('main.js prints ready once bound, logs queries to --log, exits 0 on SIGTERM', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'dslab-dns-main-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const config = join(dir, 'dns.json');
  const logFile = join(dir, 'dns.log');
  await writeFile(config, JSON.stringify(loopbackConfig()));
  const { child, stdout, stderr } = startMain(t, ['--config', config, '--log', logFile]);
  await waitFor(() => stdout().includes('\n') || child.exitCode !== null, 'ready');
  assert.equal(stdout(), 'ready\n', `stderr: ${stderr()}`);

  const log = await readFile(logFile, 'utf8');
  const port = Number(/listening on udp 127\.0\.0\.1:(\d+)/.exec(log)?.[1]);
  assert.ok(port > 0, log);
  assert.match(log, /listening on tcp \[::1\]:\d+/);
  const reply = await udpQuery('127.0.0.1', port, 'dual-ok.local', 'A');
  assert.deepEqual(reply?.answers?.map((a) => a.data), ['172.30.0.10']);

  child.kill('SIGTERM');
  assert.deepEqual(await exited(child), { code: 0, signal: null });
  assert.equal(alive(child.pid!), false);
  assert.equal(stdout(), 'ready\n', 'nothing but ready on stdout');
  assert.match(await readFile(logFile, 'utf8'), /\[INFO\] 127\.0\.0\.1:\d+ - \d+ "A IN dual-ok\.local\. udp \d+ false 512" NOERROR qr,aa,rd \d+ [\d.]+s\n/);
  assert.match(await readFile(logFile, 'utf8'), /\[INFO\] stopped: 1 queries \(NOERROR 1, .*\), 0 dropped, 0 malformed, 0 truncated\n$/);
});

test('a bad config field fails start-up with exit 1, naming the field and value', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'dslab-dns-main-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const config = join(dir, 'dns.json');
  await writeFile(config, JSON.stringify({ ...loopbackConfig(), listen: [{ address: '127.0.0.300', port: 0 }] }));
  const { child, stdout, stderr } = startMain(t, ['--config', config]);
  assert.deepEqual(await exited(child), { code: 1, signal: null });
  assert.equal(stdout(), '');
  assert.match(stderr(), /DSLAB_E_DNS_CONFIG/);
  assert.match(stderr(), /field: listen\.0\.address/);
  assert.match(stderr(), /127\.0\.0\.300/);
});

test('missing --config, unreadable file and a port already taken all exit 1 with a reason', async (t) => {
  const noArgs = startMain(t, []);
  assert.equal((await exited(noArgs.child)).code, 1);
  assert.match(noArgs.stderr(), /--config is required/);

  const missing = startMain(t, ['--config', '/nonexistent/dslab-dns.json']);
  assert.equal((await exited(missing.child)).code, 1);
  assert.match(missing.stderr(), /cannot read --config/);

  // a first server holds a port; a second one asked for the same port must fail cleanly
  const dir = await mkdtemp(join(tmpdir(), 'dslab-dns-main-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const { startDnsServer } = await import('../src/services/dns/server.js');
  const holder = await startDnsServer({ ...loopbackConfig(), listen: [{ address: '127.0.0.1', port: 0 }] });
  t.after(() => holder.close());
  const taken = holder.addresses()[0]!.port;
  const config = join(dir, 'dns.json');
  await writeFile(config, JSON.stringify({ ...loopbackConfig(), listen: [{ address: '127.0.0.1', port: taken }] }));
  const second = startMain(t, ['--config', config]);
  assert.equal((await exited(second.child)).code, 1);
  assert.match(second.stderr(), /DSLAB_E_SERVICE_FAILED/);
  assert.match(second.stderr(), new RegExp(`port ${taken}`));
});

test('--faults: a file without rules starts the server as is; a file with rules is checked, and a wrong rule fails start-up naming its field', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'dslab-dns-main-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const config = join(dir, 'dns.json');
  const logFile = join(dir, 'dns.log');
  const faults = join(dir, 'dns.faults.json');
  await writeFile(config, JSON.stringify(loopbackConfig()));
  const rule = { id: 'f1', name: 'dual-ok.local', type: 'A', answer: 'nxdomain' };
  for (const [file, ack] of [[{ generation: 0, faults: [] }, '0'], [{ generation: 3, faults: [rule] }, '3']] as const) {
    await writeFile(faults, JSON.stringify(file));
    const { child, stdout, stderr } = startMain(t, ['--config', config, '--log', logFile, '--faults', faults]);
    await waitFor(() => stdout().includes('\n') || child.exitCode !== null, 'ready');
    assert.equal(stdout(), 'ready\n', `stderr: ${stderr()}`);
    assert.equal((await readFile(`${faults}.loaded`, 'utf8')).trim(), ack);
    const port = Number([...(await readFile(logFile, 'utf8')).matchAll(/listening on udp 127\.0\.0\.1:(\d+)/g)].at(-1)?.[1]);
    const reply = await udpQuery('127.0.0.1', port, 'dual-ok.local', 'A');
    assert.equal(reply?.rcode, file.faults.length === 0 ? 'NOERROR' : 'NXDOMAIN');
    child.kill('SIGTERM');
    assert.equal((await exited(child)).code, 0);
  }
  for (const bad of [{ generation: 1, faults: [{ ...rule, answer: 'maybe' }] }, { generation: -1, faults: [] }, { generation: 0, faults: [], extra: 1 }]) {
    await writeFile(faults, JSON.stringify(bad));
    const { child, stderr } = startMain(t, ['--config', config, '--faults', faults]);
    assert.equal((await exited(child)).code, 1, JSON.stringify(bad));
    assert.match(stderr(), /DSLAB_E_DNS_CONFIG/);
  }
});
