/**
 * Reads the hosts file (hosts(5)) the way the system resolver does before DNS: a name that
 * appears there is answered from it, both families, in file order, without any query.
 */
import { readFileSync, statSync } from 'node:fs';
import ipaddr from 'ipaddr.js';
import type { Family } from './types.js';

/** One address the hosts file gives for a name, with its family. */
export interface HostsEntry {
  address: string;
  family: Family;
}

/** Addresses the hosts file text gives for `host` (case-insensitive, trailing dot ignored). */
export function lookupHostsText(text: string, host: string): HostsEntry[] {
  const want = host.toLowerCase().replace(/\.$/, '');
  const out: HostsEntry[] = [];
  for (const raw of text.split('\n')) {
    const fields = raw.replace(/#.*/, '').trim().split(/\s+/);
    if (fields.length < 2) continue;
    const [addrText, ...names] = fields;
    if (!names.some((n) => n.toLowerCase().replace(/\.$/, '') === want)) continue;
    const bare = addrText!.split('%')[0]!;
    if (!ipaddr.isValid(bare)) continue;
    const parsed = ipaddr.parse(bare);
    const family: Family = parsed.kind() === 'ipv4' ? 4 : 6;
    const address = parsed.toString();
    if (family === 4 && !ipaddr.IPv4.isValidFourPartDecimal(bare)) continue;
    if (!out.some((e) => e.address === address)) out.push({ address, family });
  }
  return out;
}

let cached: { path: string; mtimeMs: number; size: number; text: string } | undefined;

/**
 * Reads the hosts file again only when it changed (a stat per call, no read): it is on the
 * path of every connection, before the first DNS query.
 */
export async function lookupHostsFile(path: string, host: string): Promise<HostsEntry[]> {
  let text: string;
  try {
    const st = statSync(path);
    if (cached && cached.path === path && cached.mtimeMs === st.mtimeMs && cached.size === st.size) text = cached.text;
    else {
      text = readFileSync(path, 'utf8');
      cached = { path, mtimeMs: st.mtimeMs, size: st.size, text };
    }
  } catch {
    return [];
  }
  return lookupHostsText(text, host);
}
