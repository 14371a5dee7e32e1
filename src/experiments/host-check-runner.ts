/**
 * The shared runner of the checks `dslab run` makes from the host through LabAccess after the
 * client's own experiments (the routing checks, the NAT64 checks): each planned check runs
 * after the other, an exception becomes a failed check, and every result is emitted at once.
 */
import type { Topology } from '../lab/topology.js';
import type { LabAccess } from './lab-access.js';
import { missingToolReason } from './node/tools.js';
import type { CheckResult, CheckTool, NodeEvent, RunPlan, Section } from './types.js';

/** What one check finds, without its id, section and times (the runner adds them). */
export type CheckBody = Omit<CheckResult, 'id' | 'section' | 'startMs' | 'durationMs'>;

/** One planned check: its id and how to run it. */
export interface PlannedCheck {
  id: string;
  run: () => Promise<CheckBody>;
}

/** What every host-side check gets: the lab, the plan and the backend's access to the nodes. */
export interface HostCheckContext {
  topology: Topology;
  plan: RunPlan;
  access: LabAccess;
  signal?: AbortSignal;
}

/** Runs `planned` one after another in `section` (startMs relative to `t0`, the experiments' start). */
export async function runPlannedChecks(section: Section, planned: readonly PlannedCheck[], emit: (e: NodeEvent) => void, t0: number): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const p of planned) {
    const start = performance.now();
    let body: CheckBody;
    try {
      body = await p.run();
    } catch (err) {
      body = { title: p.id, tool: 'dslab', expectation: 'the check runs', observed: 'error', status: 'fail', reason: (err as Error).message, commands: [] };
    }
    const result: CheckResult = { id: p.id, section, startMs: start - t0, durationMs: performance.now() - start, ...body };
    emit({ type: 'result', result });
    results.push(result);
  }
  return results;
}

/** A check that cannot run because a tool is missing. */
export function skippedCheck(title: string, tool: CheckTool, expectation: string, commands: string[], missing: string): CheckBody {
  return { title, tool, expectation, observed: 'not run', status: 'skip', reason: missingToolReason(missing), commands };
}
