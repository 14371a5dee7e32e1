/**
 * Finds the real tools (curl, dig, ping, ip) the way a shell would, so that a missing one
 * becomes a skipped check with its reason instead of a failure.
 */
import { findProgram } from '../../util/find-program.js';
import { run } from '../../util/run.js';

/** The Debian package that provides each tool, for the "install it" hint. */
export const TOOL_PACKAGES: Record<string, string> = {
  curl: 'curl',
  dig: 'dnsutils',
  ping: 'iputils-ping',
  ip: 'iproute2',
};

/** Where a tool is, or null (see src/util/find-program.ts). */
export const findTool = findProgram;

export function missingToolReason(name: string): string {
  const pkg = TOOL_PACKAGES[name] ?? name;
  return `${name} is not installed; install it (apt-get install ${pkg}) to see the real tool side by side with dslab.`;
}

/** The tools whose versions a report's environment section lists. */
export const REPORTED_TOOLS = ['curl', 'dig', 'ping', 'ip'] as const;

/** The argument that makes each tool print its version. */
export function versionArgs(name: string): string[] {
  return name === 'dig' ? ['-v'] : name === 'ping' || name === 'ip' ? ['-V'] : ['--version'];
}

/** The version line from what `tool <versionArgs>` printed (dig and ping print to stderr). */
export function versionLine(r: { code: number; stdout: string; stderr: string }): string | null {
  if (r.code !== 0) return null;
  return (r.stdout || r.stderr).split('\n')[0]?.trim() || null;
}

/** First line of `tool --version` (or `-V`), for the report's environment section. */
export async function toolVersion(name: string): Promise<string | null> {
  const path = findTool(name);
  if (!path) return null;
  try {
    return versionLine(await run(path, versionArgs(name), { allowFailure: true, timeoutMs: 3000 }));
  } catch {
    return null;
  }
}
