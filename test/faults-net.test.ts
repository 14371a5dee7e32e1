/**
 * Each network fault kind does what it says, in a real lab, seen by real sockets, curl and
 * ping in the client node: blackhole times out, each reject gives its own errno at once,
 * delay adds to the handshake of its family only, loss loses some packets, rate limits a
 * download; `fault rm` mends it; bad input changes nothing (lab ft1).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listFaults } from '../src/backends/netns/fault-ops.js';
import { runInNode } from '../src/backends/netns/exec.js';
import { inNetns } from '../src/backends/netns/ip.js';
import { rootAccess } from '../src/backends/netns/access.js';
import { isDslabError } from '../src/errors.js';
import { add, clear, connectFrom, faultSkipReason } from './helpers/fault-lab.js';
import { withLab } from './helpers/netns-lab.js';

const LAB = 'ft1';
const V6 = 'fd00:dead:beef::10';
const V4 = '172.30.0.10';

const ruleset = async (): Promise<string> => (await inNetns(rootAccess, `${LAB}-sw`, ['nft', 'list', 'ruleset'])).stdout;

test('network faults in a real lab', { skip: faultSkipReason(['curl', 'ping']) }, async (t) => {
  await withLab(LAB, undefined, async () => {
    await t.test('blackhole: IPv6 to web times out, IPv4 still works, ND is untouched', async () => {
      await add(LAB, 'blackhole:family=6,to=web');
      assert.equal((await connectFrom(LAB, 'client', V6, 80, 1)).result, 'TIMEOUT');
      assert.equal((await connectFrom(LAB, 'client', V4)).result, 'OK');
      const curl = await runInNode(LAB, 'client', ['curl', '-6', '-sS', '--connect-timeout', '1', 'http://dual-ok.local/'], { allowFailure: true });
      assert.equal(curl.code, 28, `curl -6 times out (exit 28): ${curl.stderr}`);
      const ping = await runInNode(LAB, 'client', ['ping', '-c', '1', '-W', '1', 'fd00:dead:beef::53'], { allowFailure: true });
      assert.equal(ping.code, 0, 'other IPv6 peers still answer');
      const list = await listFaults(LAB);
      assert.ok((list.faults[0]?.packets ?? 0) > 0, 'the counter saw the dropped packets');
      await clear(LAB);
      assert.equal((await connectFrom(LAB, 'client', V6)).result, 'OK', 'fault rm mends it');
    });

    await t.test('reject: each kind gives its own error at once, per family', async () => {
      const cases: Array<[string, string, string]> = [
        ['tcp-reset', 'ECONNREFUSED', 'ECONNREFUSED'],
        ['icmp-no-route', 'ENETUNREACH', 'ENETUNREACH'],
        ['icmp-admin-prohibited', 'EACCES', 'EHOSTUNREACH'],
        ['icmp-addr-unreachable', 'EHOSTUNREACH', 'EHOSTUNREACH'],
        ['icmp-port-unreachable', 'ECONNREFUSED', 'ECONNREFUSED'],
      ];
      for (const [kind, v6, v4] of cases) {
        await add(LAB, `reject:with=${kind},to=web`);
        const six = await connectFrom(LAB, 'client', V6);
        const four = await connectFrom(LAB, 'client', V4);
        assert.equal(six.result, v6, `${kind} over IPv6`);
        assert.equal(four.result, v4, `${kind} over IPv4`);
        assert.ok(six.ms < 500 && four.ms < 500, `${kind} fails at once (${six.ms} / ${four.ms} ms), not after a timeout`);
        await clear(LAB);
      }
      await add(LAB, 'reject:with=tcp-reset,family=6,to=web');
      const curl = await runInNode(LAB, 'client', ['curl', '-6', '-sS', '--max-time', '3', 'http://dual-ok.local/'], { allowFailure: true });
      assert.equal(curl.code, 7, `curl -6 fails at once: ${curl.stderr}`);
      await clear(LAB);
    });

    await t.test('delay: +300 ms on the IPv6 handshake, nothing on IPv4', async () => {
      await add(LAB, 'delay:family=6,to=web,ms=300');
      const six = await connectFrom(LAB, 'client', V6);
      const four = await connectFrom(LAB, 'client', V4);
      assert.equal(six.result, 'OK');
      assert.ok(six.ms >= 290 && six.ms < 1000, `IPv6 connect took ${six.ms} ms`);
      assert.ok(four.ms < 100, `IPv4 connect took ${four.ms} ms`);
      await clear(LAB);
      assert.ok((await connectFrom(LAB, 'client', V6)).ms < 100, 'no delay after fault rm');
    });

    await t.test('loss: some pings are lost, some get through', async () => {
      await add(LAB, 'loss:family=6,to=web,percent=50');
      const ping = await runInNode(LAB, 'client', ['ping', '-6', '-c', '40', '-i', '0.01', '-W', '1', V6], { allowFailure: true });
      const m = /(\d+) packets transmitted, (\d+) received/.exec(ping.stdout);
      assert.ok(m, ping.stdout);
      const received = Number(m[2]);
      assert.ok(received > 0 && received < 40, `received ${received} of 40`);
      await clear(LAB);
    });

    await t.test('rate: a download from web is held to the rate', async () => {
      const speed = async (): Promise<number> => Number((await runInNode(LAB, 'client', ['curl', '-4', '-sS', '-o', '/dev/null', '-w', '%{speed_download}', `http://${V4}/bytes/400000`])).stdout);
      const free = await speed();
      await add(LAB, 'rate:family=4,rate=4mbit');
      const limited = await speed();
      assert.ok(limited < 800_000, `limited to 4 Mbit/s = 500 kB/s, measured ${limited} B/s`);
      assert.ok(free > 4 * limited, `unlimited ${free} B/s is far faster`);
      await clear(LAB);
    });

    await t.test('bad input is rejected before anything changes', async () => {
      await add(LAB, 'delay:family=6,to=web,ms=100');
      const before = await ruleset();
      for (const spec of ['delay:ms=0', 'blackhole:to=fd00:dead:beef::9999', 'reject:with=tcp-reset,proto=udp', 'blackhole:node=nosuch']) {
        await assert.rejects(add(LAB, 'blackhole:family=4', spec), (e: unknown) => isDslabError(e) && e.code.startsWith('DSLAB_E_FAULT_'));
      }
      assert.equal(await ruleset(), before, 'the ruleset is as it was');
      assert.equal((await listFaults(LAB)).faults.length, 1);
      await clear(LAB);
      assert.doesNotMatch(await ruleset(), /table (bridge|inet) dslab/, 'no fault table is left once all are removed');
    });
  });
});
