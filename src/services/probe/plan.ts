/**
 * Which probe proves each address of a lab: the web node by a TCP connect to its web port,
 * the dns node by a DNS query, every other node by a refused datagram. Also the argv that
 * runs the probe program (to be run inside a node, e.g. the client).
 */
import { serviceEntry } from '../entry.js';
import type { Topology } from '../../lab/topology.js';
import type { ProbeTarget } from './targets.js';

export const DNS_PORT = 53;

export function labProbeTargets(topology: Topology): ProbeTarget[] {
  const zone = topology.zones[0];
  return topology.nodes.flatMap((node) =>
    node.attachments.flatMap((a) =>
      [a.ipv4, a.ipv6]
        .filter((address): address is string => address !== undefined)
        .map((address): ProbeTarget => {
          const base = { node: node.name, address, family: address.includes(':') ? (6 as const) : (4 as const) };
          if (node.web) return { ...base, tcpPort: node.web.port };
          if (node.role === 'dns') return { ...base, dnsPort: DNS_PORT, ...(zone ? { dnsName: zone } : {}) };
          return base;
        }),
    ),
  );
}

/** argv of the probe program for a config file written with `{ targets }`. */
export function probeArgv(configPath: string): string[] {
  return [process.execPath, serviceEntry('probe'), '--config', configPath];
}
