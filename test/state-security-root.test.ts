/**
 * Where an ordinary user's lab state lives, and the checks on that folder (issue 14). As the
 * user nobody (when the tests run as root) with XDG_RUNTIME_DIR unset and a home of
 * /nonexistent, dslab falls through to /tmp/dslab-<uid>; a /tmp/dslab-<uid> that another user
 * made, a symbolic link there, and one that others can write or read are each refused with
 * DSLAB_E_STATE_UNSAFE, and nothing is created. The runtime folder, the user's own cache
 * folder and DSLAB_STATE_ROOT are picked when usable. Lab name hs1.
 */
import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { test } from 'node:test';
import { compiledSrcDir } from '../src/util/package-root.js';
import { ordinaryUser, ordinaryUserSkipReason } from './helpers/ordinary-user.js';

const LAB = 'hs1';
const asRoot = process.getuid?.() === 0;
const user = ordinaryUser();
const TMP_ROOT = `/tmp/dslab-${user.uid}`;

const skip =
  (await ordinaryUserSkipReason(false)) ??
  // a folder of that name is in use (or planted): not this test's to change
  (existsSync(TMP_ROOT) || lstatExists(TMP_ROOT) ? `${TMP_ROOT} exists already; this test needs it absent` : undefined);

function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** A fresh folder owned by the test's ordinary user, mode 0700. */
function userDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (asRoot) chownSync(dir, user.uid, user.uid);
  return dir;
}

interface Choice {
  path: string;
  source: string;
}

/** The state root dslab would pick as the ordinary user in this environment. */
async function choice(extra: NodeJS.ProcessEnv = {}): Promise<Choice> {
  const module = join(compiledSrcDir(), 'backends', 'state-root.js');
  const script = `import(${JSON.stringify(module)}).then((m) => process.stdout.write(JSON.stringify(m.chooseStateRoot())))`;
  const r = await user.run([process.execPath, '-e', script], extra);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Choice;
}

/** Live processes carrying the lab's marker, i.e. anything `up` would have started for hs1 here. */
function labProcesses(stateDir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const env = readFileSync(`/proc/${e}/environ`, 'utf8');
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8');
      if (env.includes(`DSLAB_HOLDER=${stateDir}`) || cmd.includes(stateDir)) out.push(`${e}: ${cmd.split('\0').join(' ')}`);
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

test('the state root: runtime folder, own cache folder, then /tmp/dslab-<uid>; DSLAB_STATE_ROOT overrides', { skip, timeout: 60_000 }, async () => {
  const home = userDir('hs1-home-');
  const runtime = userDir('hs1-run-');
  try {
    // nobody's home (/nonexistent) does not exist: past the cache folder to /tmp
    assert.deepEqual(await choice(), { path: TMP_ROOT, source: 'tmp' });
    // a home owned by someone else (here root's /) is no place for it either
    assert.deepEqual(await choice({ HOME: '/' }), { path: TMP_ROOT, source: 'tmp' });
    assert.deepEqual(await choice({ HOME: home }), { path: join(home, '.cache', 'dslab'), source: 'cache' });
    assert.deepEqual(await choice({ XDG_CACHE_HOME: join(home, 'c') }), { path: join(home, 'c', 'dslab'), source: 'cache' });
    assert.deepEqual(await choice({ HOME: home, XDG_RUNTIME_DIR: runtime }), { path: join(runtime, 'dslab'), source: 'XDG_RUNTIME_DIR' });
    // another user's runtime folder (left by su / sudo -u) is not used
    assert.deepEqual(await choice({ HOME: home, XDG_RUNTIME_DIR: '/' }), { path: join(home, '.cache', 'dslab'), source: 'cache' });
    assert.deepEqual(await choice({ DSLAB_STATE_ROOT: join(home, 's'), XDG_RUNTIME_DIR: runtime }), { path: join(home, 's'), source: 'DSLAB_STATE_ROOT' });
    assert.equal(existsSync(join(home, '.cache')), false, 'choosing creates nothing');

    const rel = await user.dslab(['ls', '--json'], { DSLAB_STATE_ROOT: 'relative/dir' });
    assert.equal(rel.code, 2, rel.stderr + rel.stdout);
    assert.equal((JSON.parse(rel.stdout) as { error: { code: string; field: string } }).error.code, 'DSLAB_E_BAD_OPTION');
  } finally {
    rmSync(home, { recursive: true, force: true });
    rmSync(runtime, { recursive: true, force: true });
  }
  assert.equal(existsSync(TMP_ROOT), false);
});

interface Refusal {
  code: string;
  value: string;
  hint: string;
  message: string;
  details: { path: string; problem: string; owner?: number; mode?: string };
}

async function refused(args: string[]): Promise<Refusal> {
  const r = await user.dslab([...args, '--json']);
  assert.equal(r.code, 1, `${args.join(' ')}: exit ${r.code}\n${r.stdout}${r.stderr}`);
  const { error } = JSON.parse(r.stdout) as { error: Refusal };
  assert.equal(error.code, 'DSLAB_E_STATE_UNSAFE', error.message);
  return error;
}

test('a /tmp/dslab-<uid> that is not the user\'s own private folder is refused and nothing is created', { skip, timeout: 60_000 }, async (t) => {
  t.after(() => rmSync(TMP_ROOT, { recursive: true, force: true }));

  const expectRefusal = async (what: RegExp, contents: () => string[]): Promise<Refusal> => {
    const before = contents();
    const error = await refused(['up', '--name', LAB]);
    assert.equal(error.value, TMP_ROOT);
    assert.match(error.details.problem, what);
    assert.match(error.message, new RegExp(TMP_ROOT));
    assert.match(error.hint, /DSLAB_STATE_ROOT/, 'the fix names the override');
    assert.deepEqual(contents(), before, 'nothing was created in it');
    assert.deepEqual(labProcesses(join(TMP_ROOT, LAB)), [], 'no keeper or holder was started');
    // reading commands refuse it too: they would trust what it holds
    await refused(['ls']);
    await refused(['down', '--lab', LAB]);
    assert.deepEqual(contents(), before);
    return error;
  };
  const list = (dir: string) => () => readdirSync(dir).sort();

  await t.test('owned by another user, mode 0777', { skip: asRoot ? undefined : 'needs root to make a folder owned by another user' }, async () => {
    mkdirSync(TMP_ROOT, { mode: 0o777 });
    try {
      chmodSync(TMP_ROOT, 0o777);
      const error = await expectRefusal(/belongs to uid 0/, list(TMP_ROOT));
      assert.equal(error.details.owner, 0);
      assert.equal(error.details.mode, '0777');
      assert.match(error.message, /owner uid 0 \(root\)/);
    } finally {
      rmSync(TMP_ROOT, { recursive: true, force: true });
    }
  });

  await t.test('a symbolic link to a folder of the user\'s', async () => {
    const target = userDir('hs1-target-');
    try {
      symlinkSync(target, TMP_ROOT);
      const error = await expectRefusal(/symbolic link/, list(target));
      assert.match(error.details.problem, new RegExp(target));
      assert.equal(lstatSync(TMP_ROOT).isSymbolicLink(), true, 'the link is left as it was');
    } finally {
      rmSync(TMP_ROOT, { force: true });
      rmSync(target, { recursive: true, force: true });
    }
  });

  for (const mode of [0o777, 0o755]) {
    await t.test(`the user's own, mode 0${mode.toString(8)}`, async () => {
      mkdirSync(TMP_ROOT);
      try {
        chmodSync(TMP_ROOT, mode);
        if (asRoot) chownSync(TMP_ROOT, user.uid, user.uid);
        const error = await expectRefusal(mode & 0o022 ? /other users can write/ : /others can read/, list(TMP_ROOT));
        assert.equal(error.details.mode, `0${mode.toString(8)}`);
        assert.match(error.hint, /chmod 700/, 'the owner is told how to make it private');
      } finally {
        rmSync(TMP_ROOT, { recursive: true, force: true });
      }
    });
  }
});
