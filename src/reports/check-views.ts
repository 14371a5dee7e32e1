/**
 * Shared views of checks for every renderer: status marks, the timeline of a race, and the
 * article-style summary rows.
 */
import type { CheckResult, CheckStatus } from '../experiments/types.js';
import { drawTimeline, lanesFromAttempts, lanesFromCurl } from './timeline.js';

export const STATUS_MARK: Record<CheckStatus, string> = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP', 'n/a': 'N/A' };

type Attempt = { address: string; family: number; startMs: number; endMs: number | null; outcome: string };

/** The race drawn as a timeline, for the checks that are races; undefined otherwise. */
export function timelineOf(check: CheckResult, marks: Array<{ atMs: number; label: string }> = []): string | undefined {
  const connect = check.data?.connect as { attempts?: Attempt[] } | undefined;
  if (connect?.attempts && connect.attempts.length > 1) return drawTimeline(lanesFromAttempts(connect.attempts), { marks });
  const tries = check.data?.tries as Array<{ address: string; atMs: number }> | undefined;
  if (tries && tries.length > 1) {
    return drawTimeline(lanesFromCurl(tries, check.data?.connected as { address: string; atMs: number } | undefined), { marks });
  }
  return undefined;
}

export function durationText(ms: number): string {
  return ms < 1 ? '<1 ms' : ms < 100 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** The delay or timeout a race is expected to wait, marked on its axis. */
export function marksFor(check: CheckResult, plan: { happyDelayMs: number; curlDelayMs: number; sequentialTimeoutMs: number }): Array<{ atMs: number; label: string }> {
  if (check.id === 'fallback.broken.happy') return [{ atMs: plan.happyDelayMs, label: 'Connection Attempt Delay' }];
  if (check.id === 'fallback.broken.curl') return [{ atMs: plan.curlDelayMs, label: "curl's delay" }];
  if (check.id === 'fallback.broken.sequential') return [{ atMs: plan.sequentialTimeoutMs, label: 'timeout' }];
  return [];
}
