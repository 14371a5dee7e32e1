/**
 * `dslab connect --svg FILE`: the race of one connection as an SVG picture (src/reports/race-svg.ts).
 * The target is checked before anything is sent, so that a bad path changes nothing.
 */
import { constants } from 'node:fs';
import { access, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DslabError } from '../../errors.js';
import type { ConnectReport } from '../../connector/report.js';
import { raceFromConnect } from '../../reports/race.js';
import { renderRaceSvg } from '../../reports/race-svg.js';

function badTarget(file: string, why: string, cause?: unknown): DslabError {
  return new DslabError('DSLAB_E_BAD_OPTION', `Invalid --svg: ${JSON.stringify(file)} ${why}.`, {
    field: 'svg',
    value: file,
    hint: 'Give the path of a file to write in an existing folder you can write to, e.g. --svg race.svg.',
    ...(cause !== undefined ? { cause } : {}),
  });
}

/** The absolute path to write, once it is known that the picture can go there. */
export async function checkSvgTarget(file: string): Promise<string> {
  if (file.trim() === '') throw badTarget(file, 'is empty');
  const path = resolve(file);
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw badTarget(file, 'is a folder, not a file');
  const folder = dirname(path);
  const st = await stat(folder).catch((err: unknown) => {
    throw badTarget(file, `is in a folder that does not exist (${folder})`, err);
  });
  if (!st.isDirectory()) throw badTarget(file, `is in ${folder}, which is not a folder`);
  try {
    await access(existing ? path : folder, constants.W_OK);
  } catch (err) {
    throw badTarget(file, existing ? 'cannot be overwritten (no write permission)' : `cannot be written: no write permission in ${folder}`, err);
  }
  return path;
}

/** Writes the picture of one connection; the sequential client's per-attempt timeout is drawn too. */
export async function writeConnectSvg(path: string, report: ConnectReport, attemptTimeoutMs: number | null): Promise<void> {
  try {
    await writeFile(path, renderRaceSvg(raceFromConnect(report, { attemptTimeoutMs })));
  } catch (err) {
    throw badTarget(path, `could not be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, err);
  }
}
