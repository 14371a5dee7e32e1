/**
 * The experiments' runner inside the client node: reads a RunPlan (JSON) on stdin, runs every
 * check from there, and writes one JSON event per line on stdout (start, result, done) for
 * the host to draw the live view and build the report.
 */
import process from 'node:process';
import { text } from 'node:stream/consumers';
import type { NodeEvent, RunPlan } from './types.js';
import type { Emit } from './node/check.js';
import { runPlanInNode } from './node/schedule.js';

async function main(): Promise<void> {
  const plan = JSON.parse(await text(process.stdin)) as RunPlan;
  const emit: Emit = (e: NodeEvent) => {
    process.stdout.write(JSON.stringify(e) + '\n');
  };
  const t0 = performance.now();
  try {
    await runPlanInNode(plan, emit);
    emit({ type: 'done', wallMs: performance.now() - t0 });
  } catch (err) {
    emit({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    process.exitCode = 1;
  }
}

void main();
