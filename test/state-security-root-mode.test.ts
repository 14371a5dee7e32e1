/**
 * As root (issue 14): a symbolic link planted at /etc/netns/<lab>-client makes `dslab up`
 * refuse with DSLAB_E_STATE_UNSAFE before anything is created (no namespace, no state
 * folder, nothing written through the link), and `dslab down` leaves the link alone and says
 * so; a state root given by DSLAB_STATE_ROOT that others can write into, or that belongs to
 * another user, is refused too. Labs hs3 and hs4.
 */
import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, lstatSync, mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { test } from 'node:test';
import { labStateDir } from '../src/backends/netns/state.js';
import { run } from '../src/util/run.js';
import { runInNode } from '../src/backends/netns/exec.js';
import { assertLabGone, dslab, netnsSkipReason, withLab } from './helpers/netns-lab.js';
import { NOBODY } from './helpers/ordinary-user.js';

const LAB = 'hs3';
const LINK = `/etc/netns/${LAB}-client`;

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Everything of lab `lab` the machine has: namespaces, /etc/netns entries, its state folder. */
async function traces(lab: string): Promise<string[]> {
  const ns = (await run('ip', ['netns', 'list'])).stdout.split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith(`${lab}-`));
  const etc = existsSync('/etc/netns') ? readdirSync('/etc/netns').filter((d) => d.startsWith(`${lab}-`)).map((d) => `/etc/netns/${d}`) : [];
  return [...ns.map((n) => `netns ${n}`), ...etc, ...(exists(labStateDir(lab)) ? [labStateDir(lab)] : [])].sort();
}

const skip = netnsSkipReason() ?? ((await traces(LAB)).length > 0 ? `something of lab ${LAB} exists already` : undefined);

test('as root, a symbolic link planted at /etc/netns/<lab>-client is refused and nothing is created', { skip, timeout: 60_000 }, async (t) => {
  const decoy = mkdtempSync(join(tmpdir(), 'hs3-decoy-'));
  t.after(() => {
    rmSync(LINK, { force: true });
    rmSync(decoy, { recursive: true, force: true });
  });
  symlinkSync(decoy, LINK);

  const r = await dslab(['up', '--name', LAB, '--json']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const { error } = JSON.parse(r.stdout) as { error: { code: string; value: string; message: string; hint: string } };
  assert.equal(error.code, 'DSLAB_E_STATE_UNSAFE');
  assert.equal(error.value, LINK);
  assert.match(error.message, /symbolic link/);
  assert.match(error.hint, new RegExp(`rm -r ${LINK}`));
  assert.deepEqual(readdirSync(decoy), [], 'nothing was written through the link');
  assert.deepEqual(await traces(LAB), [LINK], 'nothing but the planted link');
  assert.equal(readlinkSync(LINK), decoy, 'the link is as it was');

  // down does not remove (or follow) a link it did not make, and says so
  const d = await dslab(['down', '--lab', LAB, '--json']);
  assert.equal(d.code, 0, d.stdout + d.stderr);
  const downResult = (JSON.parse(d.stdout) as { labs: Array<{ etcDirs: string[]; warnings: string[] }> }).labs[0]!;
  assert.deepEqual(downResult.etcDirs, []);
  assert.ok(downResult.warnings.some((w) => w.includes(LINK) && /symbolic link/.test(w)), downResult.warnings.join('\n'));
  assert.equal(readlinkSync(LINK), decoy);

  rmSync(LINK);
  assertLabGone(LAB);
});

test('as root, a DSLAB_STATE_ROOT that others can write into or that is another user\'s is refused', { skip: netnsSkipReason(), timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hs4-root-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const env = { ...process.env, DSLAB_STATE_ROOT: dir };

  // mkdtemp's 0700 folder of root's is fine: an empty list
  const ok = await dslab(['ls', '--json'], { env });
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);

  for (const [what, change] of [
    ['mode 0777', () => chmodSync(dir, 0o777)],
    ['mode 0775', () => chmodSync(dir, 0o775)],
    ["nobody's", () => (chmodSync(dir, 0o700), chownSync(dir, NOBODY, NOBODY))],
  ] as const) {
    change();
    for (const args of [['up', '--name', 'hs4'], ['ls'], ['down', '--lab', 'hs4']]) {
      const r = await dslab([...args, '--json'], { env });
      assert.equal(r.code, 1, `${what}, ${args.join(' ')}: ${r.stdout}${r.stderr}`);
      const { error } = JSON.parse(r.stdout) as { error: { code: string; value: string } };
      assert.equal(error.code, 'DSLAB_E_STATE_UNSAFE', `${what}, ${args.join(' ')}`);
      assert.equal(error.value, dir);
    }
    assert.deepEqual(readdirSync(dir), [], `${what}: nothing created`);
    chownSync(dir, 0, 0);
    chmodSync(dir, 0o700);
  }
  assertLabGone('hs4');
});

test('as root, the lab folder is 0700 with 0600 files; /etc/netns/<ns> stays readable like /etc', { skip, timeout: 60_000 }, async () => {
  await withLab(LAB, undefined, async (lab) => {
    const mode = (path: string): string => (lstatSync(path).mode & 0o7777).toString(8);
    assert.equal(mode(lab.stateDir), '700');
    for (const f of readdirSync(lab.stateDir, { withFileTypes: true })) {
      if (f.isFile()) assert.equal(mode(join(lab.stateDir, f.name)), '600', f.name);
    }
    const etc = `/etc/netns/${LAB}-client`;
    assert.equal(mode(etc), '755');
    for (const f of ['resolv.conf', 'hosts', 'nsswitch.conf']) assert.equal(mode(join(etc, f)), '644', f);
    const r = await runInNode(LAB, 'client', ['cat', '/etc/resolv.conf']);
    assert.match(r.stdout, /^nameserver /m);
  });
});
