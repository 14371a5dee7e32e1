/**
 * Shared views of checks for every renderer: status marks, the race of a check (drawn as a
 * text timeline or an SVG picture), and the article-style summary rows.
 */
import type { CheckResult, CheckStatus, RunPlan } from '../experiments/types.js';
import { raceFromConnect, raceFromCurl, type ConnectLike, type Race } from './race.js';
import { drawTimeline } from './timeline.js';

export const STATUS_MARK: Record<CheckStatus, string> = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP', 'n/a': 'N/A' };

type PlanTimes = Pick<RunPlan, 'happyDelayMs' | 'curlDelayMs' | 'sequentialTimeoutMs'> & Partial<Pick<RunPlan, 'ok' | 'broken' | 'web'>>;

/** The name a check connected to: its id says which of the plan's names (`dns.ok.*`, `fallback.broken.*`). */
function hostOf(check: CheckResult, plan: PlanTimes): string {
  const key = check.id.split('.')[1];
  return (key === 'ok' ? plan.ok?.name : key === 'broken' ? plan.broken?.name : undefined) ?? '(unknown host)';
}

/** The race a check observed, for the checks that are races (more than one attempt); undefined otherwise. */
export function raceOf(check: CheckResult, plan: PlanTimes): Race | undefined {
  const connect = check.data?.connect as ConnectLike | undefined;
  if (connect?.attempts && connect.attempts.length > 1) {
    return raceFromConnect({ ...connect, trace: connect.trace ?? [] }, { attemptTimeoutMs: plan.sequentialTimeoutMs });
  }
  const tries = check.data?.tries as Array<{ address: string; atMs: number }> | undefined;
  if (tries && tries.length > 1) {
    const bothFamilies = tries.some((t) => t.address.includes(':')) && tries.some((t) => !t.address.includes(':'));
    return raceFromCurl(hostOf(check, plan), plan.web?.port, tries, check.data?.connected as { address: string; atMs: number } | undefined, bothFamilies ? plan.curlDelayMs : undefined);
  }
  return undefined;
}

/** The race drawn as a text timeline, with the delay or timeout it waits marked where it ends (as the SVG draws it); undefined for checks that are not races. */
export function timelineOf(check: CheckResult, plan: PlanTimes): string | undefined {
  const race = raceOf(check, plan);
  return race ? drawTimeline(race.lanes, { marks: race.marks }) : undefined;
}

export function durationText(ms: number): string {
  return ms < 1 ? '<1 ms' : ms < 100 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/**
 * The file name of a check's race picture: the article's three fallback clients by their
 * name (`<lab>-race-happy.svg`, `-sequential`, `-curl`), any other race by its check id.
 */
export function raceFileName(lab: string, check: CheckResult): string {
  const m = /^fallback\.broken\.([\w-]+)$/.exec(check.id);
  const client = m ? m[1]! : check.id.replace(/[^\w-]+/g, '-');
  return `${lab}-race-${client}.svg`;
}

/** Says who printed the block: the command that ran (its exact line), or dslab's own rendering. */
export function outputHeading(c: CheckResult): string {
  const src = c.outputSource;
  if (src?.kind === 'command') return `Output of \`${src.command}\`, run by this check${src.excerpt ? ` (${src.excerpt})` : ''}:`;
  if (src?.kind === 'dslab') return `dslab's own rendering, not a command's output: ${src.what}:`;
  return "Output (dslab's rendering):";
}
