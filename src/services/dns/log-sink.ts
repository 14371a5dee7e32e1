/**
 * An append-only log file written in batches: lines queue in memory and go out in one
 * write per turn of the event loop, so that logging every query costs little at tens of
 * thousands of queries per second. `close()` writes what is left.
 */
import { open, type FileHandle } from 'node:fs/promises';
import process from 'node:process';

export class LogSink {
  readonly #file: FileHandle;
  #queue: string[] = [];
  #flushing: Promise<void> | undefined;
  #scheduled = false;
  #lost = 0;
  #warned = false;

  private constructor(file: FileHandle) {
    this.#file = file;
  }

  static async open(path: string): Promise<LogSink> {
    return new LogSink(await open(path, 'a', 0o600));
  }

  /** Queues one line (without newline). */
  write(line: string): void {
    this.#queue.push(line);
    if (!this.#scheduled && !this.#flushing) {
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        this.flush().catch(() => {
          // reported in #drain; a full disk must not stop the server answering
        });
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
      const lines = this.#queue;
      this.#queue = [];
      try {
        await this.#file.write(lines.join('\n') + '\n');
      } catch (err) {
        this.#lost += lines.length;
        if (!this.#warned) {
          this.#warned = true;
          process.stderr.write(`dslab: cannot write the log (${(err as Error).message}); log lines are being lost. Free space on the disk or check the log file.\n`);
        }
      }
    }
  }

  /** Lines that could not be written. */
  get lost(): number {
    return this.#lost;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.#file.close();
  }
}
