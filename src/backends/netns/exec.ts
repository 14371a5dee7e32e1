/**
 * Running programs inside a node, like `docker exec`: with the node's network namespace and
 * its own resolv.conf, hosts and nsswitch.conf (`ip netns exec` bind-mounts them), as root
 * directly and rootless through the lab's keeper.
 */
import { DslabError } from '../../errors.js';
import { nodeNamespace } from '../../lab/names.js';
import { run, type RunOptions, type RunResult } from '../../util/run.js';
import { rootAccess, rootlessAccess, type Access } from './access.js';
import { labStateDir, requireState, type LabState } from './state.js';

export function accessOf(state: LabState): Access {
  return state.mode === 'rootless' ? rootlessAccess(labStateDir(state.lab), state.holders ?? {}) : rootAccess;
}

/** The program and arguments that run `argv` inside `node` of `lab`. */
export function nodeCommand(lab: string, node: string, argv: string[]): { file: string; args: string[] } {
  const state = requireState(lab);
  if (!state.topology.nodes.some((n) => n.name === node)) {
    const names = state.topology.nodes.map((n) => n.name).join(', ');
    throw new DslabError('DSLAB_E_NODE_NOT_FOUND', `The lab "${lab}" has no node "${node}".`, {
      field: 'node',
      value: node,
      hint: `Use one of: ${names}.`,
    });
  }
  if (argv.length === 0) {
    throw new DslabError('DSLAB_E_USAGE', 'No command given to run in the node.', { field: 'argv', hint: 'Give the program and its arguments, e.g. ["curl", "-4", "http://172.30.0.10/"].' });
  }
  return accessOf(state).inNs(nodeNamespace(lab, node), ['env', ...PROXY_VARIABLES.flatMap((v) => ['-u', v]), '--', ...argv], true);
}

/**
 * Proxy settings are dropped for programs inside a node: nothing outside the lab can be
 * reached from it, so a proxy of the machine's (http_proxy in a corporate shell, say) would
 * only turn `curl http://172.30.0.10/` into a failed connection to that proxy. A container
 * does not inherit them either.
 */
export const PROXY_VARIABLES = ['http_proxy', 'https_proxy', 'ftp_proxy', 'all_proxy', 'no_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'ALL_PROXY', 'NO_PROXY'];

/** Runs `argv` inside `node` and collects its output (throws on non-zero exit unless `allowFailure`). */
export function runInNode(lab: string, node: string, argv: string[], options: RunOptions = {}): Promise<RunResult> {
  const { file, args } = nodeCommand(lab, node, argv);
  return run(file, args, options);
}
