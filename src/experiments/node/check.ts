/**
 * Runs one check: announces it, times it, turns a missing tool into a skip with its reason
 * and an unexpected error into a failure that says what happened, and reports the result.
 */
import { isDslabError } from '../../errors.js';
import type { CheckResult, CheckStatus, CheckTool, NodeEvent, OutputSource, Section } from '../types.js';
import { findTool, missingToolReason } from './tools.js';

export interface CheckSpec {
  id: string;
  section: Section;
  title: string;
  tool: CheckTool;
  expectation: string;
  commands: string[];
}

export interface CheckOutcome {
  status: Exclude<CheckStatus, 'skip'> | 'skip';
  observed: string;
  reason?: string;
  output?: string;
  outputSource?: OutputSource;
  data?: Record<string, unknown>;
}

/** What the report keeps of curl's `-v` trace. */
export const CURL_EXCERPT = 'the first lines of its -v trace on stderr, data lines left out';

/** Output captured from a command this check ran. */
export function commandOutput(output: string, command: string, excerpt?: string): Pick<CheckOutcome, 'output' | 'outputSource'> {
  return { output, outputSource: { kind: 'command', command, ...(excerpt ? { excerpt } : {}) } };
}

/** dslab's own rendering of what its code observed (`what`: in words, e.g. "its HTTP GET"). */
export function dslabOutput(output: string, what: string): Pick<CheckOutcome, 'output' | 'outputSource'> {
  return { output, outputSource: { kind: 'dslab', what } };
}

export type Emit = (event: NodeEvent) => void;

/** The clock all checks share: ms since the experiments started. */
export class RunClock {
  readonly #t0 = performance.now();
  now(): number {
    return performance.now() - this.#t0;
  }
}

/** `pass` when `ok`, else `fail` with the reason. */
export function verdict(ok: boolean, observed: string, failReason: string, extra: Omit<CheckOutcome, 'status' | 'observed' | 'reason'> = {}): CheckOutcome {
  return ok ? { status: 'pass', observed, ...extra } : { status: 'fail', observed, reason: failReason, ...extra };
}

export function notApplicable(spec: CheckSpec, reason: string, clock: RunClock, emit: Emit): CheckResult {
  const result: CheckResult = { ...spec, observed: 'not applicable', status: 'n/a', reason, startMs: clock.now(), durationMs: 0 };
  emit({ type: 'result', result });
  return result;
}

export async function runCheck(spec: CheckSpec, clock: RunClock, emit: Emit, body: () => Promise<CheckOutcome>): Promise<CheckResult> {
  const startMs = clock.now();
  const base = { ...spec, startMs };
  if (spec.tool !== 'dslab' && !findTool(spec.tool)) {
    const result: CheckResult = { ...base, observed: 'not run', status: 'skip', reason: missingToolReason(spec.tool), durationMs: 0 };
    emit({ type: 'result', result });
    return result;
  }
  emit({ type: 'start', id: spec.id, section: spec.section, title: spec.title, tool: spec.tool, atMs: startMs });
  let outcome: CheckOutcome;
  try {
    outcome = await body();
  } catch (err) {
    if (isDslabError(err, 'DSLAB_E_TOOL_MISSING')) {
      outcome = { status: 'skip', observed: 'not run', reason: err.message };
    } else {
      const message = err instanceof Error ? err.message : String(err);
      outcome = { status: 'fail', observed: 'error', reason: message };
    }
  }
  const result: CheckResult = { ...base, ...outcome, durationMs: clock.now() - startMs };
  emit({ type: 'result', result });
  return result;
}

export function ms(value: number): string {
  return value < 10 ? `${value.toFixed(2)} ms` : value < 100 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;
}

/** `http://[fd00::10]/`, `http://172.30.0.10:8080/`, `http://name/`. */
export function urlFor(host: string, port: number, path = '/'): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return `http://${h}${port === 80 ? '' : `:${port}`}${path}`;
}

/** What a person types on the host to run `command` in a node of this lab. */
export function inNodeCommand(lab: string, node: string, command: string): string {
  return `dslab exec --lab ${lab} ${node} -- ${command}`;
}
