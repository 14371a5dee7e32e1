/**
 * Writes a run's three reports into a folder: Markdown for people, JSON for programs,
 * JUnit XML for CI systems. Names are stable per lab, so the latest run replaces the last.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DslabError } from '../errors.js';
import type { RunReport } from '../experiments/types.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';

export function reportPaths(dir: string, lab: string): { markdown: string; json: string; junit: string } {
  const base = resolve(dir);
  return { markdown: join(base, `${lab}-report.md`), json: join(base, `${lab}-report.json`), junit: join(base, `${lab}-junit.xml`) };
}

export function renderJson(report: RunReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

export async function writeReports(report: RunReport, dir: string): Promise<{ markdown: string; json: string; junit: string }> {
  const files = reportPaths(dir, report.lab);
  try {
    await mkdir(resolve(dir), { recursive: true });
    const withFiles = { ...report, files };
    await Promise.all([
      writeFile(files.markdown, renderMarkdown(withFiles)),
      writeFile(files.json, renderJson(withFiles)),
      writeFile(files.junit, renderJunit(withFiles)),
    ]);
  } catch (err) {
    throw new DslabError('DSLAB_E_RUN_FAILED', `The reports could not be written to ${resolve(dir)}: ${(err as Error).message}.`, {
      field: '--out',
      value: dir,
      hint: 'Give a folder you can write to with --out DIR.',
      cause: err,
    });
  }
  return files;
}
