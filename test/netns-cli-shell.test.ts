/**
 * The commands a user types into a lab that is up (lab rv2c): `dslab shell NODE` runs a shell
 * inside the node (with the node's resolver) and exits with the shell's code, `dslab exec`
 * passes the program's exit code through, and `dslab logs web --json` has the requests.
 */
import assert from 'node:assert/strict';
import process from 'node:process';
import { test } from 'node:test';
import { assertLabGone, dslab, labNetnsInodes, netnsSkipReason } from './helpers/netns-lab.js';
import { down } from '../src/backends/netns/down.js';

const LAB = 'rv2c';

test('dslab shell, exec exit codes and logs --json in a running lab', { skip: netnsSkipReason(['curl']), timeout: 60_000 }, async (t) => {
  await down(LAB);
  t.after(() => down(LAB));
  const u = await dslab(['up', '--name', LAB, '--json']);
  assert.equal(u.code, 0, u.stderr + u.stdout);
  const inodes = labNetnsInodes(LAB);

  await t.test('shell: commands read from stdin run inside the node; its exit code is dslab\'s', async () => {
    const script = 'ip -br addr show dev eth0\ncat /etc/resolv.conf\nexit 7\n';
    const r = await dslab(['shell', '--lab', LAB, 'client'], { input: script, env: { ...process.env, SHELL: '/bin/sh' } });
    assert.equal(r.code, 7, r.stderr);
    assert.match(r.stdout, /eth0\S*\s+UP\s+172\.30\.0\.20\/24 fd00:dead:beef::20\/64/);
    assert.match(r.stdout, /^nameserver fd00:dead:beef::53$/m);
    assert.match(r.stderr, /Entering node "client" of lab "rv2c"/);
  });

  await t.test('exec: the program\'s exit code comes back; an unknown node is named with the choices', async () => {
    const fail = await dslab(['exec', '--lab', LAB, 'client', '--', 'curl', '-sS', '--connect-timeout', '2', 'http://172.30.0.10:81/']);
    assert.equal(fail.code, 7, `curl exit 7 (connection refused): ${fail.stderr}`);
    const bad = await dslab(['exec', '--lab', LAB, 'nosuch', '--', 'true']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /DSLAB_E_NODE_NOT_FOUND/);
    assert.match(bad.stderr, /web, dns, client/);
  });

  await t.test('exec: the machine\'s proxy settings do not follow into the node', async () => {
    // a proxy nobody listens on: a curl that used it would fail with "Failed to connect"
    const env = { ...process.env, http_proxy: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', all_proxy: 'http://127.0.0.1:9' };
    const r = await dslab(['exec', '--lab', LAB, 'client', '--', 'curl', '-sS', '--max-time', '5', 'http://172.30.0.10/whoami'], { env });
    assert.equal(r.code, 0, `curl in the node used the proxy: ${r.stderr}`);
    assert.equal((JSON.parse(r.stdout) as { family: string }).family, 'IPv4');
    const shown = await dslab(['exec', '--lab', LAB, 'client', '--', 'env'], { env });
    assert.doesNotMatch(shown.stdout, /^(https?|ftp|all|no)_proxy=/im);
  });

  await t.test('logs web --json lists the access log lines of the requests made', async () => {
    const ok = await dslab(['exec', '--lab', LAB, 'client', '--', 'curl', '-sS', '-6', '-g', 'http://[fd00:dead:beef::10]/whoami']);
    assert.equal(ok.code, 0, ok.stderr);
    const r = await dslab(['logs', '--lab', LAB, 'web', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const body = JSON.parse(r.stdout) as { logs: Array<{ service: string; lines: string[] }> };
    assert.equal(body.logs[0]?.service, 'web');
    assert.ok(body.logs[0]!.lines.some((l) => /"GET \/whoami HTTP\/1\.1" 200 .* IPv6 client=\[fd00:dead:beef::20\]/.test(l)), body.logs[0]!.lines.join('\n'));
    const both = await dslab(['logs', '--lab', LAB, 'web', '--json', '--follow']);
    assert.equal(both.code, 2, 'a usage error');
    assert.match(both.stdout, /DSLAB_E_USAGE/);
  });

  const d = await dslab(['down', '--lab', LAB]);
  assert.equal(d.code, 0, d.stderr);
  assertLabGone(LAB, inodes);
});
