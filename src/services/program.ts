/**
 * What the service programs (web, nginx-main, probe) share as programs of their own: reading
 * their JSON config with an error that says what to do, and reporting a start-up failure on
 * stderr (message, hint, code) with exit code 1.
 */
import { readFile } from 'node:fs/promises';
import process from 'node:process';
import { DslabError } from '../errors.js';

/**
 * Reads and parses the JSON file given as --config. `what` names it in messages ("web
 * server config"); `invalidHint` says how to get a good one when the JSON is broken.
 */
export async function readJsonConfig(path: string, what: string, invalidHint: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new DslabError('DSLAB_E_SERVICE_CONFIG', `Cannot read the ${what} ${path}: ${(err as Error).message}.`, {
      field: '--config',
      value: path,
      hint: 'Pass the path of an existing JSON config file.',
      cause: err,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new DslabError('DSLAB_E_SERVICE_CONFIG', `The ${what} ${path} is not valid JSON: ${(err as Error).message}.`, {
      field: '--config',
      value: path,
      hint: invalidHint,
      cause: err,
    });
  }
}

/** Writes why the program `name` failed to stderr and sets exit code 1 (services never call process.exit). */
export function reportFailure(name: string, err: unknown): void {
  if (err instanceof DslabError) {
    process.stderr.write(`${name}: ${err.message}\n${err.hint ? `  ${err.hint}\n` : ''}  (${err.code})\n`);
  } else {
    process.stderr.write(`${name}: ${(err as Error)?.message ?? String(err)}\n`);
  }
  process.exitCode = 1;
}
