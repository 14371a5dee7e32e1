/**
 * Writes a lab as compose.yaml + Corefile into a folder: the Docker Compose form of the lab.
 * The files at the repository root are this export of the default lab (a test keeps them so).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import type { Topology } from '../../lab/topology.js';
import { packageRoot } from '../../util/package-root.js';
import { renderCompose } from './compose-file.js';
import { renderCorefile } from './corefile-file.js';

export interface ComposeExport {
  lab: string;
  dir: string;
  compose: string;
  corefile: string;
}

export interface ComposeTexts {
  compose: string;
  corefile: string;
}

/** How the lab's origin is named in the files: stable whatever the current folder is. */
function sourceLabel(topology: Topology): string {
  return topology.source === '<default>' ? 'examples/default.yaml' : basename(topology.source);
}

/** The two files' text for a lab written into `dir` (the client's build context is the package). */
export function composeTexts(topology: Topology, dir: string): ComposeTexts {
  const labelled = { ...topology, source: sourceLabel(topology) };
  const context = relative(resolve(dir), packageRoot()) || '.';
  return { compose: renderCompose(labelled, { buildContext: context }), corefile: renderCorefile(labelled) };
}

export async function exportCompose(topology: Topology, dir: string): Promise<ComposeExport> {
  const texts = composeTexts(topology, dir);
  await mkdir(dir, { recursive: true });
  const compose = join(dir, 'compose.yaml');
  const corefile = join(dir, 'Corefile');
  await writeFile(compose, texts.compose);
  await writeFile(corefile, texts.corefile);
  return { lab: topology.name, dir: resolve(dir), compose: resolve(compose), corefile: resolve(corefile) };
}
