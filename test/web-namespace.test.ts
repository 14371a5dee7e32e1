import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { run } from '../src/util/run.js';
import { FAR, makeVethLab, NEAR, NEAR_NS, namespaces, vethLabUnavailable } from './helpers/web-netns.js';
import { firstLine, hasProgram, isAlive, serviceMain, tempDir, waitExit } from './helpers/web-tools.js';

test('across a real veth, curl -4 / -6 visitors are told apart with their plain addresses', async (t) => {
  const reason = (await vethLabUnavailable()) ?? ((await hasProgram('curl')) ? undefined : 'curl is not installed');
  if (reason) return t.skip(reason);
  const lab = await makeVethLab(t);
  const dir = await tempDir(t, 'dslab-web-ns-');
  const config = join(dir, 'web.json');
  await writeFile(config, JSON.stringify({ name: 'web', listen: [{ address: FAR.ipv4, port: 80 }, { address: FAR.ipv6, port: 80 }] }));
  const cmd = lab.far([process.execPath, serviceMain('web'), '--config', config, '--log', join(dir, 'web.log')]);
  const server = spawn(cmd.file, cmd.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(async () => {
    if (server.pid && isAlive(server.pid)) {
      server.kill('SIGKILL');
      await waitExit(server);
    }
  });
  assert.equal(await firstLine(server, 10000), 'ready');

  const get = async (args: string[], url: string) => {
    const c = lab.near(['curl', '-sS', '--max-time', '5', ...args, url]);
    return JSON.parse((await run(c.file, c.args, { timeoutMs: 10000 })).stdout) as { family: string; client: { address: string }; server: { address: string } };
  };
  const v4 = await get(['-4'], `http://${FAR.ipv4}/whoami`);
  assert.deepEqual([v4.family, v4.client.address, v4.server.address], ['IPv4', NEAR.ipv4, FAR.ipv4]);
  const v6 = await get(['-6', '-g'], `http://[${FAR.ipv6}]/whoami`);
  assert.deepEqual([v6.family, v6.client.address, v6.server.address], ['IPv6', NEAR.ipv6, FAR.ipv6]);

  server.kill('SIGTERM');
  assert.equal(await waitExit(server), 0);
  await lab.destroy();
  assert.equal((await namespaces()).includes(NEAR_NS), false);
});
