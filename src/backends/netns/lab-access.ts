/**
 * The experiments' view of a namespace lab (src/experiments/lab-access.ts): programs run in
 * a node through `ip netns exec` (or the rootless holders), the runner with this machine's
 * Node.js, the health from the lab's journal and its processes.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabAccess } from '../../experiments/lab-access.js';
import { compiledSrcDir } from '../../util/package-root.js';
import { nodeCommand, runInNode } from './exec.js';
import { labStateDir, readState } from './state.js';
import { status } from './status.js';

export function netnsLabAccess(lab: string): LabAccess {
  return {
    lab,
    nodeCommand: (node, argv) => nodeCommand(lab, node, argv),
    runInNode: (node, argv, options) => runInNode(lab, node, argv, options),
    runnerArgv: () => [process.execPath, join(compiledSrcDir(), 'experiments', 'in-node.js')],
    status: async () => status(lab),
    serviceLogs: async (kind) =>
      Promise.all(
        (readState(lab)?.services ?? [])
          .filter((s) => s.kind === kind)
          .map(async (s) => ({ id: s.id, node: s.node, text: await readFile(join(labStateDir(lab), s.log), 'utf8').catch(() => '') })),
      ),
  };
}
