/**
 * Pictures of real races: in a real lab, `dslab connect dual-badv6.local --svg FILE` runs in
 * the client node (as a user would), and the picture shows what the article's experiment 3
 * is about: the sequential client's IPv6 attempt timing out at its 2 s timeout, and Happy
 * Eyeballs starting IPv4 at its Connection Attempt Delay while IPv6 still hangs.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { test } from 'node:test';
import { runInNode } from '../src/backends/netns/exec.js';
import { cliPath, netnsSkipReason, withLab } from './helpers/netns-lab.js';
import { descendants, parseXml, type XmlElement } from './helpers/xml-wellformed.js';

const LAB = 'fg';

const classes = (el: XmlElement): string[] => (el.attributes['class'] ?? '').split(/\s+/);

function lanesOf(svg: XmlElement): Array<{ address: string; outcome: string; startMs: number; endMs: number }> {
  return descendants(svg, 'g')
    .filter((g) => classes(g).includes('lane'))
    .map((g) => ({
      address: g.attributes['data-address']!,
      outcome: classes(g).find((c) => c.startsWith('outcome-'))!.slice('outcome-'.length),
      startMs: Number(g.attributes['data-start-ms']),
      endMs: Number(g.attributes['data-end-ms']),
    }));
}

function markOf(svg: XmlElement, kind: string): number | undefined {
  const g = descendants(svg, 'g').find((e) => classes(e).includes(`mark-${kind}`));
  return g ? Number(g.attributes['data-ms']) : undefined;
}

test('dslab connect --svg draws the real dual-badv6.local races', { skip: netnsSkipReason(), timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dslab-lab-svg-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await withLab(LAB, undefined, async (lab) => {
    const connect = async (mode: string, file: string): Promise<XmlElement> => {
      const r = await runInNode(lab.lab, 'client', [process.execPath, cliPath(), 'connect', 'dual-badv6.local', '--mode', mode, '--svg', file], { allowFailure: true, timeoutMs: 20_000 });
      assert.equal(r.code, 0, `${mode}: ${r.stdout}\n${r.stderr}`);
      return parseXml(readFileSync(file, 'utf8'));
    };

    // the sequential client first, while no earlier attempt has made the kernel give up on ::9999
    const seq = await connect('sequential', join(dir, 'sequential.svg'));
    const [s6, s4] = lanesOf(seq);
    assert.equal(lanesOf(seq).length, 2);
    assert.deepEqual([s6!.address, s6!.outcome, s4!.address, s4!.outcome], ['fd00:dead:beef::9999', 'failed', '172.30.0.10', 'connected']);
    const timeout = markOf(seq, 'timeout')!;
    assert.ok(Math.abs(timeout - (s6!.startMs + 2000)) <= 0.1, `timeout line at ${timeout} ms, IPv6 began at ${s6!.startMs}`);
    assert.ok(s4!.startMs >= timeout - 2, `IPv4 began at ${s4!.startMs} ms, before the timeout ended (${timeout} ms)`);

    await runInNode(lab.lab, 'client', ['ip', '-6', 'neigh', 'flush', 'to', 'fd00:dead:beef::9999'], { allowFailure: true });
    const happy = await connect('happy', join(dir, 'happy.svg'));
    const [h6, h4] = lanesOf(happy);
    assert.deepEqual([h6!.address, h6!.outcome, h4!.address, h4!.outcome], ['fd00:dead:beef::9999', 'cancelled', '172.30.0.10', 'connected']);
    const delay = markOf(happy, 'delay')!;
    assert.ok(Math.abs(delay - (h6!.startMs + 250)) <= 0.1, `delay line at ${delay} ms, IPv6 began at ${h6!.startMs}`);
    assert.ok(h4!.startMs >= delay - 2 && h4!.startMs < 1000, `IPv4 began at ${h4!.startMs} ms; the delay ended at ${delay} ms`);
    const answers = descendants(happy, 'path').filter((p) => classes(p).includes('answer'));
    assert.deepEqual(answers.map((p) => classes(p).find((c) => /^answer-a+$/.test(c))).sort(), ['answer-a', 'answer-aaaa']);
  });
});
