/**
 * Turns Ctrl-C (and SIGTERM, SIGHUP) into an AbortSignal, so that a command that creates
 * things (`up`, `run`) removes what it made before it exits instead of dying half-way.
 */
import process from 'node:process';
import { stdio } from './context.js';

export interface SignalAbort {
  signal: AbortSignal;
  /** Stops listening (call it when the command is done). */
  dispose: () => void;
}

/**
 * `doing` says on stderr what happens after a signal (`removing what was created so far`).
 * `onClosedStdout` also aborts when stdout's reader goes away (`dslab run | head`), so that
 * the command stops cleanly rather than carrying on with nobody reading.
 */
export function abortOnSignals(doing: string, options: { onClosedStdout?: boolean } = {}): SignalAbort {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    if (!controller.signal.aborted) stdio.err(`\nReceived ${sig}: ${doing}...`);
    controller.abort();
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  const onStdoutError = (err: NodeJS.ErrnoException): void => {
    if (err.code === 'EPIPE' && !controller.signal.aborted) controller.abort();
  };
  if (options.onClosedStdout) process.stdout.on('error', onStdoutError);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const s of signals) process.off(s, onSignal);
      process.stdout.off('error', onStdoutError);
    },
  };
}
