/**
 * Reads the hosts file (hosts(5)) the way the system resolver does before DNS: a name that
 * appears there is answered from it, both families, in file order, without any query.
 */
import { readFile } from 'node:fs/promises';
import ipaddr from 'ipaddr.js';
import type { Family } from './types.js';

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
    const address = family === 4 ? parsed.toString() : (parsed as ipaddr.IPv6).toString();
    if (family === 4 && !ipaddr.IPv4.isValidFourPartDecimal(bare)) continue;
    if (!out.some((e) => e.address === address)) out.push({ address, family });
  }
  return out;
}

export async function lookupHostsFile(path: string, host: string): Promise<HostsEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  return lookupHostsText(text, host);
}
