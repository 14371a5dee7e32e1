/**
 * Each node's own /etc files, which `ip netns exec` bind-mounts over /etc inside the node:
 * resolv.conf (the lab DNS server, both families), hosts (only localhost and the node's own
 * name: lab names must come from DNS so that DNS is really exercised) and nsswitch.conf
 * (`hosts: files dns`: with mDNS in the host's switch, `.local` would never reach DNS).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** Writes the three files of one node into `dir` (`/etc/netns/<ns>` as seen by the backend). */
export function writeNodeEtc(dir: string, node: Node): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  writeFileSync(join(dir, 'resolv.conf'), resolvConf(node), { mode: 0o644 });
  writeFileSync(join(dir, 'hosts'), hostsFile(node), { mode: 0o644 });
  writeFileSync(join(dir, 'nsswitch.conf'), nsswitchConf(), { mode: 0o644 });
}

export function removeEtcDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
