/**
 * A hand-built Topology of the article's lab for web tests, so they do not depend on the
 * lab loader, and a web server config on both loopbacks.
 */
import type { Node, Topology } from '../../src/lab/topology.js';
import type { WebServerConfig } from '../../src/services/web/config.js';

export function webTopology(): Topology {
  const node = (name: string, role: 'web' | 'dns' | 'client', host: string): Node => ({
    name,
    role,
    attachments: [{ network: 'dsnet', ifname: 'eth0', ipv4: `172.30.0.${host}`, ipv6: `fd00:dead:beef::${host}` }],
    dns: ['172.30.0.53', 'fd00:dead:beef::53'],
    ...(role === 'web' ? { web: { server: 'builtin' as const, port: 80 } } : {}),
  });
  return {
    name: 'webtest',
    networks: [
      {
        name: 'dsnet',
        ipv4: { cidr: '172.30.0.0/24', address: '172.30.0.0', prefixLength: 24, family: 4 },
        ipv6: { cidr: 'fd00:dead:beef::/64', address: 'fd00:dead:beef::', prefixLength: 64, family: 6 },
        gateway4: '172.30.0.1',
        gateway6: 'fd00:dead:beef::1',
      },
    ],
    nodes: [node('web', 'web', '10'), node('dns', 'dns', '53'), node('client', 'client', '20')],
    records: [],
    zones: ['local'],
    source: '<test>',
  };
}

/** Built-in server config on 127.0.0.1 (and ::1 when `v6`), port 0. */
export function loopbackWebConfig(v6: boolean): WebServerConfig {
  return {
    name: 'web',
    listen: [{ address: '127.0.0.1', port: 0 }, ...(v6 ? [{ address: '::1', port: 0 }] : [])],
  };
}
