/**
 * How the backend reaches a lab's namespaces. As root: named namespaces (`ip netns`, files in
 * /run/netns and /etc/netns). Rootless: a keeper process holds a user namespace in which we
 * are root, and one holder process per namespace holds its network (and mount) namespace;
 * programs enter them with nsenter (see keeper.ts). Everything else in the backend is the
 * same in both modes because it only speaks through this interface.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { isAlive, nsInode, type ProcRef } from './proc.js';

/** How the backend reaches a lab's namespaces: `root` (named namespaces) or `rootless` (keeper and holder processes). */
export type Mode = 'root' | 'rootless';

export interface Cmd {
  file: string;
  args: string[];
}

export interface Access {
  readonly mode: Mode;
  /** Runs `argv` in namespace `ns`: the network only (dslab's own checks), or with the node's /etc files too (`etc`). */
  inNs(ns: string, argv: readonly string[], etc?: boolean): Cmd;
  /** `ip` acting inside `ns`. */
  ip(ns: string, args: readonly string[]): Cmd;
  /** How `ip link ... netns X` names namespace `ns`. */
  netnsRef(ns: string): string;
  /** The lab namespaces (of any lab, as root) that exist now. */
  namespaces(): string[];
  /** The nsfs inode of a namespace (what /proc/PID/ns/net links to), if it exists. */
  netnsInode(ns: string): number | undefined;
  /** Folder of a node's resolv.conf, hosts and nsswitch.conf. */
  etcDir(ns: string): string;
}

export const NETNS_DIR = '/run/netns';
export const ETC_NETNS = '/etc/netns';

function cmd(argv: readonly string[]): Cmd {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('empty argv');
  return { file, args };
}

export const rootAccess: Access = {
  mode: 'root',
  // `ip netns exec` bind-mounts /etc/netns/<ns>/* over /etc in a private mount namespace
  inNs: (ns, argv, etc = false) => cmd(etc ? ['ip', 'netns', 'exec', ns, ...argv] : ['nsenter', `--net=${NETNS_DIR}/${ns}`, '--', ...argv]),
  // nsenter rather than `ip -n`: ip's own namespace switch also remounts /sys in a new mount
  // namespace, which doubles the cost of each call (~5 ms against ~2.5 ms here): felt in big labs
  ip: (ns, args) => cmd(['nsenter', `--net=${NETNS_DIR}/${ns}`, '--', 'ip', ...args]),
  netnsRef: (ns) => ns,
  namespaces() {
    try {
      return readdirSync(NETNS_DIR);
    } catch {
      return [];
    }
  },
  netnsInode(ns) {
    try {
      return statSync(`${NETNS_DIR}/${ns}`).ino;
    } catch {
      return undefined;
    }
  },
  etcDir: (ns) => join(ETC_NETNS, ns),
};

/** Rootless access through the keeper's user namespace and the holders of each namespace. */
export function rootlessAccess(stateDir: string, holders: Readonly<Record<string, ProcRef>>): Access {
  const holder = (ns: string): ProcRef => {
    const h = holders[ns];
    if (!h) throw new Error(`no holder process for namespace ${ns}`);
    return h;
  };
  const enter = (ns: string, mount: boolean): string[] => ['nsenter', `--target=${holder(ns).pid}`, '--user', '--net', ...(mount ? ['--mount'] : []), '--preserve-credentials', '--'];
  return {
    mode: 'rootless',
    inNs: (ns, argv, etc = false) => cmd([...enter(ns, etc), ...argv]),
    ip: (ns, args) => cmd([...enter(ns, false), 'ip', ...args]),
    netnsRef: (ns) => String(holder(ns).pid),
    namespaces: () => Object.entries(holders).filter(([, h]) => isAlive(h)).map(([ns]) => ns),
    netnsInode(ns) {
      const h = holders[ns];
      return h && isAlive(h) ? nsInode(h.pid, 'net') : undefined;
    },
    etcDir: (ns) => join(stateDir, 'etc', ns),
  };
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The mode a new lab would use here; `DSLAB_ROOTLESS=1` forces rootless even as root (tests). */
export function preferredMode(): Mode {
  if (process.env['DSLAB_ROOTLESS'] === '1') return 'rootless';
  return isRoot() ? 'root' : 'rootless';
}
