/**
 * Two labs at once: examples/big.yaml (other subnets, a second network, five nodes, nginx,
 * IPv4-only and IPv6-only names, a delayed and a dropped AAAA) as lab nt5, next to the
 * article's lab as nt6. DNS answers, nginx over both families and the DNS log, checked from
 * the clients with dig, curl and ping.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runInNode } from '../src/backends/netns/exec.js';
import { readState } from '../src/backends/netns/state.js';
import { packageRoot } from '../src/util/package-root.js';
import { dslab, netnsSkipReason, withLab } from './helpers/netns-lab.js';

const BIG = 'nt5';
const OTHER = 'nt6';
const bigFile = join(packageRoot(), 'examples', 'big.yaml');
const skip = netnsSkipReason(['dig', 'curl', 'nginx']) ?? (existsSync(bigFile) ? undefined : 'examples/big.yaml is missing');

test('big lab next to the default lab: DNS, nginx, both families', { skip, timeout: 120_000 }, async (t) => {
  await withLab(BIG, bigFile, async (big) =>
    withLab(OTHER, undefined, async (other) => {
      assert.equal(big.nodes.length, 5);
      assert.deepEqual(big.services.map((s) => s.kind).sort(), ['dns', 'nginx']);
      assert.equal(other.nodes.length, 3);
      const client = (argv: string[]) => runInNode(BIG, 'client', argv, { allowFailure: true, timeoutMs: 20_000 });
      const dig = async (...args: string[]): Promise<string> => {
        const r = await client(['dig', '+short', '+time=2', '+tries=1', ...args]);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        return r.stdout.trim();
      };

      await t.test('A and AAAA of both kinds of names', async () => {
        assert.equal(await dig('ok.big.test', 'A'), '10.77.0.10');
        assert.equal(await dig('ok.big.test', 'AAAA'), 'fd42:77::10');
        assert.equal(await dig('badv6.big.test', 'AAAA'), 'fd42:77::9999');
        assert.equal(await dig('v4only.big.test', 'A'), '10.77.0.40');
        assert.equal(await dig('v6only.big.test', 'AAAA'), 'fd42:77::60');
      });

      await t.test('NODATA, NXDOMAIN and PTR', async () => {
        const nodata = await client(['dig', '+time=2', '+tries=1', 'v4only.big.test', 'AAAA']);
        assert.match(nodata.stdout, /status: NOERROR/);
        assert.match(nodata.stdout, /ANSWER: 0,/);
        const nx = await client(['dig', '+time=2', '+tries=1', 'nothing-here.big.test', 'A']);
        assert.match(nx.stdout, /status: NXDOMAIN/);
        assert.match(await dig('-x', '10.77.0.10'), /^web\./);
        assert.match(await dig('-x', 'fd42:77::53'), /^dns\./);
      });

      await t.test('a delayed AAAA arrives late; a dropped AAAA never arrives while its A does', async () => {
        const slow = await client(['dig', '+time=3', '+tries=1', 'slow6.big.test', 'AAAA']);
        const ms = Number(/Query time: (\d+) msec/.exec(slow.stdout)?.[1]);
        assert.ok(ms >= 250, `delayed by the lab's 300 ms (took ${ms} ms)`);
        const dropped = await client(['dig', '+time=1', '+tries=1', 'noaaaa.big.test', 'AAAA']);
        assert.equal(dropped.code, 9, 'dig exit 9: no reply from the server');
        assert.equal(await dig('noaaaa.big.test', 'A'), '10.77.0.10');
      });

      await t.test('nginx answers over each family and /whoami names it', async () => {
        const v4 = await client(['curl', '-sS', '-4', 'http://10.77.0.10/whoami']);
        const v6 = await client(['curl', '-sS', '-6', '-g', 'http://[fd42:77::10]/whoami']);
        assert.equal(v4.code, 0, v4.stderr);
        assert.equal(v6.code, 0, v6.stderr);
        assert.match(v4.stdout, /10\.77\.0\.20/);
        assert.match(v6.stdout, /fd42:77::20/);
        const page = await client(['curl', '-sS', '-v', '-o', '/dev/null', 'http://ok.big.test/']);
        assert.match(page.stderr, /Connected to ok\.big\.test \(fd42:77::10\)/);
        assert.match(page.stderr, /HTTP\/1\.1 200/);
      });

      await t.test('IPv4-only and IPv6-only nodes are reachable over their family only', async () => {
        assert.equal((await client(['ping', '-c', '1', '-W', '2', '10.77.0.40'])).code, 0);
        assert.equal((await client(['ping', '-c', '1', '-W', '2', 'fd42:77::60'])).code, 0);
        const host6 = await runInNode(BIG, 'host6', ['ip', '-4', 'addr', 'show', 'dev', 'eth0'], { allowFailure: true });
        assert.doesNotMatch(host6.stdout, /inet /);
        const side = await runInNode(BIG, 'host4', ['ip', '-4', 'addr', 'show', 'dev', 'eth1']);
        assert.match(side.stdout, /10\.78\.0\.40\/24/);
      });

      await t.test('the two labs are separate: the same request in the other lab reaches its own web node', async () => {
        const r = await runInNode(OTHER, 'client', ['curl', '-sS', '-4', 'http://172.30.0.10/whoami']);
        assert.match(r.stdout, /172\.30\.0\.20/);
        const cross = await runInNode(OTHER, 'client', ['ping', '-c', '1', '-W', '1', '10.77.0.10'], { allowFailure: true });
        assert.notEqual(cross.code, 0, 'lab nt6 cannot reach lab nt5');
      });

      await t.test('dslab logs dns shows the queries the client made', async () => {
        const logs = await dslab(['logs', '--lab', BIG, 'dns']);
        assert.equal(logs.code, 0, logs.stderr);
        assert.match(logs.stdout, /AAAA IN ok\.big\.test\./);
        assert.match(logs.stdout, /10\.77\.0\.20/);
        const json = await dslab(['logs', '--lab', BIG, 'dns', '--json']);
        assert.equal(json.code, 0, json.stderr);
        const body = JSON.parse(json.stdout) as { logs: Array<{ service: string; lines: string[] }> };
        assert.equal(body.logs[0]?.service, 'dns');
        assert.ok(body.logs[0]!.lines.some((l) => /AAAA IN ok\.big\.test\./.test(l)));
        if (!readState('dslab')) {
          // without --lab a command acts on the default lab only, never on one of these two
          const unnamed = await dslab(['logs', 'dns', '--json']);
          assert.equal(unnamed.code, 1, unnamed.stdout + unnamed.stderr);
          const e = (JSON.parse(unnamed.stdout) as { error: { code: string; value: string; hint: string } }).error;
          assert.equal(e.code, 'DSLAB_E_LAB_NOT_FOUND');
          assert.equal(e.value, 'dslab');
          assert.match(e.hint, new RegExp(`labs that are up: .*${BIG}`));
        }
      });
    }),
  );
});
