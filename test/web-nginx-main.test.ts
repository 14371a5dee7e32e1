import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { NGINX_BIN, prepareNginx } from '../src/services/web/nginx.js';
import { curl, firstLine, freeDualPort, hasProgram, ipv6Loopback, isAlive, waitExit } from './helpers/web-tools.js';
import { articleTopology } from './helpers/lab-fixtures.js';

/** Pids whose parent is `pid`, from /proc. */
async function childPids(pid: number): Promise<number[]> {
  const out: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(entry));
  }
  return out;
}

test('prepareNginx + nginx-main: ready protocol, both families, SIGTERM stops nginx and its workers', async (t) => {
  if (!existsSync(NGINX_BIN)) return t.skip(`${NGINX_BIN} is not installed (apt-get install nginx-light)`);
  if (!(await hasProgram('curl'))) return t.skip('curl is not installed');
  if (!(await ipv6Loopback())) return t.skip('no IPv6 loopback (::1) in this environment');
  if (process.getuid?.() !== 0) return t.skip('nginx is tested as root (CI runs as root)');
  const dir = await mkdtemp(join(tmpdir(), 'dslab-web-nginxmain-'));
  const tracked: number[] = [];
  t.after(async () => {
    for (const pid of tracked) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });
  const topology = articleTopology('webtest');
  const web = topology.nodes.find((n) => n.name === 'web')!;
  // the web node's addresses, moved to loopback so the test sends nothing outside
  const port = await freeDualPort();
  web.attachments = [{ network: 'dsnet', ifname: 'eth0', ipv4: '127.0.0.1', ipv6: '::1' }];
  web.web = { server: 'nginx', port };
  const log = join(dir, 'web.log');
  const argv = await prepareNginx(topology, web, dir, log, { rootless: false });
  assert.match(await readFile(join(dir, 'nginx.conf'), 'utf8'), new RegExp(`listen \\[::1\\]:${port};`));

  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  assert.ok(child.pid);
  tracked.push(child.pid);
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const ready = firstLine(child, 10000);
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  assert.equal(await ready, 'ready', err);
  const nginx = await childPids(child.pid);
  assert.equal(nginx.length, 1, 'one nginx master under the wrapper');
  const workers = await childPids(nginx[0]!);
  tracked.push(...nginx, ...workers);

  const w4 = JSON.parse((await curl(['-4'], `http://127.0.0.1:${port}/whoami`)).body) as { family: string };
  const w6 = JSON.parse((await curl(['-6', '-g'], `http://[::1]:${port}/whoami`)).body) as { family: string };
  assert.equal(w4.family, 'IPv4');
  assert.equal(w6.family, 'IPv6');

  child.kill('SIGTERM');
  assert.equal(await waitExit(child, 5000), 0, err);
  assert.equal(out, 'ready\n');
  for (const pid of [...nginx, ...workers]) assert.equal(isAlive(pid), false, `nginx process ${pid} is gone`);
  const lines = (await readFile(log, 'utf8')).trim().split('\n');
  assert.equal(lines.length, 2);

  await rm(dir, { recursive: true, force: true });
  assert.equal(existsSync(dir), false);
});

test('nginx-main: an nginx that cannot bind exits 1 with the reason, never ready', async (t) => {
  if (!existsSync(NGINX_BIN)) return t.skip(`${NGINX_BIN} is not installed (apt-get install nginx-light)`);
  if (process.getuid?.() !== 0) return t.skip('nginx is tested as root (CI runs as root)');
  const dir = await mkdtemp(join(tmpdir(), 'dslab-web-nginxmain-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const topology = articleTopology('webtest');
  const web = topology.nodes.find((n) => n.name === 'web')!;
  // 192.0.2.1 (TEST-NET-1) is on no interface here: bind() fails, nothing is sent
  web.attachments = [{ network: 'dsnet', ifname: 'eth0', ipv4: '192.0.2.1' }];
  web.web = { server: 'nginx', port: 80 };
  const argv = await prepareNginx(topology, web, dir, join(dir, 'web.log'), { rootless: false });
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  t.after(() => {
    if (child.pid && isAlive(child.pid)) child.kill('SIGKILL');
  });
  assert.equal(await waitExit(child, 15000), 1);
  assert.equal(out, '');
  assert.match(err, /DSLAB_E_SERVICE_FAILED/);
  assert.match(err, /bind\(\)|Cannot assign requested address/);
});
