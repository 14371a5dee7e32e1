/**
 * The real check that IPv6 works on every node: one ping from the switch to each node's
 * IPv6 address (in parallel). A reply proves the address is present on the node, not
 * tentative, and usable, which configuration alone does not.
 */
import type { Topology } from '../../lab/topology.js';
import type { Access } from './access.js';
import { inNetns } from './ip.js';

export interface Ipv6Probe {
  node: string;
  address: string;
  ok: boolean;
  /** Round-trip time in ms when it answered. */
  rttMs?: number;
  detail?: string;
}

export async function checkIpv6(access: Access, switchNs: string, topology: Topology, signal?: AbortSignal): Promise<Ipv6Probe[]> {
  const targets = topology.nodes.flatMap((n) => n.attachments.filter((a) => a.ipv6).map((a) => ({ node: n.name, address: a.ipv6! })));
  return Promise.all(
    targets.map(async ({ node, address }): Promise<Ipv6Probe> => {
      const r = await inNetns(access, switchNs, ['ping', '-6', '-n', '-c', '1', '-W', '2', address], { allowFailure: true, signal });
      const rtt = /time=([\d.]+) ms/.exec(r.stdout);
      if (r.code === 0) return { node, address, ok: true, ...(rtt ? { rttMs: Number(rtt[1]) } : {}) };
      return { node, address, ok: false, detail: (r.stderr || r.stdout).trim().split('\n').slice(-2).join(' ') };
    }),
  );
}
