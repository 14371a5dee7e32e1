/**
 * The schema of the DNS faults file (faults.ts), checked with zod when the server reads it.
 * Kept apart from the rules' lookup: loading zod takes about 100 ms, which the DNS server's
 * start (on `dslab up`'s critical path) pays only when a file holds rules (faults-file.ts).
 */
import * as z from 'zod';
import { DslabError } from '../../errors.js';
import { DNS_ANSWERS, DNS_FAULT_TYPES } from '../../faults/types.js';
import type { DnsFaultsFile } from './faults.js';

const ruleShape = z.strictObject({
  id: z.string(),
  name: z.string(),
  type: z.enum(DNS_FAULT_TYPES),
  answer: z.enum(DNS_ANSWERS),
  delayMs: z.number().int().min(0).max(60_000).optional(),
  address: z.string().optional(),
});
const fileShape = z.strictObject({ generation: z.number().int().min(0), faults: z.array(ruleShape) });

/** The faults file's content, checked; a DSLAB_E_DNS_CONFIG error names the first field that is wrong. */
export function parseDnsFaults(value: unknown, file: string): DnsFaultsFile {
  const parsed = fileShape.safeParse(value);
  if (parsed.success) return parsed.data as DnsFaultsFile;
  const issue = parsed.error.issues[0]!;
  throw new DslabError('DSLAB_E_DNS_CONFIG', `${file}: ${issue.path.join('.') || '(file)'}: ${issue.message}.`, {
    field: issue.path.join('.'),
    hint: 'The faults file is written by dslab; change faults with "dslab fault add/rm" instead of editing it.',
  });
}
