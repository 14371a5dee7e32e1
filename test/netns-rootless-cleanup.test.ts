/**
 * Nothing is left of a rootless lab whatever happens to `up` (lab rv2d): a failure injected
 * at each step, Ctrl-C at several moments, and `kill -9` followed by `dslab down` or by the
 * next `dslab up`. Rootless labs have no /run/netns entries to look for, so every process
 * the attempt starts carries a marker in its environment (keeper, namespace holders and
 * services inherit it) and the test looks for live processes that still carry it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { test } from 'node:test';
import { down } from '../src/backends/netns/down.js';
import { UP_STEPS } from '../src/backends/netns/fail-inject.js';
import { up } from '../src/backends/netns/up.js';
import { isDslabError } from '../src/errors.js';
import { run } from '../src/util/run.js';
import { cliPath, labTopology } from './helpers/netns-lab.js';

const LAB = 'rv2d';
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
const MARK = 'DSLAB_TEST_MARK';

async function skipReason(): Promise<string | undefined> {
  if (process.platform !== 'linux') return 'needs Linux';
  if (!existsSync('/proc/sys/net/ipv6')) return 'IPv6 is disabled in this kernel';
  const probe = ['unshare', '--user', '--map-root-user', '--net', '--mount', 'true'];
  const argv = asRoot ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', ...probe] : probe;
  const r = await run(argv[0]!, argv.slice(1), { allowFailure: true }).catch((e: Error) => ({ code: 1, stderr: e.message }));
  if (r.code !== 0) return `unprivileged user namespaces are not available here: ${r.stderr.trim()} (see "dslab doctor")`;
  if (asRoot) {
    const a = await run('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(cliPath())})`], { allowFailure: true });
    if (a.code !== 0) return 'the user nobody cannot read the compiled dslab (check folder permissions)';
  }
  return undefined;
}

const skip = await skipReason();

/** Live (not zombie) processes whose environment holds `MARK=value`. */
function marked(value: string): string[] {
  const needle = `${MARK}=${value}\0`;
  const out: string[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (!readFileSync(`/proc/${e}/environ`, 'utf8').includes(needle)) continue;
      out.push(`${e}: ${readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0').join(' ').trim()}`);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return out;
}

/** Waits briefly for exiting processes to be gone (a SIGKILLed process takes a moment). */
async function leftover(value: string): Promise<string[]> {
  for (let i = 0; i < 50; i++) {
    const left = marked(value);
    if (left.length === 0) return left;
    await new Promise((r) => setTimeout(r, 20));
  }
  return marked(value);
}

test('rootless: a failure injected at each step of up leaves no process and no file', { skip, timeout: 120_000 }, async (t) => {
  const saved = { ...process.env };
  const stateRoot = mkdtempSync(join(tmpdir(), 'dslab-rv2d-'));
  process.env['DSLAB_STATE_ROOT'] = stateRoot;
  process.env['DSLAB_ROOTLESS'] = '1';
  t.after(async () => {
    await down(LAB).catch(() => undefined);
    for (const k of ['DSLAB_STATE_ROOT', 'DSLAB_ROOTLESS', 'DSLAB_FAIL_AT', MARK]) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    rmSync(stateRoot, { recursive: true, force: true });
  });
  const topology = await labTopology(LAB);
  for (const step of UP_STEPS) {
    await t.test(`failure at "${step}"`, async () => {
      const mark = `${LAB}-fail-${step}-${process.pid}`;
      process.env[MARK] = mark;
      process.env['DSLAB_FAIL_AT'] = step;
      try {
        await assert.rejects(up(topology), (err: unknown) => isDslabError(err, 'DSLAB_E_INJECTED_FAILURE') && err.value === step);
      } finally {
        delete process.env['DSLAB_FAIL_AT'];
      }
      assert.deepEqual(await leftover(mark), [], 'no keeper, holder or service is left');
      assert.equal(existsSync(join(stateRoot, LAB)), false, 'the state folder (with the nodes\' /etc files) is removed');
    });
  }
  // the same lab comes up and goes down cleanly afterwards: the failures left nothing in the way
  const mark = `${LAB}-fail-after-${process.pid}`;
  process.env[MARK] = mark;
  const r = await up(topology);
  assert.equal(r.mode, 'rootless');
  assert.ok(r.ipv6Check.every((p) => p.ok));
  assert.notDeepEqual(marked(mark), [], 'the marker reaches the lab\'s processes (otherwise this test proves nothing)');
  await down(LAB);
  assert.deepEqual(await leftover(mark), []);
});

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  stdout: string;
}

function cliArgv(args: readonly string[]): string[] {
  const node = [process.execPath, cliPath(), ...args];
  return asRoot ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', ...node] : node;
}

/** `dslab up --name rv2d` as an ordinary user; `sig` once `afterLines` progress lines showed, `thenMs` later. */
function upAndSignal(env: NodeJS.ProcessEnv, sig: NodeJS.Signals, afterLines: number, thenMs: number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const [file, ...args] = cliArgv(['up', '--name', LAB]);
    // setpriv execs node: the pid is dslab's own
    const child = spawn(file!, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    let sent = false;
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (!sent && stderr.split('\n').filter((l) => l.includes('...')).length >= afterLines) {
        sent = true;
        setTimeout(() => child.kill(sig), thenMs);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr, stdout }));
  });
}

function cli(env: NodeJS.ProcessEnv, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const [file, ...rest] = cliArgv(args);
  return run(file!, rest, { env, allowFailure: true, timeoutMs: 30_000 });
}

test('rootless: Ctrl-C during up, and kill -9 then down or up, leave nothing', { skip, timeout: 180_000 }, async (t) => {
  const stateRoot = mkdtempSync(join(tmpdir(), 'dslab-rv2d-'));
  if (asRoot) chownSync(stateRoot, NOBODY, NOBODY);
  const base: NodeJS.ProcessEnv = { ...process.env, DSLAB_STATE_ROOT: stateRoot, HOME: stateRoot };
  delete base['DSLAB_FAIL_AT'];
  const marks: string[] = [];
  const envFor = (name: string): NodeJS.ProcessEnv => {
    const mark = `${LAB}-${name}-${process.pid}`;
    marks.push(mark);
    return { ...base, [MARK]: mark };
  };
  t.after(async () => {
    await cli(base, ['down', '--lab', LAB]);
    rmSync(stateRoot, { recursive: true, force: true });
  });

  let interrupted = 0;
  for (const [lines, ms] of [[1, 0], [1, 15], [2, 0], [2, 30], [2, 80]] as const) {
    await t.test(`SIGINT ${ms} ms after progress line ${lines}`, async () => {
      const env = envFor(`int-${lines}-${ms}`);
      const r = await upAndSignal(env, 'SIGINT', lines, ms);
      if (r.code === 0) {
        // up finished first: a complete lab; remove it
        const d = await cli(env, ['down', '--lab', LAB]);
        assert.equal(d.code, 0, d.stderr);
      } else {
        assert.equal(r.code, 130, `exit ${r.code} ${r.signal}: ${r.stderr}`);
        assert.match(r.stderr, /DSLAB_E_INTERRUPTED/);
        assert.match(r.stderr, /everything created so far was removed/);
        interrupted++;
      }
      assert.deepEqual(await leftover(env[MARK]!), []);
      assert.equal(existsSync(join(stateRoot, LAB)), false);
    });
  }
  assert.ok(interrupted >= 2, `the signals must hit a running up (got ${interrupted})`);

  for (const next of ['down', 'up'] as const) {
    await t.test(`kill -9 during up, then ${next}`, async () => {
      const env = envFor(`kill-${next}`);
      const r = await upAndSignal(env, 'SIGKILL', 2, 30);
      assert.equal(r.signal, 'SIGKILL');
      const left = marked(env[MARK]!);
      assert.notDeepEqual(left, [], 'the killed up left processes behind (the test needs that)');
      const state = JSON.parse(readFileSync(join(stateRoot, LAB, 'state.json'), 'utf8')) as { mode: string; phase: string };
      assert.deepEqual([state.mode, state.phase], ['rootless', 'creating']);
      if (next === 'down') {
        const d = await cli(base, ['down', '--lab', LAB]);
        assert.equal(d.code, 0, d.stderr);
      } else {
        const u = await cli(base, ['up', '--name', LAB, '--json']);
        assert.equal(u.code, 0, u.stderr + u.stdout);
        assert.equal((JSON.parse(u.stdout) as { replaced: boolean }).replaced, true);
        assert.deepEqual(await leftover(env[MARK]!), [], 'the next up removed what the killed one left');
        const d = await cli(base, ['down', '--lab', LAB]);
        assert.equal(d.code, 0, d.stderr);
      }
      assert.deepEqual(await leftover(env[MARK]!), []);
      assert.equal(existsSync(join(stateRoot, LAB)), false);
    });
  }
});
