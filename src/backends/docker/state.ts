/**
 * Where the Docker backend keeps what `up` decided (compose file, project), so that down,
 * status, exec and run find the same project: as root /run/dslab/.docker/<project>/, otherwise
 * $XDG_RUNTIME_DIR/dslab/.docker/<project>/ (a name no lab can have) (or the temporary folder). Keyed by the compose
 * project, so a test's project never touches the state of a user's lab of the same name.
 */
import { mkdir, readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Topology } from '../../lab/topology.js';

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
  if (process.getuid?.() === 0) return '/run/dslab/.docker';
  const base = process.env.XDG_RUNTIME_DIR ?? join(tmpdir(), `dslab-${process.getuid?.() ?? 'user'}`);
  return join(base, 'dslab', '.docker');
}

export function dockerStateDir(project: string): string {
  return join(dockerStateRoot(), project);
}

export async function writeDockerState(state: DockerLabState): Promise<void> {
  const dir = dockerStateDir(state.project);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'docker.json'), JSON.stringify(state, null, 2) + '\n');
}

export async function readDockerState(project: string): Promise<DockerLabState | undefined> {
  try {
    return JSON.parse(await readFile(join(dockerStateDir(project), 'docker.json'), 'utf8')) as DockerLabState;
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
