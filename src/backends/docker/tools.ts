/**
 * Finds the Docker client, checks that an engine answers, and picks the compose tool:
 * Compose v2 (`docker compose`) when the plugin is there, else v1 (`docker-compose`, what
 * Debian ships). A missing piece is a DSLAB_E_DOCKER_MISSING error that says what to install.
 */
import { DslabError, isDslabError } from '../../errors.js';
import { run, type RunOptions, type RunResult } from '../../util/run.js';

export interface ComposeTool {
  /** `2` for `docker compose`, `1` for `docker-compose`. */
  version: 1 | 2;
  file: string;
  /** Arguments that come before the compose arguments (`['compose']` for v2). */
  prefix: string[];
}

const INSTALL_HINT =
  'Install Docker (Rancher Desktop with dockerd (moby), Docker Desktop, or on Debian/Ubuntu "apt-get install docker.io docker-compose"), start it, then try again.';

export function dockerFile(): string {
  return process.env.DSLAB_DOCKER ?? 'docker';
}

export function docker(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return run(dockerFile(), args, options);
}

/** Checks that the client exists and the engine answers; returns the engine's version. */
export async function checkEngine(signal?: AbortSignal): Promise<string> {
  let result: RunResult;
  try {
    result = await docker(['version', '--format', '{{.Server.Version}}'], { allowFailure: true, timeoutMs: 20_000, ...(signal ? { signal } : {}) });
  } catch (err) {
    if (isDslabError(err, 'DSLAB_E_TOOL_MISSING')) {
      throw new DslabError('DSLAB_E_DOCKER_MISSING', `The docker command was not found.`, { field: 'backend', value: 'docker', hint: INSTALL_HINT, cause: err });
    }
    throw err;
  }
  if (result.code !== 0 || result.stdout.trim() === '') {
    const host = process.env.DOCKER_HOST ? ` at DOCKER_HOST=${process.env.DOCKER_HOST}` : '';
    throw new DslabError('DSLAB_E_DOCKER_MISSING', `The Docker engine${host} does not answer: ${(result.stderr || result.stdout).trim().split('\n')[0] ?? ''}`, {
      field: 'backend',
      value: 'docker',
      hint: 'Start the engine (Rancher Desktop / Docker Desktop, or "dockerd"; for dslab\'s tests "docker/engine.sh start" and DOCKER_HOST from "docker/engine.sh env"), then try again.',
      details: { stderr: result.stderr },
    });
  }
  return result.stdout.trim();
}

/** Compose v2 if `docker compose` works, else v1 `docker-compose`. */
export async function findCompose(): Promise<ComposeTool> {
  const v2 = await docker(['compose', 'version', '--short'], { allowFailure: true, timeoutMs: 20_000 }).catch(() => undefined);
  if (v2 && v2.code === 0) return { version: 2, file: dockerFile(), prefix: ['compose'] };
  const v1file = process.env.DSLAB_DOCKER_COMPOSE ?? 'docker-compose';
  const v1 = await run(v1file, ['version', '--short'], { allowFailure: true, timeoutMs: 20_000 }).catch(() => undefined);
  if (v1 && v1.code === 0) return { version: 1, file: v1file, prefix: [] };
  throw new DslabError('DSLAB_E_DOCKER_MISSING', 'Neither "docker compose" (Compose v2) nor "docker-compose" (v1) was found.', {
    field: 'backend',
    value: 'docker',
    hint: 'Install Compose: it comes with Docker Desktop and Rancher Desktop; on Debian/Ubuntu "apt-get install docker-compose" (or docker-compose-plugin from Docker\'s repository).',
  });
}

/** How the tool is typed, for messages: `docker compose` or `docker-compose`. */
export function composeCommand(tool: ComposeTool): string {
  return tool.version === 2 ? 'docker compose' : 'docker-compose';
}

export interface ComposeProject {
  tool: ComposeTool;
  project: string;
  file: string;
  dir: string;
}

export function compose(p: ComposeProject, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return run(p.tool.file, [...p.tool.prefix, '-p', p.project, '-f', p.file, '--project-directory', p.dir, ...args], options);
}
