/**
 * DNS faults inside the lab's DNS server: per name and type, answer SERVFAIL, NXDOMAIN or
 * REFUSED, set TC on UDP (the client must retry over TCP), drop the query, answer late, or
 * give a wrong address. The backend writes them to a JSON file (`--faults FILE`) and sends
 * SIGHUP; the server reads the file again and writes `FILE.loaded` with the generation it
 * now serves, so the backend knows the change is in effect. The file's schema is in
 * faults-schema.ts, apart, so that answering queries never loads the schema library.
 */
import type { DnsFault } from '../../faults/types.js';
import { canonicalName } from './config.js';

export type DnsFaultRule = Pick<DnsFault, 'id' | 'name' | 'type' | 'answer' | 'delayMs' | 'address'>;

export interface DnsFaultsFile {
  generation: number;
  faults: DnsFaultRule[];
}

/** The fault for a question, if any: the last one given for the name and its type (or ANY). */
export function findDnsFault(rules: readonly DnsFaultRule[], qname: string, qtype: string): DnsFaultRule | undefined {
  const name = canonicalName(qname);
  for (let i = rules.length - 1; i >= 0; i--) {
    const r = rules[i]!;
    if (r.name === name && (r.type === 'ANY' || r.type === qtype)) return r;
  }
  return undefined;
}
