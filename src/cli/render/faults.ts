/**
 * `dslab fault ls` and the faults part of `dslab status`: one line per fault with what it
 * does and how many packets it matched so far.
 */
import type { FaultList } from '../../backends/netns/fault-ops.js';
import { describeFault } from '../../faults/describe.js';

export function renderFaults(list: FaultList): string[] {
  if (list.faults.length === 0) return [`Lab "${list.lab}" has no faults. Add one with: dslab fault add --lab ${list.lab} "blackhole:family=6,to=web"`];
  const lines = [`Faults of lab "${list.lab}":`];
  for (const f of list.faults) {
    const count = f.packets !== undefined ? `  (${f.packets} packet${f.packets === 1 ? '' : 's'})` : '';
    const dead = list.broken.includes(f.id) || (f.kind === 'reject' && list.broken.includes('reject')) ? '  NOT IN EFFECT: its delayer process died' : '';
    lines.push(`  ${f.id}  ${describeFault(f)}${f.scenario ? `  [${f.scenario}]` : ''}${count}${dead}`);
  }
  return lines;
}
