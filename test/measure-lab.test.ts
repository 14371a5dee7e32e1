/**
 * `dslab measure` in a real lab: the race of real curl read from a real capture (the
 * unassigned AAAA: ND fails, IPv4 after curl's delay; a reset: IPv4 at once), scenarios
 * added for the run and removed after, and clear results for a command that does not
 * exist, fails, never connects or runs too long (lab fm1).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { listFaults } from '../src/backends/netns/fault-ops.js';
import { labStateDir } from '../src/backends/netns/state.js';
import { measure } from '../src/measure/measure.js';
import { runMatrix } from '../src/measure/matrix.js';
import { renderMatrixSvg } from '../src/reports/matrix-svg.js';
import { faultSkipReason } from './helpers/fault-lab.js';
import { dslab, withLab } from './helpers/netns-lab.js';

const LAB = 'fm1';
const noTempCaptures = (): void => assert.deepEqual(readdirSync(labStateDir(LAB)).filter((f) => f.endsWith('.pcap')), [], 'no capture is left in the state folder');

test('dslab measure in a real lab', { skip: faultSkipReason(['tcpdump', 'tshark', 'curl']) }, async (t) => {
  await withLab(LAB, undefined, async () => {
    await t.test('curl and the unassigned AAAA: ND fails, IPv4 after curl\'s own delay', async () => {
      const r = await measure({ lab: LAB, argv: ['curl', '-sS', '-o', '/dev/null', 'http://dual-badv6.local/'] });
      assert.equal(r.exitCode, 0, r.stderr);
      const types = r.analysis.queries.map((q) => q.qtype).sort();
      assert.deepEqual(types, ['A', 'AAAA']);
      assert.ok(r.analysis.queries.every((q) => q.answer?.rcode === 'NOERROR'));
      const [first, second] = r.analysis.attempts;
      assert.equal(first?.family, 6);
      assert.equal(first?.address, 'fd00:dead:beef::9999');
      assert.equal(first?.outcome, 'no-neighbour');
      assert.equal(second?.family, 4);
      assert.equal(second?.outcome, 'connected');
      assert.equal(r.analysis.winner?.address, '172.30.0.10');
      assert.ok(r.analysis.winner?.carriedData);
      assert.equal(r.verdict.familyUsed, 4);
      assert.equal(r.verdict.attemptDelay?.trigger, 'timer');
      const delay = r.verdict.attemptDelay!.ms;
      assert.ok(delay > 150 && delay < 400, `curl's delay (200 ms) seen as ${delay} ms`);
      assert.equal(r.race.lanes.length, 2);
      noTempCaptures();
    });

    await t.test('a scenario is in effect during the run only: a reset moves curl to IPv4 at once', async () => {
      const r = await measure({ lab: LAB, argv: ['curl', '-sS', '-o', '/dev/null', 'http://dual-ok.local/'], scenarios: ['v6-reset'] });
      assert.equal(r.exitCode, 0);
      assert.equal(r.analysis.attempts[0]?.outcome, 'refused');
      assert.equal(r.verdict.attemptDelay?.trigger, 'error');
      assert.equal(r.verdict.familyUsed, 4);
      assert.ok(r.faults.some((f) => f.includes('TCP reset')));
      assert.equal((await listFaults(LAB)).faults.length, 0, 'the scenario is removed afterwards');
    });

    await t.test('ICMP errors are read from the packet they quote', async () => {
      const r = await measure({ lab: LAB, argv: ['curl', '-6', '-sS', '-o', '/dev/null', 'http://dual-ok.local/'], scenarios: ['v6-unreachable'] });
      assert.notEqual(r.exitCode, 0);
      assert.equal(r.analysis.attempts[0]?.outcome, 'icmp-error');
      assert.match(r.analysis.attempts[0]?.icmp ?? '', /ICMPv6 no route \(1\/0\)/);
      assert.equal(r.verdict.grade, 'failed');
    });

    await t.test('a command that does not exist, fails, never connects or runs too long gives a clear result', async () => {
      const missing = await measure({ lab: LAB, argv: ['no-such-program-here'] });
      assert.equal(missing.exitCode, 127);
      assert.equal(missing.analysis.attempts.length, 0);
      assert.equal(missing.verdict.grade, 'failed');
      const fails = await measure({ lab: LAB, argv: ['false'] });
      assert.equal(fails.exitCode, 1);
      const quiet = await measure({ lab: LAB, argv: ['true'] });
      assert.equal(quiet.exitCode, 0);
      assert.ok(quiet.verdict.notes.some((n) => n.includes('no connection attempt')));
      const slow = await measure({ lab: LAB, argv: ['sleep', '5'], timeoutMs: 400 });
      assert.equal(slow.ended, 'timeout');
      assert.ok(slow.wallMs < 3000);
      noTempCaptures();
    });

    await t.test('--pcap keeps the capture; the CLI gives JSON', async () => {
      const file = join(tmpdir(), `dslab-measure-${process.pid}.pcap`);
      try {
        const r = await dslab(['measure', '--lab', LAB, '--pcap', file, '--json', '--', 'curl', '-sS', '-o', '/dev/null', 'http://dual-ok.local/']);
        assert.equal(r.code, 0, r.stderr);
        const out = JSON.parse(r.stdout) as { verdict: { familyUsed: number }; pcap: string };
        assert.equal(out.verdict.familyUsed, 6, 'dual-ok.local: IPv6 preferred and working');
        assert.equal(out.pcap, file);
        assert.ok(existsSync(file));
        const bad = await dslab(['measure', '--lab', LAB, '--json']);
        assert.equal(bad.code, 2);
        assert.equal((JSON.parse(bad.stdout) as { error: { code: string } }).error.code, 'DSLAB_E_USAGE');
      } finally {
        rmSync(file, { force: true });
      }
    });

    await t.test('a small matrix: the family each client used in each scenario', async () => {
      const m = await runMatrix({ lab: LAB, clients: ['curl', 'dslab-happy'], scenarios: ['v6-reset', 'v4-broken'] });
      assert.equal(m.cells.length, 4);
      for (const c of m.cells) assert.equal(c.family, c.scenario === 'v4-broken' ? 6 : 4, `${c.client} in ${c.scenario}: ${c.summary}`);
      const svg = renderMatrixSvg(m);
      assert.equal((svg.match(/<rect x="\d+" y="\d+" width="\d+" height="\d+" rx="4"/g) ?? []).length, 4, 'one cell per client and scenario');
      assert.equal((await listFaults(LAB)).faults.length, 0);
    });
  });
});
