/**
 * Writes a run's three reports into a folder: Markdown for people, JSON for programs,
 * JUnit XML for CI systems, and beside them one SVG picture per race
 * (`<lab>-race-<client>.svg`), which the Markdown embeds and the JSON lists. Names are stable
 * per lab, so the latest run replaces the last.
 */
import { constants } from 'node:fs';
import { access, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { DslabError } from '../errors.js';
import type { RunReport } from '../experiments/types.js';
import { renderJunit } from './junit.js';
import { raceFileName, raceOf } from './check-views.js';
import { renderMarkdown } from './markdown.js';
import { renderRaceSvg } from './race-svg.js';
import { clientsPictureName } from './clients-markdown.js';
import { renderMatrixSvg } from './matrix-svg.js';

export function reportPaths(dir: string, lab: string): { markdown: string; json: string; junit: string } {
  const base = resolve(dir);
  return { markdown: join(base, `${lab}-report.md`), json: join(base, `${lab}-report.json`), junit: join(base, `${lab}-junit.xml`) };
}

export function renderJson(report: RunReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

/**
 * mkdir -p, by hand: Node 20's `mkdir(dir, { recursive: true })` never settles for a folder
 * that cannot exist (e.g. under /proc, where mkdir says ENOENT although the parent is there).
 */
async function makeDir(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && (await stat(dir)).isDirectory()) return;
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw err;
    await makeDir(parent);
    await mkdir(dir).catch((again: NodeJS.ErrnoException) => {
      if (again.code !== 'EEXIST') throw again;
    });
  }
}

function unwritable(dir: string, err: unknown): DslabError {
  return new DslabError('DSLAB_E_RUN_FAILED', `The reports could not be written to ${resolve(dir)}: ${(err as Error).message}.`, {
    field: '--out',
    value: dir,
    hint: 'Give a folder you can write to with --out DIR.',
    cause: err,
  });
}

/**
 * Refuses, before a run, a folder the reports could not go to: the folder (or, if it does not
 * exist yet, its nearest existing parent) must be a writable directory. Creates nothing, so
 * that a run refused for another reason leaves no folder behind.
 */
export async function checkReportDir(dir: string): Promise<void> {
  let at = resolve(dir);
  try {
    for (;;) {
      const st = await stat(at).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT' && dirname(at) !== at) return undefined;
        throw err;
      });
      if (st) {
        if (!st.isDirectory()) throw Object.assign(new Error(`${at} is not a directory`), { code: 'ENOTDIR' });
        await access(at, constants.W_OK | constants.X_OK);
        return;
      }
      at = dirname(at);
    }
  } catch (err) {
    throw unwritable(dir, err);
  }
}

/** The race pictures of a run: file path and SVG text, one per check that was a race. */
export function racePictures(report: RunReport, dir: string): Array<{ file: string; svg: string }> {
  return report.checks.flatMap((c) => {
    const race = raceOf(c, report.plan);
    return race ? [{ file: join(resolve(dir), raceFileName(report.lab, c)), svg: renderRaceSvg(race) }] : [];
  });
}

export async function writeReports(report: RunReport, dir: string): Promise<{ markdown: string; json: string; junit: string; races: string[]; clients?: string }> {
  const pictures = racePictures(report, dir);
  const grid = report.clients ? { file: join(resolve(dir), clientsPictureName(report.lab)), svg: renderMatrixSvg(report.clients.matrix) } : undefined;
  const files = { ...reportPaths(dir, report.lab), races: pictures.map((p) => p.file), ...(grid ? { clients: grid.file } : {}) };
  if (grid) pictures.push(grid);
  try {
    await makeDir(resolve(dir));
    const withFiles = { ...report, files };
    await Promise.all([
      writeFile(files.markdown, renderMarkdown(withFiles)),
      writeFile(files.json, renderJson(withFiles)),
      writeFile(files.junit, renderJunit(withFiles)),
      ...pictures.map((p) => writeFile(p.file, p.svg)),
    ]);
  } catch (err) {
    throw unwritable(dir, err);
  }
  return files;
}
