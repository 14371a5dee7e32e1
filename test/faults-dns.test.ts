/**
 * DNS faults in a real lab, asked with dig from the client node: SERVFAIL, NXDOMAIN,
 * REFUSED, TC over UDP (and the full answer over TCP), no answer, a late answer and a wrong
 * address, each for its name and type only; `fault rm` restores the answers (lab ft3).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInNode } from '../src/backends/netns/exec.js';
import { add, clear, faultSkipReason } from './helpers/fault-lab.js';
import { withLab } from './helpers/netns-lab.js';

const LAB = 'ft3';

async function dig(...args: string[]): Promise<string> {
  return (await runInNode(LAB, 'client', ['dig', '@172.30.0.53', '+tries=1', '+time=2', ...args], { allowFailure: true })).stdout;
}

test('DNS faults in a real lab', { skip: faultSkipReason(['dig']) }, async () => {
  await withLab(LAB, undefined, async () => {
    await add(LAB, 'dns:name=dual-ok.local,type=AAAA,answer=servfail', 'dns:name=dual-badv6.local,answer=nxdomain');
    assert.match(await dig('dual-ok.local', 'AAAA'), /status: SERVFAIL/);
    assert.match(await dig('dual-ok.local', 'A'), /status: NOERROR[\s\S]*172\.30\.0\.10/, 'A is untouched');
    const nx = await dig('dual-badv6.local', 'A');
    assert.match(nx, /status: NXDOMAIN/);
    assert.match(nx, /AUTHORITY SECTION:\n\S+\s+\d+\s+IN\s+SOA/, 'NXDOMAIN carries the zone SOA');
    await clear(LAB);

    await add(LAB, 'dns:name=dual-ok.local,type=A,answer=refused', 'dns:name=dual-ok.local,type=AAAA,answer=truncate');
    assert.match(await dig('dual-ok.local', 'A'), /status: REFUSED/);
    const udp = await dig('+notcp', '+ignore', 'dual-ok.local', 'AAAA');
    assert.match(udp, /flags: qr aa tc/, 'TC set over UDP');
    assert.match(udp, /ANSWER: 0/);
    const tcp = await dig('+tcp', 'dual-ok.local', 'AAAA');
    assert.match(tcp, /ANSWER: 1[\s\S]*fd00:dead:beef::10/, 'the full answer over TCP');
    const retried = await dig('dual-ok.local', 'AAAA');
    assert.match(retried, /fd00:dead:beef::10/, 'dig retries over TCP by itself');
    await clear(LAB);

    await add(LAB, 'dns:name=dual-ok.local,type=AAAA,answer=drop', 'dns:name=dual-ok.local,type=A,answer=delay,ms=800');
    assert.match(await dig('+time=1', 'dual-ok.local', 'AAAA'), /timed out|no servers could be reached/);
    const late = await dig('dual-ok.local', 'A');
    const ms = Number(/Query time: (\d+) msec/.exec(late)?.[1]);
    assert.ok(ms >= 750 && ms < 2000, `the A answer came ${ms} ms late`);
    await clear(LAB);

    await add(LAB, 'dns:name=dual-ok.local,type=AAAA,answer=address,address=fd00:dead:beef::9999');
    assert.equal((await dig('+short', 'dual-ok.local', 'AAAA')).trim(), 'fd00:dead:beef::9999');
    await clear(LAB);
    assert.equal((await dig('+short', 'dual-ok.local', 'AAAA')).trim(), 'fd00:dead:beef::10', 'fault rm restores the answer');
  });
});
