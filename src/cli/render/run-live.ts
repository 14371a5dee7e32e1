/**
 * The live view of `dslab run`: each check's line as it finishes (state, title, observed,
 * time), with a spinner naming what is still running during the seconds-long waits. On a
 * terminal the spinner line is redrawn in place; elsewhere only finished lines are printed.
 */
import { explanation } from '../../experiments/explain.js';
import { SECTIONS, SECTION_TITLES, type CheckResult, type NodeEvent, type RunPlan } from '../../experiments/types.js';
import { STATUS_MARK, durationText } from '../../reports/check-views.js';

const FRAMES = ['|', '/', '-', '\\'];

export interface LiveSink {
  write(text: string): void;
  isTTY: boolean;
}

export class LiveView {
  readonly #sink: LiveSink;
  readonly #explain: boolean;
  readonly #running = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;
  #frame = 0;
  #t0 = performance.now();
  #statusShown = false;

  constructor(sink: LiveSink, options: { explain?: boolean } = {}) {
    this.#sink = sink;
    this.#explain = Boolean(options.explain);
  }

  /**
   * The plan is known once the lab is resolved. The experiments overlap in time (the long
   * waits run beside the quick checks), so the explanations all come first, in order.
   */
  setPlan(plan: RunPlan): void {
    if (!this.#explain) return;
    for (const section of SECTIONS) {
      this.#print('');
      this.#print(`  ${SECTION_TITLES[section]}`);
      for (const l of explanation(section, plan)) this.#print(`    ${l}`);
    }
    this.#print('');
  }

  progress(message: string): void {
    this.#print(`  ... ${message}`);
  }

  event(e: NodeEvent): void {
    if (e.type === 'start') {
      this.#running.set(e.id, e.title);
      this.#startSpinner();
      this.#drawStatus();
    } else if (e.type === 'result') {
      this.#running.delete(e.result.id);
      this.#print(resultLine(e.result));
      if (this.#running.size === 0) this.#stopSpinner();
    }
  }

  stop(): void {
    this.#stopSpinner();
  }

  #print(line: string): void {
    this.#clearStatus();
    this.#sink.write(line + '\n');
    this.#drawStatus();
  }

  #startSpinner(): void {
    if (!this.#sink.isTTY || this.#timer) return;
    this.#timer = setInterval(() => {
      this.#frame++;
      this.#drawStatus();
    }, 100);
    this.#timer.unref();
  }

  #stopSpinner(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#clearStatus();
  }

  #clearStatus(): void {
    if (this.#statusShown) this.#sink.write('\r\x1b[K');
    this.#statusShown = false;
  }

  #drawStatus(): void {
    if (!this.#sink.isTTY || this.#running.size === 0) return;
    const names = [...this.#running.values()];
    const elapsed = ((performance.now() - this.#t0) / 1000).toFixed(1);
    const text = `  ${FRAMES[this.#frame % FRAMES.length]} ${elapsed} s  running: ${names.slice(0, 2).join('; ')}${names.length > 2 ? ` (+${names.length - 2})` : ''}`;
    const width = process.stdout.columns ?? 100;
    this.#clearStatus();
    this.#sink.write(text.slice(0, Math.max(20, width - 1)));
    this.#statusShown = true;
  }
}

export function resultLine(c: CheckResult): string {
  const why = c.status !== 'pass' && c.reason ? `  (${c.reason})` : '';
  return `  ${STATUS_MARK[c.status].padEnd(4)}  ${c.title}: ${c.observed}  [${durationText(c.durationMs)}]${why}`;
}
