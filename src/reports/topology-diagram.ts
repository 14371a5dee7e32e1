/**
 * The lab drawn like the article's diagram: each network as a frame, its nodes as boxes
 * with their role and addresses on that network.
 */
import type { RunReport } from '../experiments/types.js';

function box(lines: string[]): string[] {
  const w = Math.max(...lines.map((l) => l.length));
  return ['┌' + '─'.repeat(w + 2) + '┐', ...lines.map((l) => `│ ${l.padEnd(w)} │`), '└' + '─'.repeat(w + 2) + '┘'];
}

export function topologyDiagram(report: RunReport): string {
  const out: string[] = [];
  const first = report.topology.networks[0];
  const title = first ? `${first.name} (${[first.ipv4, first.ipv6].filter(Boolean).join(', ')})` : report.lab;
  const boxes = report.topology.nodes.map((n) => box([n.name, `(${n.role})`, n.ipv4 ?? '-', n.ipv6 ?? '-']));
  const height = Math.max(...boxes.map((b) => b.length));
  const rows: string[] = [];
  for (let i = 0; i < height; i++) rows.push(boxes.map((b) => b[i] ?? ' '.repeat(b[0]!.length)).join('  '));
  const inner = Math.max(title.length + 2, ...rows.map((r) => r.length + 4));
  out.push('┌' + '─'.repeat(inner) + '┐');
  out.push(`│  ${title}`.padEnd(inner + 1) + '│');
  out.push('│' + ' '.repeat(inner) + '│');
  for (const r of rows) out.push(`│  ${r}`.padEnd(inner + 1) + '│');
  out.push('└' + '─'.repeat(inner) + '┘');
  if (report.topology.networks.length > 1) {
    out.push(`Other networks: ${report.topology.networks.slice(1).map((n) => `${n.name} (${[n.ipv4, n.ipv6].filter(Boolean).join(', ')})`).join('; ')}; addresses above are each node's first interface.`);
  }
  return out.join('\n');
}
