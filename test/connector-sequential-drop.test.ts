// `--mode sequential` against a name whose AAAA queries the lab's DNS server drops (lab file:
// `drop: [aaaa]`): like getaddrinfo it waits for both answers, so it connects over IPv4 only
// after the resolver gave up on AAAA, and the trace, the note and --explain say so. Happy
// mode, on the same name, waits only the Resolution Delay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { runInNode } from '../src/backends/netns/exec.js';
import type { ConnectReport } from '../src/connector/report.js';
import { cliPath, labTopology, netnsSkipReason, withLab } from './helpers/netns-lab.js';

const LAB = 'fe';

const LAB_FILE = `# the article's lab, plus a name whose AAAA queries get no answer at all
name: ${LAB}
networks:
  - name: dsnet
    ipv4: 172.30.0.0/24
    ipv6: fd00:dead:beef::/64
nodes:
  - name: web
    role: web
    web: { server: builtin, port: 80 }
    addresses:
      dsnet: { ipv4: 172.30.0.10, ipv6: "fd00:dead:beef::10" }
  - name: dns
    role: dns
    addresses:
      dsnet: { ipv4: 172.30.0.53, ipv6: "fd00:dead:beef::53" }
  - name: client
    role: client
    dns: [172.30.0.53, "fd00:dead:beef::53"]
    addresses:
      dsnet: { ipv4: 172.30.0.20, ipv6: "fd00:dead:beef::20" }
records:
  - name: noaaaa.local
    a: 172.30.0.10
    aaaa: "fd00:dead:beef::10"
    drop: [aaaa]
zones: [local]
`;

async function connect(args: string[]): Promise<{ code: number; stdout: string }> {
  const r = await runInNode(LAB, 'client', [process.execPath, cliPath(), 'connect', 'noaaaa.local', ...args], { allowFailure: true, timeoutMs: 60_000 });
  return { code: r.code, stdout: r.stdout };
}

const traceIndex = (r: ConnectReport, pred: (e: ConnectReport['trace'][number]) => boolean): number => r.trace.findIndex(pred);

test('sequential mode waits out the resolver\'s timeout for a dropped AAAA, then connects over IPv4', { skip: netnsSkipReason(), timeout: 180_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'he-drop-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'drop.yaml');
  writeFileSync(file, LAB_FILE);
  const topology = await labTopology(LAB, file);
  assert.deepEqual(
    topology.records.filter((r) => r.name === 'noaaaa.local').map((r) => [r.type, r.drop]).sort(),
    [['A', false], ['AAAA', true]],
    'the lab file drops AAAA only',
  );
  await withLab(LAB, topology, async () => {
    await t.test('default resolver timeout: IPv4 only after AAAA timed out; the trace shows the order', async () => {
      const { code, stdout } = await connect(['--mode', 'sequential', '--no-http', '--json']);
      assert.equal(code, 0, stdout);
      const r = JSON.parse(stdout) as ConnectReport;
      assert.deepEqual(r.winner, { address: '172.30.0.10', family: 4 });
      assert.equal(r.resolution.aaaa.error, 'ETIMEOUT');
      assert.deepEqual(r.resolution.aaaa.addresses, []);
      assert.deepEqual(r.resolution.a.addresses, ['172.30.0.10']);
      assert.ok(r.resolution.a.ms! < 1000, `A answered at ${r.resolution.a.ms} ms`);
      // c-ares gives the first try 1500 ms and then retries: the wait is at least that
      assert.ok(r.resolution.aaaa.ms! >= 1500, `AAAA gave up at ${r.resolution.aaaa.ms} ms`);
      assert.equal(r.attempts.length, 1);
      assert.ok(r.attempts[0]!.startMs >= r.resolution.aaaa.ms!, 'the only attempt started after the AAAA timeout, not after the A answer');
      const failed = traceIndex(r, (e) => e.type === 'query-failed' && e.qtype === 'AAAA' && e.code === 'ETIMEOUT');
      const started = traceIndex(r, (e) => e.type === 'attempt-started');
      const answeredA = traceIndex(r, (e) => e.type === 'query-answered' && e.qtype === 'A');
      assert.ok(answeredA >= 0 && failed > answeredA && started > failed, `trace order: A answered ${answeredA}, AAAA failed ${failed}, attempt ${started}`);
      assert.ok(r.totalMs < 30_000, `total ${r.totalMs} ms is within the sequential deadline`);
    });

    await t.test('--dns-timeout 200: the wait follows the resolver\'s timeout; the note and --explain say so', async () => {
      const human = await connect(['--mode', 'sequential', '--no-http', '--dns-timeout', '200']);
      assert.equal(human.code, 0, human.stdout);
      assert.match(human.stdout, /^resolved: noaaaa\.local:80 \(AAAA timed out after [\d.]+ ms \(ETIMEOUT\), A in [\d.]+ ms\)$/m);
      assert.match(human.stdout, /^note: sequential mode waits for both DNS answers before connecting, like getaddrinfo: the AAAA query got no answer and timed out after [\d.]+ ms/m);
      assert.match(human.stdout, /^connected via IPv4 in [\d.]+ ms/m);
      const { stdout } = await connect(['--mode', 'sequential', '--no-http', '--dns-timeout', '200', '--explain', '--json']);
      const r = JSON.parse(stdout) as ConnectReport;
      assert.equal(r.winner?.family, 4);
      assert.ok(r.resolution.aaaa.ms! >= 200 && r.resolution.aaaa.ms! < 1500 * 6, `AAAA gave up at ${r.resolution.aaaa.ms} ms`);
      assert.ok(r.attempts[0]!.startMs >= r.resolution.aaaa.ms!);
      assert.ok(
        r.explain?.notes.some((n) => /sequential mode waits for both DNS answers .* the AAAA query got no answer and timed out/.test(n)),
        `explain notes: ${JSON.stringify(r.explain?.notes)}`,
      );
    });

    await t.test('happy mode on the same name: IPv4 about the Resolution Delay after the A answer', async () => {
      const { stdout } = await connect(['--no-http', '--json']);
      const r = JSON.parse(stdout) as ConnectReport;
      assert.equal(r.winner?.family, 4);
      const wait = r.attempts[0]!.startMs - r.resolution.a.ms!;
      assert.ok(wait >= 49 && wait < 300, `waited ${wait} ms after A`);
      assert.ok(r.trace.some((e) => e.type === 'query-cancelled' && e.qtype === 'AAAA'), 'the AAAA query is cancelled, not waited for');
    });
  });
});
