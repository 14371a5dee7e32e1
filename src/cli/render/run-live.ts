/**
 * The live view of `dslab run`: the checks of each experiment under its heading (with the
 * learner's explanation first under --explain), each line saying the check's state, what was
 * observed and how long it took; and a progress indicator while checks are still running.
 *
 * The checks overlap in time (the long waits run beside the quick ones), so a result of a
 * later experiment is held until the experiments before it are complete: the screen reads
 * in the article's order. On a terminal the progress line (spinner, elapsed time, what is
 * running, how many are done) is redrawn in place; elsewhere (a pipe, a CI log) a plain
 * "still running" line is printed once a second while something runs, and nothing else
 * is ever rewritten.
 */
import { explanation } from '../../experiments/explain.js';
import { SECTIONS, SECTION_TITLES, type CheckResult, type NodeEvent, type RunPlan, type Section } from '../../experiments/types.js';
import { STATUS_MARK, durationText } from '../../reports/check-views.js';

const FRAMES = ['|', '/', '-', '\\'];

export interface LiveSink {
  write(text: string): void;
  isTTY: boolean;
  /** Terminal width, to keep the progress line on one row. */
  columns?: number;
}

export interface LiveOptions {
  explain?: boolean;
  /** How often the progress indicator updates: default 100 ms on a terminal, 1000 ms otherwise. */
  tickMs?: number;
}

export class LiveView {
  readonly #sink: LiveSink;
  readonly #explain: boolean;
  readonly #tickMs: number;
  readonly #running = new Map<string, string>();
  readonly #held = new Map<Section, CheckResult[]>();
  readonly #finished = new Map<Section, number>();
  readonly #headed = new Set<Section>();
  #plan: RunPlan | undefined;
  #counts: Partial<Record<Section, number>> | undefined;
  #current = 0;
  #timer: NodeJS.Timeout | undefined;
  #frame = 0;
  #t0 = performance.now();
  #lastPrint = performance.now();
  #statusShown = false;

  constructor(sink: LiveSink, options: LiveOptions = {}) {
    this.#sink = sink;
    this.#explain = Boolean(options.explain);
    this.#tickMs = options.tickMs ?? (sink.isTTY ? 100 : 1000);
  }

  /** The plan is known once the lab is resolved; the explanations are drawn from it. */
  setPlan(plan: RunPlan): void {
    this.#plan = plan;
  }

  progress(message: string): void {
    this.#print(`  ... ${message}`);
  }

  event(e: NodeEvent): void {
    if (e.type === 'expect') {
      this.#counts = e.counts;
      this.#advance();
    } else if (e.type === 'start') {
      this.#running.set(e.id, e.title);
      this.#startTicking();
      this.#drawStatus();
    } else if (e.type === 'result') {
      this.#running.delete(e.result.id);
      const s = e.result.section;
      this.#held.set(s, [...(this.#held.get(s) ?? []), e.result]);
      this.#finished.set(s, (this.#finished.get(s) ?? 0) + 1);
      this.#advance();
      if (this.#running.size === 0) this.#stopTicking();
      else this.#drawStatus();
    } else if (e.type === 'done') {
      this.#flushAll();
    }
  }

  /** Prints whatever is still held (a run that ended early) and stops the indicator. */
  stop(): void {
    this.#flushAll();
    this.#stopTicking();
  }

  /** Prints every section whose turn has come, in order, up to the first incomplete one. */
  #advance(): void {
    if (!this.#counts) return;
    while (this.#current < SECTIONS.length) {
      const s = SECTIONS[this.#current]!;
      const want = this.#counts[s] ?? 0;
      if (want > 0 || this.#held.has(s)) this.#flushSection(s);
      if ((this.#finished.get(s) ?? 0) < want) break;
      this.#current++;
    }
  }

  #flushAll(): void {
    for (const s of SECTIONS) if (this.#held.get(s)?.length) this.#flushSection(s);
  }

  #flushSection(s: Section): void {
    if (!this.#headed.has(s)) {
      this.#headed.add(s);
      this.#print('');
      this.#print(`  ${SECTION_TITLES[s]}`);
      if (this.#explain && this.#plan) for (const l of explanation(s, this.#plan)) this.#print(`    ${l}`);
      if (this.#explain) this.#print('');
    }
    for (const r of this.#held.get(s) ?? []) this.#print(resultLine(r));
    this.#held.set(s, []);
  }

  #print(line: string): void {
    this.#clearStatus();
    this.#sink.write(line + '\n');
    this.#lastPrint = performance.now();
    this.#drawStatus();
  }

  #startTicking(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.#tick(), this.#tickMs);
    this.#timer.unref();
  }

  #tick(): void {
    this.#frame++;
    if (this.#sink.isTTY) {
      this.#drawStatus();
      return;
    }
    // plain output: one line per tick of silence while something is still running
    if (this.#running.size > 0 && performance.now() - this.#lastPrint >= this.#tickMs * 0.9) this.#print(`  ... ${this.#statusText()}`);
  }

  #stopTicking(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#clearStatus();
  }

  #statusText(): string {
    const names = [...this.#running.values()];
    const elapsed = ((performance.now() - this.#t0) / 1000).toFixed(1);
    const done = [...this.#finished.values()].reduce((a, b) => a + b, 0);
    const total = this.#counts ? Object.values(this.#counts).reduce((a, b) => a + (b ?? 0), 0) : undefined;
    const count = total ? `${done}/${total} done, ` : '';
    return `${elapsed} s, ${count}running: ${names.slice(0, 2).join('; ')}${names.length > 2 ? ` (+${names.length - 2})` : ''}`;
  }

  #clearStatus(): void {
    if (this.#statusShown) this.#sink.write('\r\x1b[K');
    this.#statusShown = false;
  }

  #drawStatus(): void {
    if (!this.#sink.isTTY || this.#running.size === 0) return;
    const text = `  ${FRAMES[this.#frame % FRAMES.length]} ${this.#statusText()}`;
    const width = this.#sink.columns ?? 100;
    this.#clearStatus();
    this.#sink.write(text.slice(0, Math.max(20, width - 1)));
    this.#statusShown = true;
  }
}

export function resultLine(c: CheckResult): string {
  const why = c.status !== 'pass' && c.reason ? `  (${c.reason})` : '';
  return `  ${STATUS_MARK[c.status].padEnd(4)}  ${c.title}: ${c.observed}  [${durationText(c.durationMs)}]${why}`;
}
