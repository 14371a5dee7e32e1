/**
 * An append-only log file written in batches: lines queue in memory and go out in one
 * write per turn of the event loop, so that logging every query costs little at tens of
 * thousands of queries per second. `close()` writes what is left.
 */
import { open, type FileHandle } from 'node:fs/promises';

export class LogSink {
  readonly #file: FileHandle;
  #queue: string[] = [];
  #flushing: Promise<void> | undefined;
  #scheduled = false;

  private constructor(file: FileHandle) {
    this.#file = file;
  }

  static async open(path: string): Promise<LogSink> {
    return new LogSink(await open(path, 'a'));
  }

  /** Queues one line (without newline). */
  write(line: string): void {
    this.#queue.push(line);
    if (!this.#scheduled && !this.#flushing) {
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        void this.flush();
      });
    }
  }

  /** Writes everything queued so far; resolves when it is in the file. */
  flush(): Promise<void> {
    this.#flushing ??= this.#drain().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const text = this.#queue.join('\n') + '\n';
      this.#queue = [];
      await this.#file.write(text);
    }
  }

  async close(): Promise<void> {
    await this.flush();
    await this.#file.close();
  }
}
