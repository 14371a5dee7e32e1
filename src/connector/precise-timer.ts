/**
 * A timer that fires at the due time to within a fraction of a millisecond. libuv timers
 * have millisecond granularity and fire up to ~1 ms late; the Connection Attempt Delay is a
 * figure users measure, so the last millisecond is waited out with setImmediate turns (which
 * keep polling I/O, so nothing else is held up).
 */
import { performance } from 'node:perf_hooks';

export interface PreciseTimer {
  cancel(): void;
}

const EARLY_MS = 1;

export function preciseTimeout(fn: () => void, ms: number): PreciseTimer {
  const due = performance.now() + ms;
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  let cancelled = false;
  const check = (): void => {
    timer = undefined;
    immediate = undefined;
    if (cancelled) return;
    if (performance.now() >= due) fn();
    else immediate = setImmediate(check);
  };
  if (ms > EARLY_MS) timer = setTimeout(check, ms - EARLY_MS);
  else immediate = setImmediate(check);
  return {
    cancel: () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
      if (immediate) clearImmediate(immediate);
      timer = immediate = undefined;
    },
  };
}
