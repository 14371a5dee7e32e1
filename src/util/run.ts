/**
 * Runs external programs with argument arrays (never through a shell), checks exit codes,
 * and keeps what they printed for the error.
 */
import { execFile, spawn } from 'node:child_process';
import { constants } from 'node:os';
import { DslabError } from '../errors.js';

/** What a program printed on stdout and stderr, and its exit code. */
export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** How to run a program: text for its stdin, its environment (default: this process's), a timeout in ms (default none), and cancellation. */
export interface RunOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Resolve with the result instead of throwing on a non-zero exit. */
  allowFailure?: boolean;
  signal?: AbortSignal;
}

/** DSLAB_E_COMMAND_FAILED for `argv`, which exited with `result.code`: the message ends with what it printed. */
export function commandFailed(argv: readonly string[], result: RunResult, cause?: Error): DslabError {
  const detail = (result.stderr || result.stdout || cause?.message || 'no output').trim();
  return new DslabError('DSLAB_E_COMMAND_FAILED', `"${argv.join(' ')}" failed (exit ${result.code}): ${detail}`, {
    value: [...argv],
    hint: 'The message ends with what the program printed; "dslab doctor" checks the tools and privileges dslab needs.',
    ...(cause ? { cause } : {}),
    details: { stdout: result.stdout, stderr: result.stderr, code: result.code },
  });
}

export function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      {
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 0,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
        signal: options.signal,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof (error as NodeJS.ErrnoException).code === 'number' ? Number((error as NodeJS.ErrnoException).code) : (child.exitCode ?? 1)) : 0;
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(
            new DslabError('DSLAB_E_TOOL_MISSING', `The program "${file}" was not found.`, {
              value: file,
              hint: `Install it (see "dslab doctor"), then try again.`,
              cause: error,
            }),
          );
          return;
        }
        if (error && !options.allowFailure) {
          reject(commandFailed([file, ...args], { stdout, stderr, code }, error));
          return;
        }
        resolve({ stdout, stderr, code });
      },
    );
    if (options.input !== undefined) {
      // a program that exits before reading its input makes the write fail (EPIPE); its exit status says why
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(options.input);
    }
  });
}

/** Runs a program with the terminal attached (for `exec` and `shell`); resolves with its exit code. */
export function runInteractive(file: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: 'inherit', env: env ?? process.env });
    child.on('error', reject);
    // killed by a signal: the shell's convention, 128 + the signal's number
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1)));
  });
}
