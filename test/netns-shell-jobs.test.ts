// runInOneShell runs many namespace commands from one shell (up's node step): each gets its own
// input, arguments arrive as they were given (spaces, quotes), and the first failure stops the
// rest and is named with its exit status and what it printed. Runs real programs (sh, cat).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runInOneShell } from '../src/backends/netns/ip.js';
import { isDslabError } from '../src/errors.js';

test('jobs run in order with their own input and exact arguments', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dslab-jobs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = (n: number) => join(dir, `out${n}`);
  await runInOneShell([
    { cmd: { file: 'sh', args: ['-c', 'cat > "$1"', 'sh', out(1)] }, input: 'first line\nsecond\n' },
    { cmd: { file: 'sh', args: ['-c', 'printf "%s|" "$@" > "$0"', out(2), "it's", 'two words', '$HOME'] }, input: '' },
    { cmd: { file: 'sh', args: ['-c', 'cat > "$1"', 'sh', out(3)] }, input: 'no newline at the end' },
  ]);
  assert.equal(readFileSync(out(1), 'utf8'), 'first line\nsecond\n');
  assert.equal(readFileSync(out(2), 'utf8'), "it's|two words|$HOME|");
  assert.equal(readFileSync(out(3), 'utf8'), 'no newline at the end\n');
});

test('the first failing job stops the rest and is named, with its exit status and output', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dslab-jobs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const never = join(dir, 'never');
  await assert.rejects(
    runInOneShell([
      { cmd: { file: 'cat', args: [] }, input: 'ok\n' },
      { cmd: { file: 'sh', args: ['-c', 'echo "Cannot find device eth9" >&2; exit 3'] }, input: 'link set eth9 up\n' },
      { cmd: { file: 'touch', args: [never] }, input: '' },
    ]),
    (err: unknown) => {
      assert.ok(isDslabError(err));
      assert.equal(err.code, 'DSLAB_E_COMMAND_FAILED');
      assert.match(err.message, /^"sh -c echo "Cannot find device eth9" >&2; exit 3" failed \(exit 3\): Cannot find device eth9$/);
      return true;
    },
  );
  assert.equal(existsSync(never), false, 'the job after the failure did not run');
});
