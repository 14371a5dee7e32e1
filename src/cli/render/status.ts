/**
 * Text of `dslab status` and `dslab ls`.
 */
import { SWITCH_OWNER, type LabHealth, type LabStatus, type LabSummary, type Neighbour } from '../../backends/netns/status.js';
import { STATIC_NEIGHBOURS_FROM } from '../../backends/netns/plan.js';
import { DEFAULT_LAB_NAME } from '../../lab/rules.js';
import { DEFAULT_SOURCE, forwards } from '../../lab/topology.js';
import { describeFault } from '../../faults/describe.js';
import { table } from './table.js';

const HEALTH_TEXT: Record<LabHealth, string> = {
  up: 'up',
  degraded: 'DEGRADED (see below)',
  creating: 'being created',
  broken: 'BROKEN: left by an interrupted "dslab up"; remove it with "dslab down"',
};

/** What a neighbour entry means for a connection to that address, in words. */
export function neighbourMeaning(n: Neighbour): string {
  const owner = n.owner === SWITCH_OWNER ? "the gateway address on the lab's switch" : n.owner ? `node ${n.owner}` : 'no node has this address';
  if (n.state.includes('FAILED')) return `${owner}; neighbour discovery got no answer: a connect fails with "No route to host" (EHOSTUNREACH) after about 3 s`;
  if (n.state.includes('INCOMPLETE')) return `${owner}; being resolved now: a connect waits for it (up to about 3 s)`;
  if (n.state.includes('PERMANENT')) return `${owner} at ${n.lladdr ?? '?'}, permanent: set by dslab up (a network of ${STATIC_NEIGHBOURS_FROM} or more nodes)`;
  return `${owner}${n.lladdr ? ` at ${n.lladdr}` : ''}`;
}

export function renderStatus(s: LabStatus): string[] {
  const out = [`Lab "${s.lab}": ${HEALTH_TEXT[s.health]}`, `  mode ${s.mode}, from ${s.source ?? '?'}, created ${s.createdAt ?? '?'}`, `  state ${s.stateDir}`, ''];
  out.push(
    ...table(
      ['NODE', 'ROLE', 'NAMESPACE', 'IPv4', 'IPv6'],
      [
        ['(switch)', '-', `${s.switch.namespace}${s.switch.present ? '' : ' (MISSING)'}`, '-', '-'],
        ...s.nodeList.map((n) => [n.name, n.role, `${n.namespace}${n.present ? '' : ' (MISSING)'}`, n.ipv4.join(', ') || '-', n.ipv6.join(', ') || '-']),
      ],
    ),
  );
  out.push('');
  if (s.nodeList.some(forwards)) {
    // a routed lab: which way each node's packets go (computed from the topology, as up set them)
    const rows = s.nodeList.flatMap((n) => n.routes.map((r) => [n.name, `IPv${r.family}`, r.destination, `${r.via} (${r.viaNode === '(switch)' ? 'the switch' : r.viaNode})`, r.ifname]));
    out.push(...table(['NODE', 'FAMILY', 'ROUTE TO', 'VIA', 'DEV'], rows), '');
  }
  if (s.services.length === 0) out.push('  no services');
  else out.push(...table(['SERVICE', 'NODE', 'PID', 'STATE', 'LOG'], s.services.map((v) => [v.id, v.node, v.pid === undefined ? '-' : String(v.pid), v.health === 'running' ? 'running' : v.health.toUpperCase(), v.log])));
  if (s.faults.length > 0) {
    out.push('', `  Faults (${s.faults.length}; "dslab fault ls --lab ${s.lab}" counts their packets):`);
    for (const f of s.faults) out.push(`    ${f.id}  ${describeFault(f)}${f.scenario ? `  [${f.scenario}]` : ''}`);
    for (const d of s.delayers.filter((x) => x.health !== 'running')) out.push(`    the delayer of ${d.id} is ${d.health.toUpperCase()}: that fault is not in effect`);
  }
  if (s.neighbours.length > 0) {
    out.push('', "  Neighbour caches (ip neigh in each node: which lab addresses it resolved on the link):");
    out.push(...table(['NODE', 'ADDRESS', 'STATE', 'MEANING'], s.neighbours.map((n) => [n.node, n.address, n.state.join(',') || '-', neighbourMeaning(n)]), '    '));
  }
  if (s.health === 'degraded') {
    // recreate it from the same lab file, or `up --replace` would swap in the default lab
    const file = s.source && s.source !== DEFAULT_SOURCE ? ` ${s.source}` : '';
    out.push('', `  Something died. Recreate the lab with "dslab up${file} --replace${s.lab === DEFAULT_LAB_NAME ? '' : ` --name ${s.lab}`}", or inspect with "dslab logs".`);
  }
  if (s.health === 'broken') out.push('', `  Remove it with "dslab down --lab ${s.lab}".`);
  return out;
}

export function renderLs(labs: readonly LabSummary[]): string[] {
  if (labs.length === 0) return ['No lab is up. Start one with "dslab up".'];
  return table(['LAB', 'STATE', 'MODE', 'NODES', 'SOURCE'], labs.map((l) => [l.lab, l.health, l.mode, String(l.nodes), l.source ?? '-']), '');
}
