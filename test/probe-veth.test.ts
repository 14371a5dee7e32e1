import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { run } from '../src/util/run.js';
import { FAR, makeVethLab, NEAR_NS, namespaces, vethLabUnavailable } from './helpers/web-netns.js';
import { firstLine, isAlive, serviceMain, tempDir, waitExit } from './helpers/web-tools.js';

interface Result {
  node: string;
  address: string;
  ok: boolean;
  method: string;
  ms: number;
  error?: string;
}

test('across a real veth: refused datagrams and a TCP port prove both families; a missing neighbour does not', async (t) => {
  const reason = await vethLabUnavailable();
  if (reason) return t.skip(reason);
  const lab = await makeVethLab(t);
  const dir = await tempDir(t, 'dslab-probe-ns-');
  // a real service on the far side for the TCP method
  const webConfig = join(dir, 'web.json');
  await writeFile(webConfig, JSON.stringify({ name: 'web', listen: [{ address: FAR.ipv4, port: 80 }, { address: FAR.ipv6, port: 80 }] }));
  const wcmd = lab.far([process.execPath, serviceMain('web'), '--config', webConfig]);
  const server = spawn(wcmd.file, wcmd.args, { stdio: ['ignore', 'pipe', 'ignore'] });
  t.after(async () => {
    if (server.pid && isAlive(server.pid)) {
      server.kill('SIGKILL');
      await waitExit(server);
    }
  });
  assert.equal(await firstLine(server, 10000), 'ready');

  const config = join(dir, 'probe.json');
  await writeFile(
    config,
    JSON.stringify({
      targets: [
        { node: 'far4', address: FAR.ipv4, family: 4 },
        { node: 'far6', address: FAR.ipv6, family: 6 },
        { node: 'web4', address: FAR.ipv4, family: 4, tcpPort: 80 },
        { node: 'web6', address: FAR.ipv6, family: 6, tcpPort: 80 },
        // on-link but nobody has it: neighbour discovery fails, like dual-badv6's AAAA
        { node: 'ghost6', address: '2001:db8::9999', family: 6 },
      ],
    }),
  );
  const pcmd = lab.near([process.execPath, serviceMain('probe'), '--config', config]);
  const started = performance.now();
  const r = await run(pcmd.file, pcmd.args, { timeoutMs: 15000 });
  const { results } = JSON.parse(r.stdout) as { results: Result[] };
  t.diagnostic(r.stdout.trim());
  const by = new Map(results.map((x) => [x.node, x]));
  for (const n of ['far4', 'far6']) {
    assert.equal(by.get(n)!.ok, true, `${n}: ${by.get(n)!.error}`);
    assert.equal(by.get(n)!.method, 'udp-refused');
  }
  for (const n of ['web4', 'web6']) assert.equal(by.get(n)!.ok, true, `${n}: ${by.get(n)!.error}`);
  assert.equal(by.get('ghost6')!.ok, false);
  assert.match(by.get('ghost6')!.error ?? '', /^(ETIMEDOUT|EHOSTUNREACH): /);
  // the whole probe keeps to its budget (1.5 s), with room for a loaded machine
  assert.ok(performance.now() - started < 6000);

  server.kill('SIGTERM');
  assert.equal(await waitExit(server), 0);
  await lab.destroy();
  assert.equal((await namespaces()).includes(NEAR_NS), false);
});
