/**
 * One rejected lab file: a DslabError whose field is the dotted path of the offending
 * value (`nodes[1].addresses.dsnet.ipv4`), carrying the path as a list too, so that the
 * loader can point at the line and column in the file.
 */
import { DslabError, type ErrorCode } from '../errors.js';

export type LabPath = ReadonlyArray<string | number>;

/** `['nodes', 1, 'addresses', 'dsnet', 'ipv4']` -> `nodes[1].addresses.dsnet.ipv4`. */
export function formatPath(path: LabPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out === '' ? '(document)' : out;
}

/** How a value is shown inside a message: strings quoted, the rest as JSON. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    const s = JSON.stringify(value);
    return s === undefined ? String(value) : s.length > 80 ? s.slice(0, 77) + '...' : s;
  } catch {
    return String(value);
  }
}

export interface ProblemOptions {
  value?: unknown;
  hint: string;
}

/**
 * A rejection. `what` completes the sentence "<field> <value> ..." e.g.
 * `is outside network dsnet (172.30.0.0/24)`.
 */
export function labProblem(code: ErrorCode, path: LabPath, what: string, options: ProblemOptions): DslabError {
  const field = formatPath(path);
  const shown = 'value' in options ? ` ${showValue(options.value)}` : '';
  return new DslabError(code, `${field}${shown} ${what}.`, {
    field,
    value: options.value,
    hint: options.hint,
    details: { path: [...path] },
  });
}

/** The path a lab problem points at, when it has one. */
export function problemPath(err: DslabError): LabPath | undefined {
  const p = err.details?.['path'];
  return Array.isArray(p) ? (p as LabPath) : undefined;
}
