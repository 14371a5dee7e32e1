/**
 * Text of `dslab up`, in the spirit of the article's start.sh: what was created, the IPv6
 * check ("IPv6 is ENABLED and working on every node"), the address table and next steps.
 */
import type { UpResult } from '../../backends/netns/up.js';
import { DEFAULT_LAB_NAME } from '../../lab/rules.js';
import { describeFault } from '../../faults/describe.js';
import { table } from './table.js';

const RULE = '==========================================';

/** Next steps name the lab unless it is the default one: a command without --lab acts on the default lab only. */
export function renderUp(r: UpResult): string[] {
  const lab = r.lab === DEFAULT_LAB_NAME ? '' : ` --lab ${r.lab}`;
  const out = [RULE, `Starting Dual Stack Lab "${r.lab}"...`, RULE, ''];
  if (r.replaced) out.push(`(removed the previous lab "${r.lab}" first)`, '');
  out.push('### Creating the lab ###');
  const sw = r.namespaces[0] ?? `${r.lab}-sw`;
  out.push(` ✔ Switch   ${sw.padEnd(20)} Created`);
  for (const n of r.nodes) out.push(` ✔ Node     ${n.namespace.padEnd(20)} Created (${n.role})`);
  for (const s of r.services) out.push(` ✔ Service  ${s.id.padEnd(20)} Started (node ${s.node}, pid ${s.pid})`);
  out.push('', '### Checking IPv6 ###', '');
  const ok = r.ipv6Check.every((p) => p.ok);
  if (r.ipv6Check.length === 0) out.push('No node has an IPv6 address in this lab.');
  else if (ok) out.push('IPv6 is ENABLED and working on every node');
  for (const p of r.ipv6Check) out.push(`  ${p.ok ? '✔' : '✘'} ${p.node.padEnd(10)} ${p.address.padEnd(24)} ${p.ok ? `${p.via === 'ping' ? 'answered ping' : 'answered (refused a datagram)'}${p.rttMs !== undefined ? ` in ${p.rttMs} ms` : ''}` : p.detail ?? 'no answer'}`);
  out.push('', '### Addresses ###', '');
  out.push(...table(['NODE', 'ROLE', 'IPv4', 'IPv6'], r.nodes.map((n) => [n.name, n.role, n.ipv4.join(', ') || '-', n.ipv6.join(', ') || '-'])));
  if (r.faults.length > 0) {
    out.push('', '### Faults in effect ###', '');
    for (const f of r.faults) out.push(`  ${f.id}  ${describeFault(f)}${f.scenario ? `  [${f.scenario}]` : ''}`);
    out.push(`  (remove with "dslab fault rm${lab || ` --lab ${r.lab}`} --all"; measure a program with "dslab measure${lab || ` --lab ${r.lab}`} -- CMD")`);
  }
  if (r.warnings.length > 0) {
    out.push('', '### Warnings ###', '');
    for (const w of r.warnings) out.push(`  ! ${w}`);
  }
  if (r.kernelChanges.length > 0) {
    out.push('', '### Kernel settings changed (--tune-kernel; machine-wide, and they stay: other labs may rely on them) ###', '');
    for (const c of r.kernelChanges) out.push(`  ${c.sysctl}: ${c.from} -> ${c.to}`);
    out.push(`  (to put them back: sysctl -w ${r.kernelChanges.map((c) => `${c.sysctl}=${c.from}`).join(' ')})`);
  }
  out.push('', '### Next steps ###', '');
  const client = r.nodes.find((n) => n.role === 'client') ?? r.nodes[0];
  const web = r.nodes.find((n) => n.role === 'web');
  if (client && web?.ipv6[0]) out.push(`  dslab exec${lab} ${client.name} -- curl -6 -g 'http://[${web.ipv6[0]}]/'`);
  if (client && web?.ipv4[0]) out.push(`  dslab exec${lab} ${client.name} -- curl -4 http://${web.ipv4[0]}/`);
  if (client) out.push(`  dslab shell${lab} ${client.name}`, `  dslab run${lab}`);
  out.push(`  dslab status${lab}`, `  dslab down${lab}`, '');
  out.push(RULE, `Lab "${r.lab}" is up (${Math.round(r.ms)} ms).`, RULE);
  return out;
}
