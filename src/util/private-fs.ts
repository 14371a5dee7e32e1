/**
 * Folders and files that other users cannot touch: the checks a state folder must pass
 * before dslab trusts it (a real folder, not a symbolic link, owned by the current user,
 * writable by nobody else, and private when it sits in a shared folder such as /tmp), and
 * writes and reads that never follow a symbolic link (O_NOFOLLOW) and give files mode 0600.
 * What tmux, ssh-agent and systemd's runtime folders do; a failing check is
 * DSLAB_E_STATE_UNSAFE naming the path, its owner and mode, and the fix.
 */
import { closeSync, constants, fchmodSync, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, readSync, readlinkSync, realpathSync, statSync, writeSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import process from 'node:process';
import { DslabError } from '../errors.js';

/** The current (real) uid; -1 where the platform has none. */
export function currentUid(): number {
  return typeof process.getuid === 'function' ? process.getuid() : -1;
}

/** `0755`-style text of a mode's permission bits. */
export function modeText(mode: number): string {
  return '0' + (mode & 0o7777).toString(8).padStart(3, '0');
}

let passwd: Map<number, string> | undefined;

/** The user name of a uid from /etc/passwd (just the uid when it has none). */
export function ownerText(uid: number): string {
  if (!passwd) {
    passwd = new Map();
    try {
      for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
        const [name, , id] = line.split(':');
        if (name && id !== undefined && !passwd.has(Number(id))) passwd.set(Number(id), name);
      }
    } catch {
      // no passwd file: uids only
    }
  }
  const name = passwd.get(uid);
  return name ? `uid ${uid} (${name})` : `uid ${uid}`;
}

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

function linkTarget(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '?';
  }
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (err) {
    if (code(err) === 'ENOENT' || code(err) === 'ENOTDIR') return undefined;
    throw err;
  }
}

const ELSEWHERE = 'or set DSLAB_STATE_ROOT (or XDG_RUNTIME_DIR) to a private folder of yours (mode 0700)';

/** What the user should do about an unsafe folder: depends on whose it is and what it is for. */
function fixFor(path: string, st: Stats | undefined, role: DirRules['role']): string {
  if (role === 'etc') return `Remove ${path} ("sudo rm -r ${path}"; dslab did not make it), then run the command again.`;
  if (role === 'lab') return `Check what is in ${path} and remove it ("rm -r ${path}"), then run the command again.`;
  const yours = st !== undefined && st.uid === currentUid();
  if (st?.isSymbolicLink()) return `Remove the link ("${yours ? '' : 'sudo '}rm ${path}"), ${ELSEWHERE}.`;
  if (yours) return `Remove it ("rm -r ${path}") or, if only you put files in it, make it private ("chmod 700 ${path}"); ${ELSEWHERE}.`;
  return `Remove it ("sudo rm -r ${path}", after checking what is in it), ${ELSEWHERE}.`;
}

export interface UnsafeDetails {
  path: string;
  problem: string;
  owner?: number;
  mode?: string;
}

const NOUNS = { root: 'The state folder', lab: "The lab's folder", etc: "The node's /etc folder", file: 'The file' } as const;

/** DSLAB_E_STATE_UNSAFE for `path`: what is wrong with it and how to fix it. */
export function unsafeError(details: UnsafeDetails, hint: string, kind: keyof typeof NOUNS = 'root'): DslabError {
  const facts = [details.owner === undefined ? undefined : `owner ${ownerText(details.owner)}`, details.mode ? `mode ${details.mode}` : undefined].filter(Boolean).join(', ');
  return new DslabError('DSLAB_E_STATE_UNSAFE', `${NOUNS[kind]} ${details.path} is not safe to use: ${details.problem}${facts ? ` (${facts})` : ''}. Nothing was changed.`, {
    field: kind === 'root' ? 'stateRoot' : kind === 'file' ? 'file' : `${kind}Dir`,
    value: details.path,
    hint,
    details: { ...details },
  });
}

export interface DirRules {
  /** Owner the folder must have (default: the current uid). */
  owner?: number;
  /** Refuse group and other read/search bits too (a folder in a shared place such as /tmp). */
  private?: boolean;
  /** Which folder this is, for the fix: the state root, a lab's folder, a node's /etc folder. */
  role?: 'root' | 'lab' | 'etc';
}

/** The problem with `st` as a folder under `rules`, or undefined when it passes. */
function dirProblem(path: string, st: Stats, rules: DirRules): string | undefined {
  const owner = rules.owner ?? currentUid();
  if (st.isSymbolicLink()) return `it is a symbolic link (to ${linkTarget(path)}), not a folder`;
  if (!st.isDirectory()) return 'it is not a folder';
  if (st.uid !== owner) return `it belongs to ${ownerText(st.uid)}, not to ${ownerText(owner)}`;
  if (st.mode & 0o022) return 'other users can write into it';
  if (rules.private && st.mode & 0o077) return 'it is in a folder shared with other users and others can read it (it must be mode 0700)';
  return undefined;
}

/** True when `st` is a folder that users other than its owner can write into (e.g. /tmp). */
function sharedFolder(st: Stats): boolean {
  return (st.mode & 0o022) !== 0;
}

/**
 * Checks the folders above `path` (after resolving symbolic links): each must belong to root
 * or to the current user, and one that others can write into must be sticky (like /tmp), so
 * that nobody else can rename `path` away and put their own in its place.
 */
function ancestorsProblem(path: string): string | undefined {
  let dir: string;
  try {
    dir = realpathSync(dirname(path));
  } catch {
    return undefined; // not there yet: it will be created by us, below a checked folder
  }
  const uid = currentUid();
  for (;;) {
    const st = statSync(dir);
    if (st.uid !== 0 && st.uid !== uid) return `its parent folder ${dir} belongs to ${ownerText(st.uid)}`;
    if (sharedFolder(st) && !(st.mode & 0o1000)) return `its parent folder ${dir} can be written by other users (mode ${modeText(st.mode)})`;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** True when the folder holding `path` is one other users can write into (e.g. /tmp). */
export function inSharedFolder(path: string): boolean {
  try {
    return sharedFolder(statSync(dirname(path)));
  } catch {
    return false;
  }
}

/**
 * Checks an existing folder with lstat (a symbolic link is refused, never followed); throws
 * DSLAB_E_STATE_UNSAFE when it fails. Returns false when there is nothing at `path`.
 */
export function checkDir(path: string, rules: DirRules = {}, hint?: string): boolean {
  const st = lstatOrUndefined(path);
  if (!st) return false;
  const rulesHere = { ...rules, private: rules.private ?? inSharedFolder(path) };
  const problem = dirProblem(path, st, rulesHere) ?? (rules.role === 'root' ? ancestorsProblem(path) : undefined);
  if (problem) {
    throw unsafeError({ path, problem, owner: st.uid, ...(st.isSymbolicLink() ? {} : { mode: modeText(st.mode) }) }, hint ?? fixFor(path, st, rules.role ?? 'root'), rules.role ?? 'root');
  }
  return true;
}

/**
 * Makes sure `path` is a folder passing `checkDir`: creates it (mode `mode`, and its missing
 * parents 0700) when it is not there, and checks it either way, so a folder someone else
 * created first (even between our look and our mkdir) is refused.
 */
export function ensureDir(path: string, rules: DirRules = {}, mode = 0o700, hint?: string): void {
  if (!isAbsolute(path)) throw new Error(`ensureDir needs an absolute path, got ${path}`);
  if (!lstatOrUndefined(path)) {
    if (rules.role === 'root') {
      const problem = ancestorsProblem(path);
      if (problem) throw unsafeError({ path, problem }, hint ?? `Use a state folder whose parent folders only you and root can change: ${ELSEWHERE.slice(3)}.`);
    }
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      mkdirSync(path, { mode });
    } catch (err) {
      if (code(err) !== 'EEXIST') throw err;
    }
  }
  checkDir(path, rules, hint);
}

const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW;

/** Opens `path` for writing without following a symbolic link and sets its mode (0600 by default). */
function openForWrite(path: string, flags: number, mode: number): number {
  let fd: number;
  try {
    fd = openSync(path, flags, mode);
  } catch (err) {
    if (code(err) === 'ELOOP') throw unsafeError({ path, problem: 'it is a symbolic link' }, `Remove ${path}: dslab never writes through a symbolic link.`, 'file');
    throw err;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw unsafeError({ path, problem: 'it is not a regular file', owner: st.uid, mode: modeText(st.mode) }, `Remove ${path}.`, 'file');
    if (st.uid !== currentUid()) throw unsafeError({ path, problem: `it belongs to ${ownerText(st.uid)}`, owner: st.uid, mode: modeText(st.mode) }, `Remove ${path}.`, 'file');
    if ((st.mode & 0o7777) !== mode) fchmodSync(fd, mode);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  return fd;
}

/** Opens `path` with `flags` (never through a symbolic link), writes all of `data` and closes it. */
function writeAll(path: string, flags: number, mode: number, data: string): void {
  const fd = openForWrite(path, flags, mode);
  try {
    const buf = Buffer.from(data);
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off);
  } finally {
    closeSync(fd);
  }
}

/** Writes `data` to `path` (replacing it), never through a symbolic link; the file gets `mode` (0600). */
export function writeOwnFile(path: string, data: string, mode = 0o600): void {
  writeAll(path, WRITE_FLAGS | constants.O_TRUNC, mode, data);
}

/** Creates `path` anew (it must not exist: O_EXCL), mode 0600, and writes `data` (the journal's temporary file). */
export function createPrivateFile(path: string, data: string): void {
  writeAll(path, WRITE_FLAGS | constants.O_EXCL, 0o600, data);
}

/** An append-mode descriptor for a log file (created 0600, never through a symbolic link). */
export function openPrivateAppend(path: string): number {
  return openForWrite(path, WRITE_FLAGS | constants.O_APPEND, 0o600);
}

/**
 * Reads a file that must belong to the current user and be writable by nobody else, without
 * following a symbolic link. Undefined when it is not there; DSLAB_E_STATE_UNSAFE when it
 * fails the checks.
 */
export function readOwnFile(path: string, hint: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    if (code(err) === 'ENOENT' || code(err) === 'ENOTDIR') return undefined;
    if (code(err) === 'ELOOP') throw unsafeError({ path, problem: 'it is a symbolic link' }, hint, 'file');
    throw err;
  }
  try {
    const st = fstatSync(fd);
    const facts = { path, owner: st.uid, mode: modeText(st.mode) };
    if (!st.isFile()) throw unsafeError({ ...facts, problem: 'it is not a regular file' }, hint, 'file');
    if (st.uid !== currentUid()) throw unsafeError({ ...facts, problem: `it belongs to ${ownerText(st.uid)}, not to ${ownerText(currentUid())}` }, hint, 'file');
    if (st.mode & 0o022) throw unsafeError({ ...facts, problem: 'other users can write to it' }, hint, 'file');
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(64 * 1024);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** `join` that refuses a name that would leave the folder (a journal entry is data from disk). */
export function childPath(dir: string, name: string): string | undefined {
  return /^[A-Za-z0-9._-]+$/.test(name) && name !== '.' && name !== '..' ? join(dir, name) : undefined;
}
