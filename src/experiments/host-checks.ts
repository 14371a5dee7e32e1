/**
 * Environment checks made from the host about the lab as a whole: the lab is up with its
 * services running, and every node holds the addresses its lab file gives it (asked inside
 * each node with `ip`, so nothing is sent anywhere).
 */
import type { LabAccess } from './lab-access.js';
import { nodeAddresses, type Topology } from '../lab/topology.js';
import type { CheckResult, NodeEvent } from './types.js';
import { findTool, missingToolReason } from './node/tools.js';
import { inNodeCommand } from './node/check.js';

type Emit = (e: NodeEvent) => void;

function finish(emit: Emit, result: CheckResult): CheckResult {
  emit({ type: 'result', result });
  return result;
}

export async function checkLabUp(topology: Topology, access: LabAccess, broughtUp: boolean, upMs: number, emit: Emit): Promise<CheckResult> {
  const t0 = performance.now();
  const s = await access.status();
  const running = s.services.filter((x) => x.health === 'running').map((x) => x.id);
  const how = broughtUp ? `brought up in ${Math.round(upMs)} ms` : 'already up';
  return finish(emit, {
    id: 'env.lab-up',
    section: 'environment',
    title: `lab ${topology.name} is up`,
    tool: 'dslab',
    expectation: `health "up": ${topology.nodes.length} nodes and the switch present, every service running`,
    observed: `${s.health}, ${how}; services running: ${running.join(', ') || 'none'}`,
    status: s.health === 'up' ? 'pass' : 'fail',
    ...(s.health === 'up' ? {} : { reason: `the lab is ${s.health}; see "dslab status --lab ${topology.name}"` }),
    startMs: 0,
    durationMs: performance.now() - t0,
    commands: [`dslab status --lab ${topology.name}`],
    data: { health: s.health, broughtUp, upMs, services: s.services },
  });
}

interface IpAddr {
  family: string;
  local: string;
  scope: string;
  tentative?: boolean;
}

export async function checkNodeAddresses(topology: Topology, access: LabAccess, emit: Emit): Promise<CheckResult> {
  const t0 = performance.now();
  const base = {
    id: 'env.node-addresses',
    section: 'environment' as const,
    title: 'every node has its addresses',
    tool: 'ip' as const,
    expectation: 'each node holds every address of its lab file (both families where it is dual-stack)',
    startMs: 0,
    commands: topology.nodes.map((n) => inNodeCommand(topology.name, n.name, 'ip -br addr')),
  };
  if (!findTool('ip')) return finish(emit, { ...base, observed: 'not run', status: 'skip', reason: missingToolReason('ip'), durationMs: 0 });
  emit({ type: 'start', id: base.id, section: base.section, title: base.title, tool: base.tool, atMs: 0 });
  const rows = await Promise.all(
    topology.nodes.map(async (n) => {
      const r = await access.runInNode(n.name, ['ip', '-j', 'addr', 'show'], { allowFailure: true, timeoutMs: 5000 });
      const have = (JSON.parse(r.stdout || '[]') as Array<{ addr_info?: IpAddr[] }>)
        .flatMap((i) => i.addr_info ?? [])
        .filter((a) => a.scope === 'global' && !a.tentative)
        .map((a) => a.local);
      const want = nodeAddresses(n);
      return { node: n.name, want, have, missing: want.filter((a) => !have.includes(a)) };
    }),
  );
  const missing = rows.filter((r) => r.missing.length > 0);
  return finish(emit, {
    ...base,
    observed: rows.map((r) => `${r.node}: ${r.want.filter((a) => r.have.includes(a)).join(' + ') || 'none'}`).join('; '),
    status: missing.length === 0 ? 'pass' : 'fail',
    ...(missing.length ? { reason: missing.map((r) => `${r.node} lacks ${r.missing.join(', ')}`).join('; ') } : {}),
    durationMs: performance.now() - t0,
    output: rows.map((r) => `${r.node.padEnd(8)} ${r.have.join('  ')}`).join('\n'),
    outputSource: { kind: 'dslab', what: "each node's global addresses, read from `ip -j addr show` run in every node, one line per node" },
    data: { nodes: rows },
  });
}
