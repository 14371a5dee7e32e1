/**
 * DNS faults inside the lab's DNS server: per name and type, answer SERVFAIL, NXDOMAIN or
 * REFUSED, set TC on UDP (the client must retry over TCP), drop the query, answer late, or
 * give a wrong address. The backend writes them to a JSON file (`--faults FILE`) and sends
 * SIGHUP; the server reads the file again and writes `FILE.loaded` with the generation it
 * now serves, so the backend knows the change is in effect.
 */
import * as z from 'zod';
import { DslabError } from '../../errors.js';
import { DNS_ANSWERS, DNS_FAULT_TYPES, type DnsFault } from '../../faults/types.js';
import { canonicalName } from './config.js';

export type DnsFaultRule = Pick<DnsFault, 'id' | 'name' | 'type' | 'answer' | 'delayMs' | 'address'>;

export interface DnsFaultsFile {
  generation: number;
  faults: DnsFaultRule[];
}

const ruleShape = z.strictObject({
  id: z.string(),
  name: z.string(),
  type: z.enum(DNS_FAULT_TYPES),
  answer: z.enum(DNS_ANSWERS),
  delayMs: z.number().int().min(0).max(60_000).optional(),
  address: z.string().optional(),
});
const fileShape = z.strictObject({ generation: z.number().int().min(0), faults: z.array(ruleShape) });

export function parseDnsFaults(value: unknown, file: string): DnsFaultsFile {
  const parsed = fileShape.safeParse(value);
  if (parsed.success) return parsed.data as DnsFaultsFile;
  const issue = parsed.error.issues[0]!;
  throw new DslabError('DSLAB_E_DNS_CONFIG', `${file}: ${issue.path.join('.') || '(file)'}: ${issue.message}.`, {
    field: issue.path.join('.'),
    hint: 'The faults file is written by dslab; change faults with "dslab fault add/rm" instead of editing it.',
  });
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
