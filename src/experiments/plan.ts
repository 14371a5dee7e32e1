/**
 * Derives the experiments from a lab, not from hard-coded names: the client, the web node,
 * the "ok" name (A and AAAA both on the web node) and the "broken IPv6" name (A on the web
 * node, AAAA on an address no node has). What a lab does not offer stays undefined and the
 * checks that need it are reported as not applicable.
 */
import { DslabError } from '../errors.js';
import { findNodeByAddress, type Node, type Topology } from '../lab/topology.js';
import type { PlanName, PlanNode, RunPlan } from './types.js';

/** RFC 8305 §5: recommended Connection Attempt Delay. */
export const HAPPY_DELAY_MS = 250;
/** The seed's ds_client.py: `s.settimeout(2)` per attempt. */
export const SEQUENTIAL_TIMEOUT_MS = 2000;
/** curl's CURL_HET_DEFAULT (lib/connect.h). */
export const CURL_DELAY_MS = 200;

export function planNode(node: Node): PlanNode {
  const a = node.attachments[0];
  return {
    name: node.name,
    role: node.role,
    ifname: a?.ifname ?? 'eth0',
    ...(a?.ipv4 ? { ipv4: a.ipv4 } : {}),
    ...(a?.ipv6 ? { ipv6: a.ipv6 } : {}),
  };
}

function firstWithRole(topology: Topology, role: Node['role']): Node | undefined {
  return topology.nodes.find((n) => n.role === role);
}

/** Names with both an A and an AAAA record, with the addresses of each. */
function dualNames(topology: Topology): PlanName[] {
  const byName = new Map<string, { a: string[]; aaaa: string[] }>();
  const unusual = new Set(topology.records.filter((r) => r.delayMs > 0 || r.drop).map((r) => r.name));
  for (const r of topology.records) {
    // delayed or dropped answers are other experiments (the Resolution Delay), not these
    if (unusual.has(r.name)) continue;
    const e = byName.get(r.name) ?? { a: [], aaaa: [] };
    (r.type === 'A' ? e.a : e.aaaa).push(r.address);
    byName.set(r.name, e);
  }
  const out: PlanName[] = [];
  for (const [name, e] of byName) {
    // one address per family keeps "which address won" unambiguous
    if (e.a.length === 1 && e.aaaa.length === 1) out.push({ name, ipv4: e.a[0]!, ipv6: e.aaaa[0]! });
  }
  return out;
}

export function buildPlan(topology: Topology): RunPlan {
  const client = firstWithRole(topology, 'client');
  if (!client) {
    throw new DslabError('DSLAB_E_LAB_ROLE', `Lab "${topology.name}" has no node with role "client", so there is nowhere to run the experiments from.`, {
      field: 'nodes',
      value: topology.nodes.map((n) => `${n.name}:${n.role}`),
      hint: 'Add a node with "role: client" to the lab file.',
    });
  }
  const web = firstWithRole(topology, 'web');
  if (!web || !web.web) {
    throw new DslabError('DSLAB_E_LAB_ROLE', `Lab "${topology.name}" has no node with role "web", so there is nothing to connect to.`, {
      field: 'nodes',
      value: topology.nodes.map((n) => `${n.name}:${n.role}`),
      hint: 'Add a node with "role: web" to the lab file.',
    });
  }
  const names = dualNames(topology);
  const onWeb = (addr: string) => findNodeByAddress(topology, addr)?.name === web.name;
  const ok = names.find((n) => onWeb(n.ipv4) && onWeb(n.ipv6));
  const broken = names.find((n) => onWeb(n.ipv4) && findNodeByAddress(topology, n.ipv6) === undefined);
  const resolver = client.dns[0];
  return {
    lab: topology.name,
    client: planNode(client),
    web: { ...planNode(web), port: web.web.port },
    ...(resolver ? { resolver } : {}),
    ...(ok ? { ok } : {}),
    ...(broken ? { broken } : {}),
    happyDelayMs: HAPPY_DELAY_MS,
    sequentialTimeoutMs: SEQUENTIAL_TIMEOUT_MS,
    curlDelayMs: CURL_DELAY_MS,
    ping: { count: 3, intervalS: 0.2 },
  };
}
