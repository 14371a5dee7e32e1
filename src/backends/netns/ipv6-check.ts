/**
 * The real check that IPv6 works on every node: from the switch, each node's IPv6 address
 * must answer (in parallel). An answer proves the address is present on the node, not
 * tentative, and usable, which configuration alone does not. With ping installed, one echo
 * request per address for a small lab; for a large one, or without ping, dslab's own probe
 * program (a datagram to a closed port of every address, answered by each node's ICMPv6 "port
 * unreachable") in one process, so ping stays an optional tool.
 */
import { join } from 'node:path';
import type { Topology } from '../../lab/topology.js';
import { probeArgv } from '../../services/probe/plan.js';
import { DEFAULT_PROBE_TIMEOUT_MS } from '../../services/probe/probe.js';
import type { ProbeResult, ProbeTarget } from '../../services/probe/targets.js';
import { findProgram } from '../../util/find-program.js';
import { writeOwnFile } from '../../util/private-fs.js';
import type { Access } from './access.js';
import { inNetns } from './ip.js';

/** The IPv6 check of one node address from the switch: whether it answered, how, and the round-trip time or what went wrong. */
export interface Ipv6Probe {
  node: string;
  address: string;
  ok: boolean;
  /** How the address was proven: ping's echo reply, or the probe's refused datagram. */
  via: 'ping' | 'probe';
  /** Round-trip time in ms when it answered. */
  rttMs?: number;
  detail?: string;
}

export async function checkIpv6(access: Access, switchNs: string, topology: Topology, stateDir: string, signal?: AbortSignal): Promise<Ipv6Probe[]> {
  const targets = topology.nodes.flatMap((n) => n.attachments.filter((a) => a.ipv6).map((a) => ({ node: n.name, address: a.ipv6! })));
  // ping per address is quickest for a few (no Node start-up); past that, one probe program for all
  return findProgram('ping') && targets.length <= PING_EACH_MAX ? pingEach(access, switchNs, targets, signal) : probeEach(access, switchNs, targets, stateDir, signal);
}

/** Up to this many addresses get one ping each; more are proven by one probe program (one process, not one per node). */
export const PING_EACH_MAX = 32;

type Target = { node: string; address: string };

function pingEach(access: Access, switchNs: string, targets: Target[], signal?: AbortSignal): Promise<Ipv6Probe[]> {
  return Promise.all(
    targets.map(async ({ node, address }): Promise<Ipv6Probe> => {
      const r = await inNetns(access, switchNs, ['ping', '-6', '-n', '-c', '1', '-W', '2', address], { allowFailure: true, signal });
      const rtt = /time=([\d.]+) ms/.exec(r.stdout);
      if (r.code === 0) return { node, address, ok: true, via: 'ping', ...(rtt ? { rttMs: Number(rtt[1]) } : {}) };
      return { node, address, ok: false, via: 'ping', detail: (r.stderr || r.stdout).trim().split('\n').slice(-2).join(' ') };
    }),
  );
}

async function probeEach(access: Access, switchNs: string, targets: Target[], stateDir: string, signal?: AbortSignal): Promise<Ipv6Probe[]> {
  // no ports: every address is proven by a refused datagram, which needs no service running
  const config = join(stateDir, 'ipv6-probe.json');
  const probeTargets: ProbeTarget[] = targets.map((t) => ({ ...t, family: 6 }));
  writeOwnFile(config, JSON.stringify({ targets: probeTargets }));
  // every address probed at once: on networks under STATIC_NEIGHBOURS_FROM nodes (many small ones) each is still resolved first, which takes more than the default budget
  const timeoutMs = Math.min(10_000, Math.max(DEFAULT_PROBE_TIMEOUT_MS, targets.length * 5));
  const r = await inNetns(access, switchNs, [...probeArgv(config), '--timeout', String(timeoutMs)], { allowFailure: true, signal });
  let results: ProbeResult[] = [];
  try {
    results = (JSON.parse(r.stdout) as { results: ProbeResult[] }).results;
  } catch {
    const why = (r.stderr || r.stdout).trim() || `exit ${r.code}`;
    return targets.map((t) => ({ ...t, ok: false, via: 'probe', detail: `the probe failed: ${why}` }));
  }
  return targets.map((t): Ipv6Probe => {
    const res = results.find((x) => x.address === t.address);
    if (res?.ok) return { ...t, ok: true, via: 'probe', rttMs: res.ms };
    return { ...t, ok: false, via: 'probe', detail: res?.error ?? 'no result' };
  });
}
