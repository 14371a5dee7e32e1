/**
 * The DNS server's side of the faults file: read it (a missing file means no faults), hand
 * the rules to every server, then write `FILE.loaded` with the generation now in effect.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { parseDnsFaults, type DnsFaultsFile } from './faults.js';
import type { DnsServerHandle } from './server.js';

export async function reloadFaults(file: string, servers: readonly DnsServerHandle[]): Promise<DnsFaultsFile> {
  let loaded: DnsFaultsFile = { generation: 0, faults: [] };
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (text !== undefined) loaded = parseDnsFaults(JSON.parse(text), file);
  for (const server of servers) server.setFaults(loaded.faults);
  const ack = `${file}.loaded`;
  await writeFile(`${ack}.tmp`, `${loaded.generation}\n`, { mode: 0o600 });
  await rename(`${ack}.tmp`, ack);
  return loaded;
}
