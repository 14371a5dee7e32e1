/**
 * The benchmark runner finds the compiled benchmarks next to it (not itself, not helper
 * modules), runs each in turn with `--quick` passed through, reports each one's exit, and
 * says where the figures go. Exercised on a folder of tiny scripts, so no benchmark runs.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { test } from 'node:test';
import { benchScripts } from '../bench/run-all.js';
import { compiledSrcDir } from '../src/util/package-root.js';
import { run } from '../src/util/run.js';

const runAll = join(compiledSrcDir(), '..', 'bench', 'run-all.js');

function benchDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'dslab-bench-all-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  copyFileSync(runAll, join(dir, 'run-all.js'));
  // each script prints its name and arguments; "b-fails" fails
  writeFileSync(join(dir, 'a-echo.js'), "process.stdout.write('A ' + JSON.stringify(process.argv.slice(2)) + '\\n');\n");
  writeFileSync(join(dir, 'b-fails.js'), "process.stdout.write('B ' + JSON.stringify(process.argv.slice(2)) + '\\n'); process.exitCode = 3;\n");
  writeFileSync(join(dir, 'c-worker.js'), "throw new Error('a helper must not be run');\n");
  writeFileSync(join(dir, 'notes.md'), '# not a script\n');
  return dir;
}

test('benchScripts lists compiled scripts in order, without the runner and helpers', (t) => {
  const dir = benchDir(t);
  assert.deepEqual(
    benchScripts(dir, join(dir, 'run-all.js')).map((s) => s.name),
    ['a-echo', 'b-fails'],
  );
});

test('runs each benchmark in turn, passes --quick through, reports failures, names docs/benchmarks.md', async (t) => {
  const dir = benchDir(t);
  const r = await run(process.execPath, [join(dir, 'run-all.js'), '--quick'], { allowFailure: true, timeoutMs: 20_000 });
  assert.equal(r.code, 1, 'a failed benchmark makes the runner fail');
  assert.ok(r.stdout.indexOf('A ["--quick"]') >= 0 && r.stdout.indexOf('A ["--quick"]') < r.stdout.indexOf('B ["--quick"]'), r.stdout);
  assert.match(r.stdout, /a-echo\s+ok/);
  assert.match(r.stdout, /b-fails\s+exit 3/);
  assert.match(r.stdout, /docs\/benchmarks\.md/);
  assert.ok(!r.stdout.includes('helper must not'), 'helpers are not run');
});

test('without --quick nothing extra is passed; --only picks, an unknown name is refused', async (t) => {
  const dir = benchDir(t);
  const plain = await run(process.execPath, [join(dir, 'run-all.js'), '--only', 'a-echo'], { allowFailure: true, timeoutMs: 20_000 });
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, /A \[\]/);
  assert.ok(!plain.stdout.includes('B ['));
  const bad = await run(process.execPath, [join(dir, 'run-all.js'), '--only', 'nothere'], { allowFailure: true, timeoutMs: 20_000 });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /nothere/);
  assert.match(bad.stderr, /a-echo/);
});
