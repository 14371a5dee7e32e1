/**
 * Where the Docker backend keeps what `up` decided (compose file, project), so that down,
 * status, exec and run find the same project: `.docker/<project>/` (a name no lab can have)
 * in the state root the namespace backend uses (/run/dslab as root; see state-root.ts), with
 * the same checks (folders 0700, files 0600, never through a symbolic link). Keyed by the
 * compose project, so a test's project never touches the state of a user's lab of the same name.
 */
import { readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Topology } from '../../lab/topology.js';
import { ensureDir, readOwnFile, writeOwnFile } from '../../util/private-fs.js';
import { ensureStateRoot, stateRoot, stateRootPresent } from '../state-root.js';

export interface DockerLabState {
  lab: string;
  project: string;
  composeFile: string;
  composeDir: string;
  /** Node name → container name. */
  containers: Record<string, string>;
  client?: string;
  /** The topology `up` built (with `--corefile`, its records), so that run measures what is up. */
  topology?: Topology;
}

export function dockerStateRoot(): string {
  return join(stateRoot(), '.docker');
}

export function dockerStateDir(project: string): string {
  return join(dockerStateRoot(), project);
}

/**
 * Creates (0700) and checks the state root, `.docker` and the project's folder; returns the
 * latter. The compose file and Corefile go there as they are (the containers read them),
 * private because the folders are.
 */
export function ensureDockerStateDir(project: string): string {
  ensureStateRoot();
  ensureDir(dockerStateRoot(), { role: 'lab' });
  const dir = dockerStateDir(project);
  ensureDir(dir, { role: 'lab' });
  return dir;
}

export async function writeDockerState(state: DockerLabState): Promise<void> {
  const dir = ensureDockerStateDir(state.project);
  writeOwnFile(join(dir, 'docker.json'), JSON.stringify(state, null, 2) + '\n');
}

export async function readDockerState(project: string): Promise<DockerLabState | undefined> {
  if (!stateRootPresent()) return undefined;
  const file = join(dockerStateDir(project), 'docker.json');
  const text = readOwnFile(file, `Check ${file} (someone or something else wrote it) and remove it if it is not yours.`);
  try {
    return text === undefined ? undefined : (JSON.parse(text) as DockerLabState);
  } catch {
    return undefined;
  }
}

/** Every Docker lab `up` started here (the projects with a state folder). */
export async function listDockerStates(): Promise<DockerLabState[]> {
  const projects = await readdir(dockerStateRoot()).catch(() => [] as string[]);
  const out: DockerLabState[] = [];
  for (const project of projects.sort()) {
    const state = await readDockerState(project);
    if (state) out.push(state);
  }
  return out;
}

export async function removeDockerState(project: string): Promise<void> {
  await rm(dockerStateDir(project), { recursive: true, force: true });
  // the parent too once the last lab is gone: leave nothing behind
  await rmdir(dockerStateRoot()).catch(() => undefined);
}
