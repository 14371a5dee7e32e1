/**
 * The folder holding every lab's state for this user, shared by both backends (the Docker
 * backend keeps its projects in `.docker` inside it). As root `/run/dslab`; otherwise the
 * first usable of `$XDG_RUNTIME_DIR/dslab`, a folder in the user's own cache
 * (`$XDG_CACHE_HOME/dslab` or `~/.cache/dslab`) and `/tmp/dslab-<uid>`;
 * `DSLAB_STATE_ROOT` overrides them all. Whichever it is, it is created 0700 and checked
 * before use (see private-fs.ts): a folder someone else made or can change is refused.
 */
import { statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import process from 'node:process';
import { DslabError } from '../errors.js';
import { checkDir, currentUid, ensureDir } from '../util/private-fs.js';

export type StateRootSource = 'DSLAB_STATE_ROOT' | 'root' | 'XDG_RUNTIME_DIR' | 'cache' | 'tmp';

export interface StateRootChoice {
  path: string;
  /** Why this one: the override, root's /run/dslab, the runtime folder, the user's cache, or /tmp. */
  source: StateRootSource;
}

/** True when `path` is a folder of ours that nobody else can write into (following links: it is the user's own setting). */
function ownFolder(path: string): boolean {
  try {
    const st = statSync(path);
    return st.isDirectory() && st.uid === currentUid() && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

function homeDir(): string | undefined {
  const home = process.env['HOME'];
  if (home) return home;
  try {
    return userInfo().homedir;
  } catch {
    return undefined; // a uid without a passwd entry
  }
}

/** `$XDG_CACHE_HOME/dslab` or `~/.cache/dslab`, when that cache folder (or the home that would hold it) is the user's own. */
function cacheRoot(): string | undefined {
  const xdg = process.env['XDG_CACHE_HOME'];
  const home = homeDir();
  const cache = xdg && isAbsolute(xdg) ? xdg : home && isAbsolute(home) ? join(home, '.cache') : undefined;
  if (!cache) return undefined;
  // the nearest folder that exists must be ours: a home of /nonexistent, or one owned by root, does not do
  for (const dir of [cache, dirname(cache)]) {
    try {
      statSync(dir);
    } catch {
      continue;
    }
    return ownFolder(dir) ? join(cache, 'dslab') : undefined;
  }
  return undefined;
}

/** Which state root this process uses, and why. Pure look-ups: nothing is created. */
export function chooseStateRoot(): StateRootChoice {
  const override = process.env['DSLAB_STATE_ROOT'];
  if (override) {
    if (!isAbsolute(override)) {
      throw new DslabError('DSLAB_E_BAD_OPTION', `DSLAB_STATE_ROOT must be an absolute path, not "${override}".`, {
        field: 'DSLAB_STATE_ROOT',
        value: override,
        hint: 'Set it to an absolute path of a private folder of yours, e.g. DSLAB_STATE_ROOT=$HOME/.cache/dslab, or unset it.',
      });
    }
    return { path: override, source: 'DSLAB_STATE_ROOT' };
  }
  const uid = currentUid();
  if (uid === 0) return { path: '/run/dslab', source: 'root' };
  // after `su` or `sudo -u` it may still name the other user's folder: then it is not ours to use
  const runtime = process.env['XDG_RUNTIME_DIR'];
  if (runtime && isAbsolute(runtime) && ownFolder(runtime)) return { path: join(runtime, 'dslab'), source: 'XDG_RUNTIME_DIR' };
  const cache = cacheRoot();
  if (cache) return { path: cache, source: 'cache' };
  return { path: `/tmp/dslab-${uid}`, source: 'tmp' };
}

export function stateRoot(): string {
  return chooseStateRoot().path;
}

/** Creates the state root (0700) if needed and checks it; DSLAB_E_STATE_UNSAFE when it fails. Returns its path. */
export function ensureStateRoot(): string {
  const root = stateRoot();
  ensureDir(root, { role: 'root' });
  return root;
}

/** Whether the state root exists (checked: DSLAB_E_STATE_UNSAFE when it is not safe). Nothing is created. */
export function stateRootPresent(): boolean {
  return checkDir(stateRoot(), { role: 'root' });
}
