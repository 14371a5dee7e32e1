/**
 * Faults leave nothing behind: `down` removes them with the lab (the delayers are stopped
 * by PID), also after `kill -9` of the `dslab up` that was putting them in; an `up` whose
 * faults cannot be applied fails and removes everything; `up --fault` applies faults from
 * the command line and `--scenario` a named set (labs ft2, ft4).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { down } from '../src/backends/netns/down.js';
import { readState } from '../src/backends/netns/state.js';
import { dslabWithoutTool, hideToolSkipReason } from './helpers/hide-tool.js';
import { faultSkipReason, connectFrom } from './helpers/fault-lab.js';
import { assertLabGone, cliPath, dslab, labNetnsInodes } from './helpers/netns-lab.js';

/** PIDs of processes in namespace `ns` (by its inode). */
function processesIn(ns: string): number[] {
  let ino: number;
  try {
    ino = statSync(`/run/netns/${ns}`).ino;
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    const pid = Number(e);
    if (!Number.isInteger(pid)) continue;
    try {
      const link = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (link.includes('dslab-delayer.py') && statSync(`/proc/${pid}/ns/net`).ino === ino) out.push(pid);
    } catch {
      // gone
    }
  }
  return out;
}

test('up --scenario and --fault apply faults; down removes them and their delayers', { skip: faultSkipReason() }, async () => {
  const lab = 'ft2';
  await down(lab);
  const r = await dslab(['up', '--name', lab, '--scenario', 'v6-slow', '--fault', 'reject:with=tcp-reset,family=4,to=web', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as { faults: Array<{ id: string; scenario?: string }> };
  assert.deepEqual(result.faults.map((f) => [f.id, f.scenario]), [['f1', 'v6-slow'], ['f2', undefined]]);
  const inodes = labNetnsInodes(lab);
  try {
    assert.equal(processesIn(`${lab}-sw`).length, 2, 'a delayer for the delay and one for the reject');
    assert.ok((await connectFrom(lab, 'client', 'fd00:dead:beef::10')).ms >= 290);
    assert.equal((await connectFrom(lab, 'client', '172.30.0.10')).result, 'ECONNREFUSED');
    const status = await dslab(['status', '--lab', lab, '--json']);
    const s = JSON.parse(status.stdout) as { faults: Array<{ id: string }> };
    assert.deepEqual(s.faults.map((f) => f.id), ['f1', 'f2'], 'status shows the faults');
  } finally {
    const d = await dslab(['down', '--lab', lab]);
    assert.equal(d.code, 0, d.stderr);
  }
  assertLabGone(lab, inodes);
});

test('kill -9 of "dslab up" while it puts faults in: the next down removes everything', { skip: faultSkipReason() }, async () => {
  const lab = 'ft4';
  await down(lab);
  const child = spawn(process.execPath, [cliPath(), 'up', '--name', lab, '--scenario', 'v6-slow', '--scenario', 'v6-reset'], { stdio: 'ignore' });
  // wait until a delayer runs in the switch, then kill the up at once
  const deadline = Date.now() + 15_000;
  while (processesIn(`${lab}-sw`).length === 0 && Date.now() < deadline) await sleep(2);
  const inodes = labNetnsInodes(lab);
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  assert.ok(inodes.size > 0, 'the lab was being built');
  assert.ok(readState(lab), 'a journal is left for down');
  const d = await dslab(['down', '--lab', lab]);
  assert.equal(d.code, 0, d.stderr);
  assertLabGone(lab, inodes);
});

test('an up whose faults cannot be applied fails with the reason and leaves nothing', { skip: faultSkipReason() ?? hideToolSkipReason('nft') }, async () => {
  const lab = 'ft5';
  await down(lab);
  const r = await dslabWithoutTool('nft', ['up', '--name', lab, '--fault', 'blackhole:family=6', '--json']);
  assert.equal(r.code, 1);
  const err = (JSON.parse(r.stdout) as { error: { code: string; hint: string } }).error;
  assert.equal(err.code, 'DSLAB_E_TOOL_MISSING');
  assert.match(err.hint, /nftables/);
  assertLabGone(lab);
});

test('bad --fault and --scenario are refused before anything is created', { skip: faultSkipReason() }, async () => {
  for (const [args, code] of [
    [['--fault', 'delay:ms=99999'], 'DSLAB_E_FAULT_RANGE'],
    [['--fault', 'blackhole:to=fd00:dead:beef::9999'], 'DSLAB_E_FAULT_ADDRESS'],
    [['--scenario', 'nosuch'], 'DSLAB_E_SCENARIO_UNKNOWN'],
  ] as const) {
    const r = await dslab(['up', '--name', 'ft6', ...args, '--json']);
    assert.equal(r.code, 1, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { error: { code: string } }).error.code, code);
    assertLabGone('ft6');
  }
});
