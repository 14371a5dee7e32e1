/**
 * The arrows between the parts point one way (docs/architecture.md): no backend imports the
 * CLI, and the experiments reach a lab only through LabAccess, never by importing a backend.
 * Reads the TypeScript sources' import lines (static and dynamic).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../src/util/package-root.js';

const SRC = join(packageRoot(), 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Every relative module a file imports (`from '...'`, `import('...')`), as a path under src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\(\s*)'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return specs.map((s) => relative(SRC, resolve(dirname(file), s)));
}

function violations(fromDir: string, forbidden: string): string[] {
  return sources(join(SRC, fromDir)).flatMap((f) => importsOf(f).filter((i) => i.startsWith(forbidden)).map((i) => `${relative(SRC, f)} imports ${i}`));
}

test('no backend imports the CLI', () => {
  assert.deepEqual(violations('backends', 'cli/'), []);
});

test('the experiments import no backend', () => {
  assert.deepEqual(violations('experiments', 'backends/'), []);
});

test('the reports import neither a backend nor the CLI', () => {
  assert.deepEqual([...violations('reports', 'backends/'), ...violations('reports', 'cli/')], []);
});
