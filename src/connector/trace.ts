/**
 * The trace of one connection: every step as an event stamped with milliseconds since the
 * call began, from performance.now() (monotonic, sub-millisecond).
 */
import { performance } from 'node:perf_hooks';
import type { TraceEvent } from './types.js';

export class Trace {
  readonly events: TraceEvent[] = [];
  readonly #t0: number;

  constructor(t0 = performance.now()) {
    this.#t0 = t0;
  }

  /** ms since the start, rounded to microseconds. */
  now(): number {
    return round(performance.now() - this.#t0);
  }

  add(event: Omit<TraceEvent, 't'>): TraceEvent {
    const e = { t: this.now(), ...event } as TraceEvent;
    this.events.push(e);
    return e;
  }
}

export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
