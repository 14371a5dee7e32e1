/**
 * Starts the in-node runner inside the client node, hands it the plan on stdin, and turns
 * the JSON lines it prints into events as they come (for the live view) and into results.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DslabError } from '../errors.js';
import { compiledSrcDir } from '../util/package-root.js';
import type { LabAccess } from './lab-access.js';
import type { CheckResult, NodeEvent, RunPlan } from './types.js';

export interface InNodeOptions {
  onEvent?: (event: NodeEvent) => void;
  signal?: AbortSignal;
  /** Runs the runner this way (`dslab run --here`: in this namespace) instead of in the lab's client node. */
  command?: { file: string; args: string[] };
}

export function inNodeScript(): string {
  return join(compiledSrcDir(), 'experiments', 'in-node.js');
}

/** Runs the plan in its client node, reached through `access` (or `options.command`). */
export function runInClient(plan: RunPlan, access: LabAccess | undefined, options: InNodeOptions = {}): Promise<{ results: CheckResult[]; wallMs: number }> {
  const command = options.command ?? access?.nodeCommand(plan.client.name, access.runnerArgv());
  if (!command) throw new Error('runInClient needs a lab access or a command');
  const { file, args } = command;
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], ...(options.signal ? { signal: options.signal } : {}) });
    const results: CheckResult[] = [];
    let wallMs = 0;
    let failure: string | undefined;
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => {
      if (stderr.length < 16_384) stderr += c;
    });
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      let event: NodeEvent;
      try {
        event = JSON.parse(line) as NodeEvent;
      } catch {
        return; // not ours (a stray print): ignore rather than lose the run
      }
      if (event.type === 'result') results.push(event.result);
      else if (event.type === 'done') wallMs = event.wallMs;
      else if (event.type === 'error') failure = event.message;
      options.onEvent?.(event);
    });
    const interrupted = () => new DslabError('DSLAB_E_INTERRUPTED', 'The run was interrupted.', { hint: 'Run it again; a lab this run brought up has been taken down.' });
    // an abort kills the child and surfaces first as its 'error' (an AbortError): report it as the interruption it is
    child.on('error', (err) => reject(options.signal?.aborted ? interrupted() : err));
    child.on('close', (code, sig) => {
      if (options.signal?.aborted) {
        reject(interrupted());
        return;
      }
      if (code !== 0 || failure) {
        reject(
          new DslabError('DSLAB_E_RUN_FAILED', `The experiments stopped inside the ${plan.client.name} node: ${failure ?? `exit ${code ?? sig}`}.`, {
            value: [file, ...args],
            hint: 'This is a bug in dslab; please report it with the output below.',
            details: { stderr: stderr.trim() },
          }),
        );
        return;
      }
      resolve({ results, wallMs });
    });
    child.stdin.end(JSON.stringify(plan));
  });
}
