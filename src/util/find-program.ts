/**
 * Finds a program the way a shell would (PATH, then the sbin folders that a non-login root
 * shell may lack), so that a missing tool can be reported or worked around instead of
 * failing with ENOENT. An entry that is there but not executable counts as missing.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const cache = new Map<string, string | null>();

export function findProgram(name: string): string | null {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const dirs = (process.env['PATH'] ?? '').split(delimiter).concat(['/usr/sbin', '/sbin', '/usr/bin', '/bin']);
  let found: string | null = null;
  for (const d of dirs) {
    if (!d) continue;
    try {
      accessSync(join(d, name), constants.X_OK);
      found = join(d, name);
      break;
    } catch {
      // not in this folder
    }
  }
  cache.set(name, found);
  return found;
}
