import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { firstLine, freeDualPort, ipv6Loopback, serviceMain, tempDir, waitExit } from './helpers/web-tools.js';

function startMain(t: TestContext, args: string[]) {
  const child = spawn(process.execPath, [serviceMain('web'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await waitExit(child);
    }
  });
  return { child, out: () => stdout, err: () => stderr };
}

test('main.ts: ready once bound, serves, logs, SIGTERM exits 0 with nothing more on stdout', async (t) => {
  const dir = await tempDir(t, 'dslab-web-main-');
  const v6 = await ipv6Loopback();
  const port = await freeDualPort();
  const config = join(dir, 'web.json');
  const log = join(dir, 'web.log');
  await writeFile(config, JSON.stringify({ name: 'web', listen: [{ address: '127.0.0.1', port }, ...(v6 ? [{ address: '::1', port }] : [])] }));
  await writeFile(log, 'earlier line\n');
  const p = startMain(t, ['--config', config, '--log', log]);
  assert.equal(await firstLine(p.child), 'ready');
  const w4 = (await (await fetch(`http://127.0.0.1:${port}/whoami`)).json()) as { family: string };
  assert.equal(w4.family, 'IPv4');
  if (v6) {
    const w6 = (await (await fetch(`http://[::1]:${port}/whoami`)).json()) as { family: string };
    assert.equal(w6.family, 'IPv6');
  }
  p.child.kill('SIGTERM');
  assert.equal(await waitExit(p.child), 0);
  assert.equal(p.out(), 'ready\n');
  const lines = (await readFile(log, 'utf8')).trim().split('\n');
  assert.equal(lines[0], 'earlier line', 'the log is appended to, not truncated');
  assert.equal(lines.length, v6 ? 3 : 2);
  assert.match(lines[1]!, /"GET \/whoami HTTP\/1\.1" 200 .* IPv4 /);
  // the port is free again
  await new Promise<void>((resolve, reject) => {
    const s = net.createServer().once('error', reject);
    s.listen({ host: '127.0.0.1', port, exclusive: true }, () => s.close(() => resolve()));
  });
});

test('main.ts: a bad config exits 1 with the error code on stderr and never says ready', async (t) => {
  const dir = await tempDir(t, 'dslab-web-main-');
  const config = join(dir, 'web.json');
  await writeFile(config, JSON.stringify({ name: 'web', listen: [{ address: '172.30.0.999', port: 80 }] }));
  const p = startMain(t, ['--config', config]);
  assert.equal(await waitExit(p.child), 1);
  assert.equal(p.out(), '');
  assert.match(p.err(), /listen\[0\]\.address/);
  assert.match(p.err(), /DSLAB_E_SERVICE_CONFIG/);
});

test('main.ts: a port already taken exits 1 naming the address', async (t) => {
  const dir = await tempDir(t, 'dslab-web-main-');
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen({ host: '127.0.0.1', port: 0 }, () => resolve()));
  t.after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const port = (blocker.address() as net.AddressInfo).port;
  const config = join(dir, 'web.json');
  await writeFile(config, JSON.stringify({ name: 'web', listen: [{ address: '127.0.0.1', port }] }));
  const p = startMain(t, ['--config', config]);
  assert.equal(await waitExit(p.child), 1);
  assert.equal(p.out(), '');
  assert.match(p.err(), /EADDRINUSE/);
  assert.match(p.err(), /DSLAB_E_SERVICE_FAILED/);
});

test('main.ts: a missing --config or unreadable file exits 1', async (t) => {
  const none = startMain(t, []);
  assert.equal(await waitExit(none.child), 1);
  assert.match(none.err(), /--config/);
  const missing = startMain(t, ['--config', '/nonexistent/dslab-web.json']);
  assert.equal(await waitExit(missing.child), 1);
  assert.match(missing.err(), /DSLAB_E_SERVICE_CONFIG/);
});
