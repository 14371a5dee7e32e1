/**
 * The file `node` runs for one of dslab's own programs in a lab (the DNS and web servers, the
 * probe): the one-file bundle that `npm run build` makes beside its main.js (scripts/bundle.mjs),
 * which starts about 60 ms sooner, or main.js itself where a build has no bundle (a bare tsc
 * output folder).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { compiledSrcDir } from '../util/package-root.js';

/** The entry file of program `name` (src/services/NAME/main.ts), bundled where a bundle exists. */
export function serviceEntry(name: 'dns' | 'web' | 'probe'): string {
  const dir = join(compiledSrcDir(), 'services', name);
  const bundle = join(dir, 'main.bundle.js');
  return existsSync(bundle) ? bundle : join(dir, 'main.js');
}
