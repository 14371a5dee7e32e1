/**
 * Finds dslab's own package folder (where package.json and examples/ live), from wherever
 * the compiled code runs, so that services and example files are found without a cwd.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'dslab') return (cached = dir);
      } catch {
        // not ours; keep walking
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('dslab: cannot find its own package.json above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** Folder of the compiled `src/` tree this module belongs to (e.g. `<root>/dist/src`). */
export function compiledSrcDir(): string {
  // this file is <out>/src/util/package-root.js
  return dirname(dirname(fileURLToPath(import.meta.url)));
}
