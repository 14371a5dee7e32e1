/**
 * Text of `dslab down`, in the spirit of the article's stop.sh.
 */
import type { DownResult } from '../../backends/netns/down.js';

const RULE = '==========================================';

/** `othersUp`: labs still up afterwards, named (not touched) when nothing was removed, so that the user sees why. */
export function renderDown(results: readonly DownResult[], othersUp: readonly string[] = []): string[] {
  if (results.length === 0 || results.every((r) => !r.existed && r.warnings.length === 0)) {
    const names = results.map((r) => `"${r.lab}"`).join(', ');
    const others = othersUp.filter((l) => !results.some((r) => r.lab === l));
    return [
      `Nothing to remove: ${names ? `no lab ${names} is` : 'no lab is'} up.`,
      ...(others.length ? [`Other labs are up and were left alone: ${others.join(', ')} (remove one with "dslab down --lab NAME").`] : []),
    ];
  }
  const out: string[] = [];
  for (const r of results) {
    if (!r.existed && r.warnings.length === 0) {
      out.push(`Nothing to remove for lab "${r.lab}".`);
      continue;
    }
    out.push(RULE, `Stopping Dual Stack Lab "${r.lab}"...`, RULE, '', '### Stopping the lab ###');
    for (const s of r.services) out.push(` ✔ Service  ${s.id.padEnd(20)} ${s.wasRunning ? `Stopped (pid ${s.pid})` : 'Was not running'}`);
    if (r.strayProcesses.length > 0) out.push(` ✔ ${r.strayProcesses.length} other process(es) in the lab stopped (pids ${r.strayProcesses.join(', ')})`);
    for (const ns of r.namespaces) out.push(` ✔ Namespace ${ns.padEnd(19)} Removed`);
    if (r.etcDirs.length > 0) out.push(` ✔ ${r.mode === 'rootless' ? 'resolv.conf, hosts, nsswitch.conf' : '/etc/netns'} files of ${r.etcDirs.length} node(s) Removed`);
    if (r.keeper) out.push(' ✔ Rootless keeper Stopped');
    if (r.stateDir) out.push(' ✔ State folder Removed');
    for (const w of r.warnings) out.push(` ! ${w}`);
    const left = r.refused.length > 0 ? `; ${r.refused.length} process(es) the journal named were left running (see above)` : '';
    out.push('', RULE, `Lab "${r.lab}" stopped and cleaned up (${Math.round(r.ms)} ms)${left}.`, RULE);
  }
  return out;
}
