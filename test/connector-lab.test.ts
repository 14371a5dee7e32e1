// The connector in a real lab (namespaces, dslab's DNS and web servers): `dslab connect`
// runs inside the client node, as a user would, and its JSON is checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import process from 'node:process';
import { runInNode } from '../src/backends/netns/exec.js';
import type { DnsRecord } from '../src/lab/topology.js';
import type { ConnectReport } from '../src/connector/report.js';
import { compiledSrcDir } from '../src/util/package-root.js';
import { cliPath, labTopology, netnsSkipReason, withLab } from './helpers/netns-lab.js';
import { record } from './helpers/dns-lab.js';

const LAB = 'he1';

const EXTRA: DnsRecord[] = [
  record('refuse6.local', 'AAAA', 'fd00:dead:beef::53'), // the dns node: no listener on port 80
  record('refuse6.local', 'A', '172.30.0.10'),
  record('bothdead.local', 'AAAA', 'fd00:dead:beef::53'),
  record('bothdead.local', 'A', '172.30.0.53'),
  record('blackhole.local', 'AAAA', 'fd00:dead:beef::9999'),
  record('blackhole.local', 'A', '172.30.0.99'),
  record('only6.local', 'AAAA', 'fd00:dead:beef::10'),
  record('only4.local', 'A', '172.30.0.10'),
  record('slow6short.local', 'AAAA', 'fd00:dead:beef::10', { delayMs: 25 }),
  record('slow6short.local', 'A', '172.30.0.10'),
  record('slow6long.local', 'AAAA', 'fd00:dead:beef::10', { delayMs: 300 }),
  record('slow6long.local', 'A', '172.30.0.10'),
  record('drop6.local', 'AAAA', 'fd00:dead:beef::10', { drop: true }),
  record('drop6.local', 'A', '172.30.0.10'),
];

async function connect(lab: string, args: string[]): Promise<{ code: number; report: ConnectReport & { runs?: ConnectReport[] }; stderr: string }> {
  const r = await runInNode(lab, 'client', [process.execPath, cliPath(), 'connect', ...args, '--json'], { allowFailure: true, timeoutMs: 30_000 });
  return { code: r.code, report: JSON.parse(r.stdout) as ConnectReport, stderr: r.stderr };
}

/**
 * Forgets the client's neighbour entry for an address nobody has: after an attempt, the kernel
 * keeps probing it (3 solicitations, 1 s apart) and then fails every packet queued to it with
 * EHOSTUNREACH, which would end the next test's attempt early instead of letting it hang.
 */
async function forgetNeighbour(lab: string, address: string): Promise<void> {
  await runInNode(lab, 'client', ['ip', '-6', 'neigh', 'flush', 'to', address], { allowFailure: true });
}

const answeredAt = (r: ConnectReport, qtype: string) => r.trace.find((e) => e.type === 'query-answered' && e.qtype === qtype)!.t;

test('dslab connect inside the lab: every RFC 8305 case of the issue', { skip: netnsSkipReason(), timeout: 180_000 }, async (t) => {
  const topology = await labTopology(LAB);
  topology.records = [...topology.records, ...EXTRA];
  await withLab(LAB, topology, async (lab) => {
    const name = lab.lab;

    // first, before anything else has made the kernel probe ::9999 (a neighbour entry left
    // INCOMPLETE by an earlier attempt would fail this one early with EHOSTUNREACH)
    await t.test('dual-badv6.local (sequential): IPv4 only after the 2 s IPv6 timeout', async () => {
      await forgetNeighbour(name, 'fd00:dead:beef::9999');
      const { report } = await connect(name, ['dual-badv6.local', '--mode', 'sequential', '--no-http']);
      assert.equal(report.winner?.family, 4);
      assert.equal(report.attempts[0]!.error?.code, 'ETIMEDOUT');
      assert.ok(report.totalMs >= 1990 && report.totalMs < 3500, `total ${report.totalMs} ms`);
    });

    await t.test('dual-ok.local connects over IPv6 (glibc table: ULA before IPv4) and gets HTTP 200', async () => {
      const { code, report } = await connect(name, ['dual-ok.local']);
      assert.equal(code, 0);
      assert.deepEqual(report.winner, { address: 'fd00:dead:beef::10', family: 6 });
      assert.equal(report.attempts.length, 1);
      assert.match((report.http as { statusLine: string }).statusLine, /^HTTP\/1\.1 200/);
      assert.deepEqual(report.resolution.aaaa.addresses, ['fd00:dead:beef::10']);
    });

    await t.test('--policy rfc6724 puts IPv4 first for the same name, and --explain says why', async () => {
      const { report } = await connect(name, ['dual-ok.local', '--policy', 'rfc6724', '--explain', '--no-http']);
      assert.equal(report.winner?.family, 4);
      assert.equal(report.attempts[0]!.family, 4, 'the AAAA answer waited for A: the table prefers IPv4');
      assert.equal(report.explain?.table.name, 'rfc6724');
      assert.equal(report.explain?.decisions[0]?.rule, 6);
    });

    await t.test('dual-badv6.local (happy): IPv4 after about the 250 ms delay; IPv6 cancelled', async () => {
      await forgetNeighbour(name, 'fd00:dead:beef::9999');
      const { code, report } = await connect(name, ['dual-badv6.local']);
      assert.equal(code, 0);
      assert.equal(report.winner?.family, 4);
      assert.deepEqual(report.attempts.map((a) => [a.family, a.outcome]), [[6, 'cancelled'], [4, 'connected']]);
      const gap = report.attempts[1]!.startMs - report.attempts[0]!.startMs;
      assert.ok(gap >= 249 && gap < 400, `IPv4 started ${gap} ms after IPv6`);
      assert.ok(report.totalMs >= 250 && report.totalMs < 1000, `total ${report.totalMs} ms`);
    });

    await t.test('an IPv6 address that refuses falls back at once', async () => {
      const { report } = await connect(name, ['refuse6.local', '--no-http']);
      assert.equal(report.winner?.family, 4);
      assert.equal(report.attempts[0]!.error?.code, 'ECONNREFUSED');
      // at once: the failure, not the 250 ms delay, starts IPv4 (generous bound for a loaded machine)
      const gap = report.attempts[1]!.startMs - report.attempts[0]!.endMs!;
      assert.ok(gap < 150, `IPv4 started ${gap} ms after the refusal`);
      assert.ok(report.attempts[1]!.startMs - report.attempts[0]!.startMs < 200);
    });

    await t.test('AAAA-only and A-only names', async () => {
      assert.equal((await connect(name, ['only6.local', '--no-http'])).report.winner?.family, 6);
      assert.equal((await connect(name, ['only4.local', '--no-http'])).report.winner?.family, 4);
    });

    await t.test('both families refuse: exit 1, DSLAB_E_CONNECT_FAILED listing both addresses', async () => {
      const { code, report } = await connect(name, ['bothdead.local', '--no-http']);
      assert.equal(code, 1);
      assert.equal(report.winner, null);
      assert.equal(report.error?.code, 'DSLAB_E_CONNECT_FAILED');
      assert.deepEqual(report.attempts.map((a) => [a.address, a.error?.code]), [['fd00:dead:beef::53', 'ECONNREFUSED'], ['172.30.0.53', 'ECONNREFUSED']]);
    });

    await t.test('both families time out (per-attempt timeout): the aggregated error says timed out for each', async () => {
      await forgetNeighbour(name, 'fd00:dead:beef::9999');
      const { report } = await connect(name, ['blackhole.local', '--no-http', '--attempt-timeout', '300']);
      assert.equal(report.error?.code, 'DSLAB_E_CONNECT_FAILED');
      assert.deepEqual(report.attempts.map((a) => a.error?.code), ['ETIMEDOUT', 'ETIMEDOUT']);
    });

    await t.test('AAAA 25 ms late (within the Resolution Delay): IPv6 is tried first', async () => {
      const { report } = await connect(name, ['slow6short.local', '--no-http']);
      assert.equal(report.attempts[0]!.family, 6);
      assert.equal(report.winner?.family, 6);
    });

    await t.test('AAAA 300 ms late: IPv4 starts 50 ms after the A answer', async () => {
      const { report } = await connect(name, ['slow6long.local', '--no-http']);
      assert.equal(report.attempts[0]!.family, 4);
      const wait = report.attempts[0]!.startMs - answeredAt(report, 'A');
      assert.ok(wait >= 49 && wait < 150, `waited ${wait} ms`);
      assert.ok(report.totalMs < 300);
    });

    await t.test('a dropped AAAA query: IPv4 after the Resolution Delay', async () => {
      const { report } = await connect(name, ['drop6.local', '--no-http']);
      assert.equal(report.winner?.family, 4);
      const wait = report.attempts[0]!.startMs - answeredAt(report, 'A');
      assert.ok(wait >= 49 && wait < 150, `waited ${wait} ms`);
    });

    await t.test('--count 2: the second connection uses the cached winner and is fast', async () => {
      await forgetNeighbour(name, 'fd00:dead:beef::9999');
      const { report } = await connect(name, ['dual-badv6.local', '--count', '2', '--no-http']);
      const runs = report.runs!;
      assert.equal(runs.length, 2);
      assert.equal(runs[0]!.fromCache, false);
      assert.equal(runs[1]!.fromCache, true);
      assert.equal(runs[1]!.winner?.family, 4);
      // fast: well under the 250 ms delay the first run waited for (generous for a loaded machine)
      assert.ok(runs[1]!.totalMs < 200, `cached run took ${runs[1]!.totalMs} ms`);
    });

    await t.test('an abort in mid-race (library, inside the client node) cancels both attempts', async () => {
      await forgetNeighbour(name, 'fd00:dead:beef::9999');
      const lib = `${compiledSrcDir()}/connector/happy-eyeballs.js`;
      const script = `
        const { happyConnect } = await import(${JSON.stringify(lib)});
        try { await happyConnect({ host: 'blackhole.local', port: 80, connectionAttemptDelayMs: 100, signal: AbortSignal.timeout(200) }); console.log('{}'); }
        catch (e) {
          // sockets close asynchronously: give them up to 500 ms to go before counting what is left
          const open = () => process.getActiveResourcesInfo().filter((k) => /TCPSocketWrap|TCPConnectWrap/.test(k)).length;
          for (let i = 0; i < 50 && open() > 0; i++) await new Promise((r) => setTimeout(r, 10));
          console.log(JSON.stringify({ code: e.code, attempts: e.details.attempts, left: open() }));
        }`;
      const r = await runInNode(name, 'client', [process.execPath, '--input-type=module', '-e', script], { timeoutMs: 10_000 });
      const out = JSON.parse(r.stdout) as { code: string; attempts: Array<{ outcome: string }>; left: number };
      assert.equal(out.code, 'DSLAB_E_CONNECT_ABORTED');
      assert.deepEqual(out.attempts.map((a) => a.outcome), ['cancelled', 'cancelled']);
      assert.equal(out.left, 0, 'the aborted attempts left sockets open');
    });
  });
});
