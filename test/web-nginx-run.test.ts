import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { NGINX_BIN, nginxCommand, nginxConfig, waitForNginxReady } from '../src/services/web/nginx.js';
import { run } from '../src/util/run.js';
import { curl, freeDualPort, hasProgram, ipv6Loopback, isAlive, waitExit } from './helpers/web-tools.js';

/** Pids whose parent is `pid` (nginx's workers), from /proc. */
async function childPids(pid: number): Promise<number[]> {
  const out: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) out.push(Number(entry));
  }
  return out;
}

async function whyNot(rootless: boolean): Promise<string | undefined> {
  if (!existsSync(NGINX_BIN)) return `${NGINX_BIN} is not installed (apt-get install nginx-light)`;
  if (!(await hasProgram('curl'))) return 'curl is not installed';
  if (!(await ipv6Loopback())) return 'no IPv6 loopback (::1) in this environment';
  if (process.getuid?.() !== 0) return 'nginx on its own state folder is tested as root (CI runs as root)';
  if (rootless) {
    const r = await run('unshare', ['--user', '--map-root-user', 'true'], { allowFailure: true }).catch(() => undefined);
    if (!r || r.code !== 0) return 'user namespaces (unshare --user) are not available here';
  }
  return undefined;
}

async function nginxRound(t: TestContext, rootless: boolean, indexPage: string | null | undefined): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'dslab-web-nginx-'));
  const tracked: number[] = [];
  t.after(async () => {
    for (const pid of tracked) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });
  const port = await freeDualPort();
  const conf = join(dir, 'nginx.conf');
  const listen = [
    { address: '127.0.0.1', port },
    { address: '::1', port },
  ];
  await writeFile(conf, nginxConfig({ listen, stateDir: dir, rootless, name: 'web', ...(indexPage === undefined ? {} : { indexPage }) }));
  const cmd = nginxCommand(conf, dir);
  // rootless labs run nginx as root of a user namespace with one uid mapped; unshare -r is that
  const [file, args] = rootless ? ['unshare', ['--user', '--map-root-user', cmd.file, ...cmd.args]] : [cmd.file, cmd.args];
  const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  assert.ok(child.pid);
  tracked.push(child.pid);
  await waitForNginxReady(dir, child.pid, 5000);
  const workers = await childPids(child.pid);
  tracked.push(...workers);
  assert.ok(workers.length >= 1, 'nginx started its worker');

  const w4 = JSON.parse((await curl(['-4'], `http://127.0.0.1:${port}/whoami`)).body) as Record<string, unknown>;
  assert.deepEqual(w4.server, { address: '127.0.0.1', port });
  assert.equal(w4.family, 'IPv4');
  assert.equal((w4.client as { address: string }).address, '127.0.0.1');
  assert.equal(w4.host, `127.0.0.1:${port}`);
  assert.equal(w4.node, 'web');
  const w6 = JSON.parse((await curl(['-6', '-g'], `http://[::1]:${port}/whoami`)).body) as Record<string, unknown>;
  assert.equal(w6.family, 'IPv6');
  assert.equal((w6.client as { address: string }).address, '::1');
  // a Host header that would break the JSON is not echoed
  const odd = await curl(['-4', '-H', 'Host: a"b'], `http://127.0.0.1:${port}/whoami`);
  assert.equal((JSON.parse(odd.body) as { host: unknown }).host, null);

  const index = await curl(['-6', '-g'], `http://[::1]:${port}/`);
  assert.equal(index.status, 200);
  assert.match(index.body, /<title>Welcome to nginx!<\/title>/);
  if (indexPage === null) assert.match(index.body, /You reached web over IPv6 from ::1 port \d+/);
  assert.equal((await curl(['-4'], `http://127.0.0.1:${port}/nope`)).status, 404);
  const head = await curl(['-4', '-I'], `http://127.0.0.1:${port}/whoami`);
  assert.equal(head.status, 200);
  assert.equal(head.body, '');

  child.kill('SIGQUIT');
  assert.equal(await waitExit(child, 5000), 0);
  for (const pid of workers) assert.equal(isAlive(pid), false, `worker ${pid} is gone`);
  assert.equal(existsSync(join(dir, 'nginx.pid')), false, 'nginx removed its pid file');

  const log = (await readFile(join(dir, 'web.log'), 'utf8')).trim().split('\n');
  assert.equal(log.length, 6);
  assert.match(log[0]!, /^127\.0\.0\.1 - - \[.*\] "GET \/whoami HTTP\/1\.1" 200 \d+ .* IPv4 client=127\.0\.0\.1:\d+ /);
  assert.match(log[1]!, /^::1 - - \[.*\] "GET \/whoami HTTP\/1\.1" 200 .* IPv6 client=\[::1\]:\d+ server=\[::1\]:/);

  await rm(dir, { recursive: true, force: true });
  assert.equal(existsSync(dir), false);
}

test('nginx as root: both families, /whoami, Debian page, clean stop', async (t) => {
  const reason = await whyNot(false);
  if (reason) return t.skip(reason);
  await nginxRound(t, false, undefined);
});

test('nginx rootless (user namespace): both families, generated page, clean stop', async (t) => {
  const reason = await whyNot(true);
  if (reason) return t.skip(reason);
  await nginxRound(t, true, null);
});

test('waitForNginxReady reports an nginx that cannot start, with its error log', async (t) => {
  const reason = await whyNot(false);
  if (reason) return t.skip(reason);
  const dir = await mkdtemp(join(tmpdir(), 'dslab-web-nginx-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const conf = join(dir, 'nginx.conf');
  // 192.0.2.1 (TEST-NET) is on no interface here: bind() fails; nothing is sent anywhere
  await writeFile(conf, nginxConfig({ listen: [{ address: '192.0.2.1', port: 8 }], stateDir: dir, rootless: false, name: 'web', indexPage: null }));
  const cmd = nginxCommand(conf, dir);
  const child = spawn(cmd.file, cmd.args, { stdio: 'ignore' });
  assert.ok(child.pid);
  t.after(() => {
    if (isAlive(child.pid!)) process.kill(child.pid!, 'SIGKILL');
  });
  await assert.rejects(waitForNginxReady(dir, child.pid, 5000), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'DSLAB_E_SERVICE_FAILED');
    assert.match(err.message, /Cannot assign requested address|bind\(\)/);
    return true;
  });
  assert.notEqual(await waitExit(child, 5000), 'timeout');
});
