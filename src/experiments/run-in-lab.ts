/**
 * The one path every backend's `dslab run` takes once its lab is up: wait for a pending
 * neighbour resolution of the broken address to end (so that the run measures its own
 * timeout), run the host's environment checks when the backend offers them, and run the plan
 * in the client node, all through the backend's LabAccess.
 */
import type { Topology } from '../lab/topology.js';
import type { LabAccess } from './lab-access.js';
import type { CheckResult, NodeEvent, RunPlan, Section } from './types.js';

/** checkLabUp and checkNodeAddresses, run from the host rather than in the client node (the routing checks are counted apart). */
const HOST_CHECKS = 2;

export interface InLabOptions {
  onEvent?: (event: NodeEvent) => void;
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
  /** Run the host's checks too (the lab is up; every node holds its addresses), with how the lab came up. */
  hostChecks?: { broughtUp: boolean; upMs: number };
}

export async function runExperimentsIn(access: LabAccess, topology: Topology, plan: RunPlan, o: InLabOptions = {}): Promise<{ checks: CheckResult[]; experimentsMs: number }> {
  const [{ runInClient }, { settleNeighbour }] = await Promise.all([import('./in-node-process.js'), import('./run-here.js')]);
  const onEvent = o.onEvent ?? (() => {});
  await settleNeighbour(plan, o.signal, o.onProgress, (args) => access.runInNode(plan.client.name, ['ip', ...args], { allowFailure: true, timeoutMs: 2000 }));
  const tx = performance.now();
  const inNodeOptions = { onEvent: o.hostChecks ? countHostChecks(onEvent) : onEvent, ...(o.signal ? { signal: o.signal } : {}) };
  if (!o.hostChecks) {
    const inNode = await runInClient(plan, access, inNodeOptions);
    return { checks: inNode.results, experimentsMs: performance.now() - tx };
  }
  const [{ checkLabUp, checkNodeAddresses }, { routingCheckCount, runRoutingChecks }, { nat64CheckCount, runNat64Checks }] = await Promise.all([import('./host-checks.js'), import('./routing-checks.js'), import('./nat64-checks.js')]);
  const routing = routingCheckCount(topology, plan, access);
  const nat64 = nat64CheckCount(topology, plan, access);
  const emit = countHostChecks(onEvent, { ...(routing > 0 ? { routing } : {}), ...(nat64 > 0 ? { nat64 } : {}) });
  const [labUp, nodes, inNode] = await Promise.all([
    checkLabUp(topology, access, o.hostChecks.broughtUp, o.hostChecks.upMs, emit),
    checkNodeAddresses(topology, access, emit),
    runInClient(plan, access, { ...inNodeOptions, onEvent: emit }),
  ]);
  // after the client's experiments: one of these takes a SLAAC address away and watches it return
  const routed = routing > 0 ? await runRoutingChecks(topology, plan, access, emit, tx, o.signal) : [];
  const translated = nat64 > 0 ? await runNat64Checks(topology, plan, access, emit, tx, o.signal) : [];
  return { checks: [labUp, nodes, ...inNode.results, ...routed, ...translated], experimentsMs: performance.now() - tx };
}

/**
 * The host's own checks join the client's count of environment checks, and the routing and NAT64
 * checks get their own count, so that a view knows when each section is complete.
 */
function countHostChecks(onEvent: (e: NodeEvent) => void, extra: Partial<Record<Section, number>> = {}): (e: NodeEvent) => void {
  return (e) => onEvent(e.type === 'expect' ? { ...e, counts: { ...e.counts, environment: (e.counts.environment ?? 0) + HOST_CHECKS, ...extra } } : e);
}
