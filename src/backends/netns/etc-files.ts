/**
 * Each node's own /etc files, which `ip netns exec` bind-mounts over /etc inside the node:
 * resolv.conf (the lab DNS server, both families), hosts (only localhost and the node's own
 * name: lab names must come from DNS so that DNS is really exercised) and nsswitch.conf
 * (`hosts: files dns`: with mDNS in the host's switch, `.local` would never reach DNS).
 * As root they live in /etc/netns/<ns>/ (0755/0644 like /etc, which programs that drop
 * privileges still read); rootless in the state folder (0700/0600). Either folder is
 * checked before anything is written into it: a symbolic link or a folder dslab did not
 * make is refused (DSLAB_E_STATE_UNSAFE), never written through.
 */
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkDir, ensureDir, writeOwnFile } from '../../util/private-fs.js';
import type { Node } from '../../lab/topology.js';
import { nodeAddresses } from '../../lab/topology.js';

export function resolvConf(node: Node): string {
  const lines = ['# written by dslab: the lab DNS server, both families'];
  for (const ns of node.dns) lines.push(`nameserver ${ns}`);
  return lines.join('\n') + '\n';
}

export function hostsFile(node: Node): string {
  const lines = [
    '# written by dslab: lab names come from the lab DNS server, not from here',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
  ];
  for (const address of nodeAddresses(node)) lines.push(`${address}\t${node.name}`);
  return lines.join('\n') + '\n';
}

let hostSwitch: string | undefined;

/** The host's nsswitch.conf with only the `hosts:` line replaced (users and groups stay as they are). */
export function nsswitchConf(): string {
  if (hostSwitch === undefined) {
    try {
      hostSwitch = readFileSync('/etc/nsswitch.conf', 'utf8');
    } catch {
      hostSwitch = 'passwd: files\ngroup: files\nshadow: files\n';
    }
  }
  const kept = hostSwitch.split('\n').filter((l) => !/^\s*hosts\s*:/.test(l));
  while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
  return ['# written by dslab: lab names go to the lab DNS server (no mDNS)', 'hosts: files dns', ...kept].join('\n') + '\n';
}

/** Checks an existing /etc/netns/<ns> (as root): a real folder of root's that only root can write into. */
export function checkEtcDir(dir: string): void {
  checkDir(dir, { role: 'etc' });
}

/**
 * Writes the three files of one node into `dir` (`/etc/netns/<ns>` as root, `<state>/etc/<ns>`
 * rootless). `shared`: world-readable like /etc (root); otherwise private to the user.
 */
export function writeNodeEtc(dir: string, node: Node, shared: boolean): void {
  if (shared) ensureDir(dirname(dir), { owner: 0, role: 'etc' }, 0o755);
  else ensureDir(dirname(dir), { role: 'lab' });
  ensureDir(dir, { role: shared ? 'etc' : 'lab' }, shared ? 0o755 : 0o700);
  const mode = shared ? 0o644 : 0o600;
  writeOwnFile(join(dir, 'resolv.conf'), resolvConf(node), mode);
  writeOwnFile(join(dir, 'hosts'), hostsFile(node), mode);
  writeOwnFile(join(dir, 'nsswitch.conf'), nsswitchConf(), mode);
}

export function removeEtcDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
