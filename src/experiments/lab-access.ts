/**
 * What the experiments need from a backend, and nothing more: run a program in a node (to
 * read its addresses, to start the in-node runner) and the lab's health. The namespace
 * backend (src/backends/netns/lab-access.ts) and the Docker backend
 * (src/backends/docker/lab-access.ts) implement it, so that the experiments never import a
 * backend and `dslab run` takes one path whichever backend holds the lab.
 */
import type { RunOptions, RunResult } from '../util/run.js';

export interface LabServiceHealth {
  id: string;
  health: string;
}

export interface LabAccess {
  /** The lab's name. */
  readonly lab: string;
  /** The program and arguments that run `argv` inside `node`, non-interactively (stdin, stdout and stderr are pipes). */
  nodeCommand(node: string, argv: string[]): { file: string; args: string[] };
  /** Runs `argv` inside `node` and collects what it printed. */
  runInNode(node: string, argv: string[], options?: RunOptions): Promise<RunResult>;
  /** The in-node runner (src/experiments/in-node.ts) as the node starts it: its Node.js and the script. */
  runnerArgv(): string[];
  /** What the lab's services of one kind (e.g. `dhcpv6`) have logged so far, where the backend keeps their logs. */
  serviceLogs?(kind: string): Promise<Array<{ id: string; node: string; text: string }>>;
  /** The lab's health (`up` when complete and every service runs) and its services. */
  status(): Promise<{ health: string; services: LabServiceHealth[] }>;
}
