/**
 * Finds the real tools (curl, dig, ping, ip) the way a shell would, so that a missing one
 * becomes a skipped check with its reason instead of a failure.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { run } from '../../util/run.js';

/** The Debian package that provides each tool, for the "install it" hint. */
export const TOOL_PACKAGES: Record<string, string> = {
  curl: 'curl',
  dig: 'dnsutils',
  ping: 'iputils-ping',
  ip: 'iproute2',
};

const cache = new Map<string, string | null>();

export function findTool(name: string): string | null {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const dirs = (process.env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/sbin', '/usr/bin', '/bin']);
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

export function missingToolReason(name: string): string {
  const pkg = TOOL_PACKAGES[name] ?? name;
  return `${name} is not installed; install it (apt-get install ${pkg}) to see the real tool side by side with dslab.`;
}

/** First line of `tool --version` (or `-V`), for the report's environment section. */
export async function toolVersion(name: string): Promise<string | null> {
  const path = findTool(name);
  if (!path) return null;
  const args = name === 'dig' ? ['-v'] : name === 'ping' || name === 'ip' ? ['-V'] : ['--version'];
  try {
    const r = await run(path, args, { allowFailure: true, timeoutMs: 3000 });
    const text = (r.stdout || r.stderr).split('\n')[0]?.trim();
    return text || null;
  } catch {
    return null;
  }
}
