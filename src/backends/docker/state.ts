/**
 * Where the Docker backend keeps what `up` decided (compose file, project), so that down,
 * status, exec and run find the same project: as root /run/dslab/docker/<lab>/, otherwise
 * $XDG_RUNTIME_DIR/dslab/docker/<lab>/ (or the temporary folder).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface DockerLabState {
  lab: string;
  project: string;
  composeFile: string;
  composeDir: string;
  /** Node name → container name. */
  containers: Record<string, string>;
  client?: string;
}

export function dockerStateRoot(): string {
  if (process.getuid?.() === 0) return '/run/dslab/docker';
  const base = process.env.XDG_RUNTIME_DIR ?? join(tmpdir(), `dslab-${process.getuid?.() ?? 'user'}`);
  return join(base, 'dslab', 'docker');
}

export function dockerStateDir(lab: string): string {
  return join(dockerStateRoot(), lab);
}

export async function writeDockerState(state: DockerLabState): Promise<void> {
  const dir = dockerStateDir(state.lab);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'docker.json'), JSON.stringify(state, null, 2) + '\n');
}

export async function readDockerState(lab: string): Promise<DockerLabState | undefined> {
  try {
    return JSON.parse(await readFile(join(dockerStateDir(lab), 'docker.json'), 'utf8')) as DockerLabState;
  } catch {
    return undefined;
  }
}

export async function removeDockerState(lab: string): Promise<void> {
  await rm(dockerStateDir(lab), { recursive: true, force: true });
}
