/**
 * Ctrl-C during `dslab up` removes everything created so far; after `kill -9` of `dslab up`
 * the next `dslab down` (or `dslab up`) cleans up; a service that dies shows as dead in
 * `dslab status` (lab nt4).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import process from 'node:process';
import { test } from 'node:test';
import { down } from '../src/backends/netns/down.js';
import { readState } from '../src/backends/netns/state.js';
import { assertLabGone, cliPath, dslab, labLeftovers, labNetnsInodes, netnsSkipReason } from './helpers/netns-lab.js';

const LAB = 'nt4';

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  stdout: string;
}

/** Runs `dslab up --name nt4` and sends `sig` once stderr has shown `afterLines` progress lines (or after `afterMs`). */
function upAndSignal(sig: NodeJS.Signals, when: { afterLines?: number; afterMs?: number; thenMs?: number }): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath(), 'up', '--name', LAB], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    let sent = false;
    const send = (): void => {
      if (sent) return;
      sent = true;
      if (when.thenMs) setTimeout(() => child.kill(sig), when.thenMs);
      else child.kill(sig);
    };
    if (when.afterMs !== undefined) setTimeout(send, when.afterMs);
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (when.afterLines !== undefined && stderr.split('\n').filter((l) => l.includes('...')).length >= when.afterLines) send();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr, stdout }));
  });
}

test('Ctrl-C during dslab up leaves nothing behind', { skip: netnsSkipReason(), timeout: 120_000 }, async (t) => {
  await down(LAB);
  t.after(() => down(LAB));
  let interrupted = 0;
  const moments: Array<{ afterLines?: number; afterMs?: number; thenMs?: number }> = [{ afterLines: 1 }, { afterLines: 2 }, { afterLines: 2, thenMs: 40 }, { afterMs: 5 }, { afterMs: 120 }, { afterMs: 200 }, { afterMs: 280 }];
  for (const when of moments) {
    await t.test(`SIGINT ${JSON.stringify(when)}`, async () => {
      const r = await upAndSignal('SIGINT', when);
      if (r.code === 0) {
        // it finished before the signal arrived: the lab is up and complete; remove it
        assert.equal(readState(LAB)?.phase, 'up');
        await down(LAB);
      } else if (r.code === 130) {
        interrupted++;
        assert.match(r.stderr, /DSLAB_E_INTERRUPTED/);
      } else {
        // killed by the signal before dslab installed its handler: nothing was created yet
        assert.equal(r.signal, 'SIGINT', `unexpected exit ${r.code}: ${r.stderr}`);
      }
      assertLabGone(LAB);
    });
  }
  assert.ok(interrupted >= 3, `at least the progress-triggered interrupts must hit a running up (got ${interrupted})`);
});

test('after kill -9 of dslab up, dslab down cleans up, and so does the next up', { skip: netnsSkipReason(), timeout: 60_000 }, async (t) => {
  await down(LAB);
  t.after(() => down(LAB));
  for (const next of ['down', 'up'] as const) {
    await t.test(`then ${next}`, async () => {
      const r = await upAndSignal('SIGKILL', { afterLines: 2, thenMs: 30 });
      assert.equal(r.signal, 'SIGKILL');
      assert.notDeepEqual(labLeftovers(LAB), [], 'the killed up left something (the test needs that)');
      assert.equal(readState(LAB)?.phase, 'creating');
      const ls = await dslab(['ls', '--json']);
      assert.equal((JSON.parse(ls.stdout) as { labs: Array<{ lab: string; health: string }> }).labs.find((l) => l.lab === LAB)?.health, 'broken');
      const inodes = labNetnsInodes(LAB);
      if (next === 'down') {
        const d = await dslab(['down', '--lab', LAB]);
        assert.equal(d.code, 0, d.stderr);
        assertLabGone(LAB, inodes);
      } else {
        const u = await dslab(['up', '--name', LAB, '--json']);
        assert.equal(u.code, 0, u.stderr + u.stdout);
        assert.equal((JSON.parse(u.stdout) as { replaced: boolean }).replaced, true);
        assert.deepEqual(labLeftovers(LAB, inodes).filter((l) => l.includes('still in a namespace')), []);
        await down(LAB);
        assertLabGone(LAB, inodes);
      }
    });
  }
});

test('a service that dies shows as dead in dslab status', { skip: netnsSkipReason(), timeout: 60_000 }, async (t) => {
  await down(LAB);
  t.after(() => down(LAB));
  const u = await dslab(['up', '--name', LAB, '--json']);
  assert.equal(u.code, 0, u.stderr);
  const inodes = labNetnsInodes(LAB);
  const dns = (JSON.parse(u.stdout) as { services: Array<{ id: string; pid: number }> }).services.find((s) => s.id === 'dns')!;
  process.kill(dns.pid, 'SIGKILL');
  await new Promise((r) => setTimeout(r, 100));
  const st = await dslab(['status', '--lab', LAB, '--json']);
  assert.equal(st.code, 1, 'status exits 1 when the lab is not healthy');
  const s = JSON.parse(st.stdout) as { health: string; services: Array<{ id: string; health: string }> };
  assert.equal(s.health, 'degraded');
  assert.equal(s.services.find((v) => v.id === 'dns')?.health, 'dead');
  assert.equal(s.services.find((v) => v.id === 'web')?.health, 'running');
  const text = await dslab(['status', '--lab', LAB]);
  assert.match(text.stdout, /dns\s+dns\s+\d+\s+DEAD/);
  const d = await dslab(['down', '--lab', LAB]);
  assert.equal(d.code, 0, d.stderr);
  assertLabGone(LAB, inodes);
});
