/**
 * The lab-file fixtures: malformed labs in test/fixtures/labs/bad/, each saying on its first
 * line which error code and field it must be rejected with (`# expect: CODE FIELD`).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/package-root.js';

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
