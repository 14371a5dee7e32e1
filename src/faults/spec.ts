/**
 * The command-line form of a fault: `KIND[:key=value,...]`, the keys being those of a lab
 * file's `faults:` entries, e.g. `delay:family=6,ms=300` or
 * `dns:name=dual-ok.local,type=AAAA,answer=servfail`. Parsed into the same raw map as a lab
 * file entry, so one validator serves both.
 */
import { DslabError } from '../errors.js';
import type { RawFault } from './types.js';

export function parseFaultSpec(spec: string, field = '--fault'): RawFault {
  const text = spec.trim();
  const colon = text.indexOf(':');
  const kind = (colon < 0 ? text : text.slice(0, colon)).trim();
  if (kind === '') {
    throw new DslabError('DSLAB_E_FAULT_INVALID', `${field} "${spec}" has no fault kind.`, { field, value: spec, hint: 'Write KIND:key=value,..., e.g. "delay:family=6,ms=300" or "blackhole:family=6,to=web".' });
  }
  const raw: RawFault = { kind };
  if (colon < 0) return raw;
  const rest = text.slice(colon + 1).trim();
  if (rest === '') return raw;
  for (const part of rest.split(',')) {
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim();
    const value = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (eq < 0 || key === '' || value === '') {
      throw new DslabError('DSLAB_E_FAULT_INVALID', `${field} "${spec}": "${part}" is not key=value.`, { field, value: spec, hint: 'Separate options with commas, each as key=value, e.g. "delay:family=6,ms=300".' });
    }
    if (key in raw) {
      throw new DslabError('DSLAB_E_FAULT_INVALID', `${field} "${spec}" gives ${key} twice.`, { field: `${field}.${key}`, value: spec, hint: `Give ${key} once.` });
    }
    raw[key] = /^\d+(\.\d+)?$/.test(value) && key !== 'to' && key !== 'address' && key !== 'name' ? Number(value) : value;
  }
  return raw;
}

/** A fault back in spec form (for messages and `fault ls`). */
export function formatFaultSpec(raw: RawFault): string {
  const { kind, ...rest } = raw;
  const parts = Object.entries(rest).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : String(v)}`);
  return parts.length === 0 ? String(kind) : `${String(kind)}:${parts.join(',')}`;
}
