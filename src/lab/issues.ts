/**
 * Turns zod's issues with a lab file's shape into lab problems with stable codes: unknown
 * keys, wrong types, values outside a fixed set or range. Unknown keys come first, since a
 * misspelt key usually also shows up as a missing one.
 */
import type * as z from 'zod';
import type { DslabError, ErrorCode } from '../errors.js';
import { labProblem, type LabPath } from './problem.js';
import { ALLOWED_KEYS_MARK } from './schema.js';

/** What a well-formed value looks like, by the last key of its path. */
const EXAMPLES: Record<string, string> = {
  name: 'a name such as "web"',
  role: 'one of web, dns, client, host',
  ipv4: 'an IPv4 address or subnet such as "172.30.0.10" or "172.30.0.0/24"',
  ipv6: 'an IPv6 address or subnet such as "fd00:dead:beef::10" or "fd00:dead:beef::/64"',
  a: 'an IPv4 address such as "172.30.0.10", or a list of them',
  aaaa: 'an IPv6 address such as "fd00:dead:beef::10", or a list of them',
  dns: 'a list of resolver addresses such as [172.30.0.53, "fd00:dead:beef::53"]',
  addresses: 'a map from network name to addresses, e.g. { dsnet: { ipv4: 172.30.0.10 } }',
  networks: 'a list of networks, each with a name and an ipv4 and/or ipv6 subnet',
  nodes: 'a list of nodes, each with a name, a role and addresses',
  records: 'a list of records: { name, a, aaaa } objects or "ADDRESS NAME" lines',
  zones: 'a list of zone names such as [local]',
  ttl: 'a whole number of seconds, 0 to 2147483647 (default 3600)',
  delay_ms: 'a whole number of milliseconds 0 to 60000, or { a: n, aaaa: n }',
  drop: 'true, or a list of the types to drop such as [aaaa]',
  port: 'a whole number 1 to 65535',
  server: 'builtin or nginx',
  web: 'an object such as { server: builtin, port: 80 }',
};

/** Entries of lists, by the list's key. */
const ENTRY_EXAMPLES: Record<string, string> = {
  records: 'a record: an object { name, a, aaaa } or a hosts-file line "ADDRESS NAME"',
  networks: 'a network: { name: dsnet, ipv4: 172.30.0.0/24, ipv6: fd00:dead:beef::/64 }',
  nodes: 'a node: { name, role, addresses }',
  zones: 'a zone name such as "local"',
};

function example(path: LabPath): string {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (typeof last === 'number' && typeof parent === 'string' && ENTRY_EXAMPLES[parent]) return ENTRY_EXAMPLES[parent];
  // inside delay_ms and drop, the keys a and aaaa name record types, not addresses
  for (const key of ['delay_ms', 'drop']) if (path.includes(key) && EXAMPLES[key]) return EXAMPLES[key];
  for (let i = path.length - 1; i >= 0; i--) {
    const key = path[i];
    if (typeof key === 'string' && EXAMPLES[key]) return EXAMPLES[key];
  }
  return 'see docs/lab-file.md';
}

const EXPECTED: Record<string, string> = { object: 'a map', array: 'a list', int: 'a whole number', record: 'a map' };

function typeName(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'empty (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `a ${typeof value}`;
}

function inRecords(path: LabPath): boolean {
  return path[0] === 'records';
}

function one(issue: z.core.$ZodIssue): DslabError {
  const path = issue.path as Array<string | number>;
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = issue.message.startsWith(ALLOWED_KEYS_MARK)
        ? issue.message.slice(ALLOWED_KEYS_MARK.length).split(',')
        : [];
      const key = issue.keys[0] ?? '';
      return labProblem('DSLAB_E_LAB_UNKNOWN_KEY', [...path, key], 'is not a key dslab knows here', {
        value: key,
        hint: `Allowed keys here: ${allowed.join(', ')}. Check the spelling, or remove the key.`,
      });
    }
    case 'invalid_type': {
      const missing = input === undefined;
      return labProblem('DSLAB_E_LAB_TYPE', path, missing ? 'is missing' : `is ${typeName(input)}, not ${EXPECTED[issue.expected] ?? `a ${issue.expected}`}`, {
        ...(missing ? {} : { value: input }),
        hint: `Write ${example(path)}.`,
      });
    }
    case 'invalid_value': {
      if (input === undefined) {
        return labProblem('DSLAB_E_LAB_TYPE', path, 'is missing', { hint: `Write ${example(path)}.` });
      }
      const code: ErrorCode = path[path.length - 1] === 'role' ? 'DSLAB_E_LAB_ROLE' : inRecords(path) ? 'DSLAB_E_LAB_RECORD' : 'DSLAB_E_LAB_TYPE';
      return labProblem(code, path, 'is not one of the allowed values', {
        value: input,
        hint: `Use one of: ${issue.values.map(String).join(', ')}.`,
      });
    }
    case 'too_small':
    case 'too_big': {
      if (issue.origin === 'array') {
        return labProblem('DSLAB_E_LAB_INVALID', path, 'is empty', {
          value: input,
          hint: `Give at least one entry: ${example(path)}.`,
        });
      }
      const bound = issue.code === 'too_small' ? `at least ${String(issue.minimum)}` : `at most ${String(issue.maximum)}`;
      return labProblem(inRecords(path) ? 'DSLAB_E_LAB_RECORD' : 'DSLAB_E_LAB_TYPE', path, `is out of range (must be ${bound})`, {
        value: input,
        hint: `Write ${example(path)}.`,
      });
    }
    case 'invalid_union':
      return labProblem('DSLAB_E_LAB_TYPE', path, `is ${typeName(input)}, which is not allowed here`, {
        value: input,
        hint: `Write ${example(path)}.`,
      });
    default:
      return labProblem(issue.code === 'not_multiple_of' ? 'DSLAB_E_LAB_TYPE' : 'DSLAB_E_LAB_INVALID', path, `is not valid (${issue.message})`, {
        value: input,
        hint: `Write ${example(path)}.`,
      });
  }
}

/**
 * A union (e.g. a record entry: a hosts-file line or an object) reports one issue with the
 * issues of every branch. When one branch had the right type, its issues are the real ones.
 */
function unfoldUnions(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  const out: z.core.$ZodIssue[] = [];
  for (const issue of issues) {
    if (issue.code !== 'invalid_union') {
      out.push(issue);
      continue;
    }
    const typed = issue.errors.find((branch) => !branch.every((i) => i.code === 'invalid_type' && i.path.length === 0));
    if (!typed) {
      out.push(issue);
      continue;
    }
    out.push(...unfoldUnions(typed.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as z.core.$ZodIssue)));
  }
  return out;
}

/** Every issue as a lab problem, unknown keys first (otherwise in zod's order). */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[]): DslabError[] {
  const order = (i: z.core.$ZodIssue) => (i.code === 'unrecognized_keys' ? 0 : 1);
  return unfoldUnions(issues).sort((a, b) => order(a) - order(b)).map(one);
}
