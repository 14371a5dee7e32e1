/**
 * Writes a lab as compose.yaml + Corefile into a folder: the Docker Compose form of the lab.
 * The files at the repository root are this export of the default lab (a test keeps them so).
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import type { Topology } from '../../lab/topology.js';
import { DEFAULT_SOURCE, defaultLabPath } from '../../lab/load.js';
import { packageRoot } from '../../util/package-root.js';
import { DEFAULT_LAB } from './names.js';
import { renderCompose } from './compose-file.js';
import { renderCorefile } from './corefile-file.js';

export interface ComposeExport {
  lab: string;
  dir: string;
  compose: string;
  corefile: string;
  /** The copy of the lab file the client container mounts (labs other than the default). */
  labFile?: string;
}

export interface ComposeTexts {
  compose: string;
  corefile: string;
  /** The lab file's text, for `lab.yaml` beside compose.yaml (labs other than the default). */
  lab?: string;
}

/** The file name of the lab file's copy beside compose.yaml. */
export const LAB_COPY = 'lab.yaml';

/**
 * The lab file's text, so that its client container knows which lab it is in; undefined for
 * the default lab (the image has it) and for a topology that came from no readable file.
 */
function labText(topology: Topology, override?: string): string | undefined {
  if (override !== undefined) return override;
  if (topology.name === DEFAULT_LAB && topology.source === DEFAULT_SOURCE) return undefined;
  try {
    return readFileSync(topology.source === DEFAULT_SOURCE ? defaultLabPath() : topology.source, 'utf8');
  } catch {
    return undefined;
  }
}

/** How the lab's origin is named in the files: stable whatever the current folder is. */
function sourceLabel(topology: Topology): string {
  return topology.source === DEFAULT_SOURCE ? 'examples/default.yaml' : basename(topology.source);
}

/**
 * The two files' text for a lab written into `dir` (the client's build context is the
 * package). `labOverride` is the lab file's text when it differs from the file the topology
 * came from (`dslab up --corefile`): the client container then runs that text.
 */
export function composeTexts(topology: Topology, dir: string, labOverride?: string): ComposeTexts {
  const labelled = { ...topology, source: sourceLabel(topology) };
  const context = relative(resolve(dir), packageRoot()) || '.';
  const lab = labText(topology, labOverride);
  return {
    compose: renderCompose(labelled, { buildContext: context, ...(lab !== undefined ? { labFile: `./${LAB_COPY}` } : {}) }),
    corefile: renderCorefile(labelled),
    ...(lab !== undefined ? { lab } : {}),
  };
}

export async function exportCompose(topology: Topology, dir: string, labOverride?: string): Promise<ComposeExport> {
  const texts = composeTexts(topology, dir, labOverride);
  await mkdir(dir, { recursive: true });
  const compose = join(dir, 'compose.yaml');
  const corefile = join(dir, 'Corefile');
  await writeFile(compose, texts.compose);
  await writeFile(corefile, texts.corefile);
  const labFile = join(dir, LAB_COPY);
  if (texts.lab !== undefined) await writeFile(labFile, texts.lab);
  return { lab: topology.name, dir: resolve(dir), compose: resolve(compose), corefile: resolve(corefile), ...(texts.lab !== undefined ? { labFile: resolve(labFile) } : {}) };
}
