/**
 * A command line as a person would type it in a POSIX shell: each argument quoted only when
 * it has to be, so that a report can show exactly what was run and a reader can paste it.
 */
import { basename } from 'node:path';

const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellWord(word: string): string {
  if (PLAIN.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `argv` as one line; the program by its name (not its path), as a person types it. */
export function shellLine(program: string, args: readonly string[]): string {
  return [basename(program), ...args].map(shellWord).join(' ');
}
