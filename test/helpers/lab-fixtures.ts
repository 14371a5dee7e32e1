/**
 * The lab-file fixtures: the article's lab as a Topology (examples/default.yaml, read
 * synchronously for tests that need a plain value), and malformed labs in
 * test/fixtures/labs/bad/, each saying on its first line which error code and field it must
 * be rejected with (`# expect: CODE FIELD`).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultLabPath, parseLab } from '../../src/lab/load.js';
import { DEFAULT_SOURCE, type Topology } from '../../src/lab/topology.js';
import { packageRoot } from '../../src/util/package-root.js';

/** The article's lab (examples/default.yaml) under lab name `name`; a fresh value each call, so tests may change it. */
export function articleTopology(name: string): Topology {
  return { ...parseLab(readFileSync(defaultLabPath(), 'utf8'), DEFAULT_SOURCE), name };
}

export interface BadLabFixture {
  file: string;
  path: string;
  text: string;
  code: string;
  field: string;
}

export function labFixturesDir(): string {
  return join(packageRoot(), 'test', 'fixtures', 'labs');
}

export function badLabFixtures(): BadLabFixture[] {
  const dir = join(labFixturesDir(), 'bad');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const path = join(dir, file);
      const text = readFileSync(path, 'utf8');
      const m = /^# expect: (DSLAB_E_[A-Z_]+) (\S+)/.exec(text);
      if (!m) throw new Error(`${path}: the first line must be "# expect: CODE FIELD"`);
      return { file, path, text, code: m[1] as string, field: m[2] as string };
    });
}
