/**
 * Splits what follows `dslab exec NODE` into dslab's own options and the program. dslab's
 * options (`--lab NAME`, `--backend NAME`, also as `--lab=NAME`) may come anywhere before the
 * program: before NODE (commander reads those), after it, and, when there is a `--`, anywhere
 * before the `--`. With a `--`, everything before it is dslab's, so an unknown option or a stray
 * word there is a usage error; without one, the program starts at the first word that is not
 * one of dslab's options (`dslab exec client dig -x 172.30.0.10`).
 */
import { DslabError } from '../errors.js';

export const EXEC_OPTIONS = ['--lab', '--backend'] as const;
export type ExecOption = (typeof EXEC_OPTIONS)[number];

export interface ExecArgs {
  argv: string[];
  options: Partial<Record<'lab' | 'backend', string>>;
}

function usage(message: string, field: string, value: string, hint: string): DslabError {
  return new DslabError('DSLAB_E_USAGE', message, { field, value, hint });
}

/** `given`: the options commander already read (before NODE); the same option twice with different values is an error. */
export function splitExecArgs(raw: readonly string[], given: ExecArgs['options'] = {}): ExecArgs {
  const options = { ...given };
  const set = (name: ExecOption, value: string | undefined) => {
    if (value === undefined || value === '' || value === '--') throw usage(`${name} needs a value.`, name, value ?? '', `Write ${name} NAME before the program, e.g. dslab exec ${name} NAME client -- ip a.`);
    const key = name.slice(2) as 'lab' | 'backend';
    if (options[key] !== undefined && options[key] !== value) throw usage(`${name} is given twice (${options[key]} and ${value}).`, name, value, `Give ${name} once.`);
    options[key] = value;
  };
  const dash = raw.indexOf('--');
  for (let i = 0; i < raw.length; i++) {
    const a = raw[i]!;
    if (a === '--') return { argv: raw.slice(i + 1), options };
    const eq = a.indexOf('=');
    const name = (eq > 0 ? a.slice(0, eq) : a) as ExecOption;
    if (EXEC_OPTIONS.includes(name)) {
      if (eq > 0) set(name, a.slice(eq + 1));
      else set(name, raw[++i]);
      continue;
    }
    if (a.startsWith('-')) {
      throw usage(`Unknown option ${a} for dslab exec.`, 'option', a, `dslab exec takes ${EXEC_OPTIONS.join(' and ')}; put the program and its own options after --, e.g. dslab exec client -- ${dash >= 0 ? raw.slice(dash + 1).join(' ') || 'ip a' : `CMD ${a}`}.`);
    }
    if (dash >= 0) throw usage(`"${a}" comes before -- but is not one of dslab's options.`, 'program', a, `Put the program after --: dslab exec NODE [--lab NAME] -- ${a} ...`);
    return { argv: raw.slice(i), options };
  }
  return { argv: [], options };
}
