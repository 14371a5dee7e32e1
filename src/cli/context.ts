/**
 * What every command gets: where to write, whether JSON was asked for, and how to report
 * progress. Commands return data; renderers turn it into text or JSON. Only main.ts exits.
 */
import process from 'node:process';

export interface Output {
  /** Human text to stdout. */
  out(line: string): void;
  /** Warnings and progress to stderr. */
  err(line: string): void;
  readonly isTTY: boolean;
}

export const stdio: Output = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  isTTY: Boolean(process.stdout.isTTY),
};

/** Thrown by a command that has already explained itself: main exits with `code`. */
export class ExitError extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

export function printJson(output: Output, value: unknown): void {
  output.out(JSON.stringify(value, null, 2));
}
