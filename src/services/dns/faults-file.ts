/**
 * The DNS server's side of the faults file: read it (a missing file means no faults), hand
 * the rules to every server, then write `FILE.loaded` with the generation now in effect.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { DnsFaultsFile } from './faults.js';
import type { DnsServerHandle } from './server.js';

export async function reloadFaults(file: string, servers: readonly DnsServerHandle[]): Promise<DnsFaultsFile> {
  let loaded: DnsFaultsFile = { generation: 0, faults: [] };
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (text !== undefined) {
    const value: unknown = JSON.parse(text);
    // the file `up` writes before the server starts holds no rule; only rules need the schema library
    loaded = noRules(value) ? value : (await import('./faults-schema.js')).parseDnsFaults(value, file);
  }
  for (const server of servers) server.setFaults(loaded.faults);
  const ack = `${file}.loaded`;
  await writeFile(`${ack}.tmp`, `${loaded.generation}\n`, { mode: 0o600 });
  await rename(`${ack}.tmp`, ack);
  return loaded;
}

/** Exactly `{ generation: N, faults: [] }` (N a whole number from 0): a file with nothing for the schema to check. */
function noRules(value: unknown): value is DnsFaultsFile {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return Object.keys(v).length === 2 && Number.isInteger(v.generation) && (v.generation as number) >= 0 && Array.isArray(v.faults) && v.faults.length === 0;
}
