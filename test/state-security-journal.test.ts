/**
 * A rootless lab's state, as an ordinary user would make it (issue 14; lab hs2): as the user
 * nobody with XDG_RUNTIME_DIR unset, `dslab up` makes /tmp/dslab-<uid>/hs2 with folders 0700
 * and files 0600; a journal that others could write is refused by `down` (nothing is
 * stopped); and a journal edited to name a process that is not the lab's (a `sleep` this test
 * starts) as a service and as a namespace holder makes `down` leave that process running,
 * say so in its output and JSON, and still remove everything the lab did start.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { test } from 'node:test';
import { isAlive, procRef, type ProcRef } from '../src/backends/netns/proc.js';
import { ordinaryUser, ordinaryUserSkipReason } from './helpers/ordinary-user.js';

const LAB = 'hs2';
const user = ordinaryUser();
const TMP_ROOT = `/tmp/dslab-${user.uid}`;
const STATE = join(TMP_ROOT, LAB);
const JOURNAL = join(STATE, 'state.json');

const skip = (await ordinaryUserSkipReason(true)) ?? (existsSync(TMP_ROOT) ? `${TMP_ROOT} exists already; this test needs it absent` : undefined);

/** Every folder and file under `dir` with its permission bits (lstat: links show as links). */
function modes(dir: string): Array<{ path: string; kind: string; mode: string; uid: number }> {
  const out = [];
  const st = lstatSync(dir);
  out.push({ path: dir, kind: 'folder', mode: (st.mode & 0o7777).toString(8), uid: st.uid });
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...modes(path));
    else {
      const s = lstatSync(path);
      out.push({ path, kind: e.isSymbolicLink() ? 'link' : 'file', mode: (s.mode & 0o7777).toString(8), uid: s.uid });
    }
  }
  return out;
}

/** Live processes that carry the lab's marker or name its state folder: what `down` must leave none of. */
function labProcesses(except: readonly number[] = []): string[] {
  const out: string[] = [];
  for (const e of readdirSync('/proc')) {
    const pid = Number(e);
    if (!Number.isInteger(pid) || pid === process.pid || except.includes(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      if (/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2))) continue;
      const env = readFileSync(`/proc/${e}/environ`, 'utf8');
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8');
      if (env.includes(`DSLAB_HOLDER=${STATE}\0`) || cmd.includes(`${STATE}/`)) out.push(`${e}: ${cmd.split('\0').join(' ').trim()}`);
    } catch {
      // gone
    }
  }
  return out;
}

async function gone(except: readonly number[]): Promise<string[]> {
  for (let i = 0; i < 100 && labProcesses(except).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
  return labProcesses(except);
}

/** A `sleep` of the ordinary user's, not started by any lab (setpriv execs it: the pid is sleep's). */
async function foreignSleep(): Promise<ProcRef> {
  const [file, ...args] = [...user.prefix, 'sleep', '600'];
  const child = spawn(file!, args, { detached: true, stdio: 'ignore', env: user.env() });
  child.unref();
  assert.ok(child.pid);
  for (let i = 0; i < 100; i++) {
    if (readFileSync(`/proc/${child.pid}/comm`, 'utf8').trim() === 'sleep') break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const ref = procRef(child.pid);
  assert.ok(ref, 'the sleep runs');
  return ref;
}

interface DownJson {
  labs: Array<{ existed: boolean; stateDir: boolean; strayProcesses: number[]; refused: Array<{ pid: number; what: string; reason: string }>; warnings: string[] }>;
}

test('rootless state is private, and down acts only on processes the lab started', { skip, timeout: 120_000 }, async (t) => {
  let sleep: ProcRef | undefined;
  t.after(async () => {
    // whatever happened: the lab is taken down, the sleep killed by its pid, the root this test caused removed
    if (existsSync(STATE)) {
      chmodSync(JOURNAL, 0o600);
      await user.dslab(['down', '--lab', LAB]);
    }
    if (sleep && isAlive(sleep)) process.kill(sleep.pid, 'SIGKILL');
    rmSync(TMP_ROOT, { recursive: true, force: true });
  });

  const upRun = await user.dslab(['up', '--name', LAB, '--json']);
  assert.equal(upRun.code, 0, upRun.stderr + upRun.stdout);
  const upResult = JSON.parse(upRun.stdout) as { mode: string; stateDir: string; services: Array<{ id: string; pid: number }> };
  assert.equal(upResult.mode, 'rootless');
  assert.equal(upResult.stateDir, STATE, 'with no runtime folder and no home, state goes to /tmp/dslab-<uid>');

  await t.test('the state root and every folder are 0700, every file 0600, all the user\'s', () => {
    const all = [{ path: TMP_ROOT, kind: 'folder', mode: (lstatSync(TMP_ROOT).mode & 0o7777).toString(8), uid: lstatSync(TMP_ROOT).uid }, ...modes(STATE)];
    assert.ok(all.some((e) => e.path === JOURNAL) && all.some((e) => e.path.endsWith('/etc/hs2-client/resolv.conf')) && all.some((e) => e.path.endsWith('dns.log')));
    const wrong = all.filter((e) => e.uid !== user.uid || (e.kind === 'folder' ? e.mode !== '700' : e.mode !== '600'));
    assert.deepEqual(wrong, [], 'folders 0700, files 0600, no links');
  });

  await t.test('a journal others can write is refused: down stops nothing', async () => {
    chmodSync(JOURNAL, 0o666);
    try {
      const d = await user.dslab(['down', '--lab', LAB, '--json']);
      assert.equal(d.code, 1, d.stdout + d.stderr);
      const { error } = JSON.parse(d.stdout) as { error: { code: string; value: string; details: { mode: string } } };
      assert.equal(error.code, 'DSLAB_E_STATE_UNSAFE');
      assert.equal(error.value, JOURNAL);
      assert.equal(error.details.mode, '0666');
      assert.equal(labProcesses().length >= 6, true, 'the keeper, 4 holders and the services still run');
    } finally {
      chmodSync(JOURNAL, 0o600);
    }
  });

  await t.test('a PID that is not the lab\'s is never signalled, and down says so', async () => {
    sleep = await foreignSleep();
    const journal = JSON.parse(readFileSync(JOURNAL, 'utf8')) as { services: Array<{ id: string; proc: ProcRef }>; holders: Record<string, ProcRef> };
    const web = journal.services.find((s) => s.id === 'web')!;
    const replacedService = web.proc.pid;
    web.proc = sleep;
    const ns = `${LAB}-client`;
    const replacedHolder = journal.holders[ns]!.pid;
    journal.holders[ns] = sleep;
    writeFileSync(JOURNAL, JSON.stringify(journal)); // same file: its owner and mode stay
    assert.equal((lstatSync(JOURNAL).mode & 0o777).toString(8), '600');

    const d = await user.dslab(['down', '--lab', LAB, '--json']);
    assert.equal(d.code, 0, d.stdout + d.stderr);
    const result = (JSON.parse(d.stdout) as DownJson).labs[0]!;
    assert.ok(isAlive(sleep), 'the sleep survived down');
    assert.deepEqual(result.refused.map((r) => [r.pid, r.what]).sort(), [[sleep.pid, `holder of ${ns}`], [sleep.pid, 'service web']].sort());
    for (const r of result.refused) assert.match(r.reason, /DSLAB_HOLDER/);
    assert.ok(result.warnings.some((w) => w.includes(`pid ${sleep!.pid}`) && w.includes('Did not stop')), result.warnings.join('\n'));
    // what the lab did start is found anyway (the holder by its marker, the server inside the lab) and removed
    assert.ok(result.strayProcesses.includes(replacedService), 'the real web server was stopped as a process of the lab');
    assert.equal(result.stateDir, true);
    assert.deepEqual(await gone([sleep.pid]), [], `nothing of the lab is left (the real holder was ${replacedHolder})`);
    assert.equal(existsSync(STATE), false, 'the state folder is removed');
    process.kill(sleep.pid, 'SIGKILL');
  });

  await t.test('down prints the warning in its text output', async () => {
    const again = await user.dslab(['up', '--name', LAB]);
    assert.equal(again.code, 0, again.stderr);
    const other = await foreignSleep();
    try {
      const journal = JSON.parse(readFileSync(JOURNAL, 'utf8')) as { services: Array<{ proc: ProcRef }> };
      journal.services[0]!.proc = other;
      writeFileSync(JOURNAL, JSON.stringify(journal));
      const d = await user.dslab(['down', '--lab', LAB]);
      assert.equal(d.code, 0, d.stderr);
      assert.match(d.stdout, new RegExp(`! Did not stop pid ${other.pid}`));
      assert.match(d.stdout, /left running/);
      assert.ok(isAlive(other));
      assert.deepEqual(await gone([other.pid]), []);
    } finally {
      if (isAlive(other)) process.kill(other.pid, 'SIGKILL');
    }
  });
});
