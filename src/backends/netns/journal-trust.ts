/**
 * The journal is data from disk, so `down` checks what it names before acting on it: every
 * PID must be alive with the recorded start time, run as the current user and carry this
 * lab's mark (`DSLAB_HOLDER=<state folder>` in its environment; for a service, the state
 * folder on its command line does too); holders must be `sleep`. Namespace and /etc folder
 * names must be the lab's own. What fails is left alone and reported, never signalled or
 * removed.
 */
import { join } from 'node:path';
import { NODE_NAME } from '../../lab/rules.js';
import { SWITCH_SUFFIX } from '../../lab/names.js';
import { currentUid, ownerText } from '../../util/private-fs.js';
import { ETC_NETNS, type Mode } from './access.js';
import { HOLDER_ENV, hasLabMarker } from './keeper.js';
import { isAlive, procArgv, procComm, procUid, type ProcRef } from './proc.js';
import type { DelayerRecord, LabState, ServiceRecord } from './state.js';

/** A process the journal names that `down` will not signal, with what the journal calls it and why it is not the lab's. */
export interface Refusal {
  pid: number;
  /** What the journal says it is: `keeper`, `holder of <ns>`, `service <id>`. */
  what: string;
  reason: string;
}

/** Why a live journaled process (keeper, holder, service or fault delayer) is not one this lab started (undefined: it is, or it is gone). */
export function whyNotOurs(ref: ProcRef, stateDir: string, kind: 'holder' | 'service'): string | undefined {
  if (!isAlive(ref)) return undefined; // nothing to signal
  const uid = procUid(ref.pid);
  if (uid === undefined) return 'it could not be inspected (/proc/PID/status is not readable)';
  if (uid !== currentUid()) return `it runs as ${ownerText(uid)}, not as you (${ownerText(currentUid())})`;
  if (kind === 'holder') {
    const comm = procComm(ref.pid);
    if (comm !== 'sleep') return `it runs "${comm ?? '?'}", not a namespace holder ("sleep")`;
    if (!hasLabMarker(ref.pid, stateDir)) return `it does not carry ${HOLDER_ENV}=${stateDir} in its environment`;
    return undefined;
  }
  if (hasLabMarker(ref.pid, stateDir)) return undefined;
  const argv = procArgv(ref.pid) ?? [];
  if (argv.some((a) => a === stateDir || a.startsWith(`${stateDir}/`))) return undefined;
  return `it carries no mark of this lab (neither ${HOLDER_ENV}=${stateDir} in its environment nor ${stateDir} on its command line)`;
}

/** True when `ns` is a namespace name of `lab` (`<lab>-<node>` or `<lab>-sw`). */
export function isLabNamespace(lab: string, ns: string): boolean {
  if (!ns.startsWith(`${lab}-`)) return false;
  const rest = ns.slice(lab.length + 1);
  return rest === SWITCH_SUFFIX || NODE_NAME.test(rest);
}

export interface VettedJournal {
  namespaces: string[];
  etcDirs: string[];
  /** Services whose process (if alive) is the lab's; the others are in `refused`. */
  services: ServiceRecord[];
  /** Fault delayers whose process (if alive) is the lab's. */
  delayers: DelayerRecord[];
  keeper?: ProcRef;
  holders: Record<string, ProcRef>;
  refused: Refusal[];
  /** Entries ignored because they are not the lab's own names. */
  warnings: string[];
}

/** What of the journal `down` may act on, and what it must leave alone (with the reason). */
export function vetJournal(lab: string, state: LabState | undefined, mode: Mode, stateDir: string): VettedJournal {
  const refused: Refusal[] = [];
  const warnings: string[] = [];
  const ok = (ref: ProcRef, what: string, kind: 'holder' | 'service'): boolean => {
    const reason = whyNotOurs(ref, stateDir, kind);
    if (reason) refused.push({ pid: ref.pid, what, reason });
    return reason === undefined;
  };
  const namespaces = (state?.namespaces ?? []).filter((ns) => {
    if (isLabNamespace(lab, ns)) return true;
    warnings.push(`The journal names the namespace ${JSON.stringify(ns)}, which is not a name of lab "${lab}": left alone.`);
    return false;
  });
  const etcBase = mode === 'root' ? ETC_NETNS : join(stateDir, 'etc');
  const etcDirs = (state?.etcDirs ?? []).filter((dir) => {
    const ns = dir.startsWith(`${etcBase}/`) ? dir.slice(etcBase.length + 1) : '';
    if (isLabNamespace(lab, ns)) return true;
    warnings.push(`The journal names the folder ${JSON.stringify(dir)}, which is not an /etc folder of lab "${lab}": left alone.`);
    return false;
  });
  const services = (state?.services ?? []).filter((s) => !s.proc || ok(s.proc, `service ${s.id}`, 'service'));
  const delayers = (state?.delayers ?? []).filter((d) => !d.proc || ok(d.proc, `delayer of ${d.id}`, 'service'));
  const keeper = state?.keeper && ok(state.keeper, 'keeper', 'holder') ? state.keeper : undefined;
  const holders: Record<string, ProcRef> = {};
  for (const [ns, ref] of Object.entries(state?.holders ?? {})) {
    if (!isLabNamespace(lab, ns)) {
      warnings.push(`The journal names a holder for ${JSON.stringify(ns)}, which is not a namespace of lab "${lab}": left alone.`);
      continue;
    }
    if (ok(ref, `holder of ${ns}`, 'holder')) holders[ns] = ref;
  }
  return { namespaces, etcDirs, services, delayers, ...(keeper ? { keeper } : {}), holders, refused, warnings };
}
