/**
 * The library reference stays true: TypeDoc reads src/index.ts (the public API) and reports
 * no warning: every exported function, class, interface, type and variable has a doc comment,
 * every type the API refers to is exported, and no {@link} is broken (typedoc.json sets
 * treatWarningsAsErrors, so `npm run docs` fails on the same).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../src/util/package-root.js';
import { run } from '../src/util/run.js';

const typedoc = join(packageRoot(), 'node_modules', 'typedoc', 'bin', 'typedoc');

test('TypeDoc documents the public API without a warning', { skip: existsSync(typedoc) ? undefined : 'typedoc is not installed (npm ci installs it)' }, async () => {
  const r = await run(process.execPath, [typedoc, '--options', join(packageRoot(), 'typedoc.json'), '--emit', 'none', '--logLevel', 'Warn'], { allowFailure: true, timeoutMs: 120_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  const warnings = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => /\[warning\]|\[error\]/.test(l));
  assert.deepEqual(warnings, [], `typedoc warned (exit ${r.code}); document these exports or export the types named`);
  assert.equal(r.code, 0);
});
