/**
 * What `dslab up|down|status|exec --backend docker` do once the command has parsed its
 * options: call the Docker backend (src/backends/docker) and print its result as text
 * (start.sh's output) or JSON. CLI code: the backend returns data and never prints. The
 * namespace commands branch here with one line, so their own code stays theirs.
 */
import { DslabError } from '../errors.js';
import { printJson, stdio, type Output } from './context.js';
import { runInteractive } from '../util/run.js';
import type { DockerDownResult, DockerStatusResult, DockerUpResult } from '../backends/docker/backend.js';

/** True for `--backend docker`; rejects unknown backends with the field and the choices. */
export function isDockerBackend(backend: string | undefined): boolean {
  if (backend === undefined || backend === 'netns' || backend === 'namespaces') return false;
  if (backend === 'docker') return true;
  throw new DslabError('DSLAB_E_BAD_OPTION', `"${backend}" is not a backend.`, {
    field: 'backend',
    value: backend,
    hint: 'Use --backend netns (network namespaces, the default) or --backend docker (Docker Compose).',
  });
}

export function renderDockerUp(r: DockerUpResult): string[] {
  const lines = [`Docker lab ${r.lab} is up (project ${r.project}, ${r.compose}, engine ${r.engine}).`, ''];
  for (const c of r.ipv6) lines.push(`IPv6 is ${c.enabled ? 'ENABLED' : 'DISABLED'} on ${c.network} network (${c.detail})`);
  lines.push('', 'Container IP addresses:');
  const w = Math.max(...r.containers.map((c) => c.container.length));
  for (const c of r.containers) lines.push(`  ${c.container.padEnd(w)}  IPv4: ${(c.ipv4 ?? '-').padEnd(15)}  IPv6: ${c.ipv6 ?? '-'}`);
  lines.push('', 'Next steps:', ...r.nextSteps.map((s) => `  ${s}`));
  return lines;
}

export async function dockerUpAction(lab: string | undefined, opts: { name?: string; json?: boolean; corefile?: string }, output: Output = stdio): Promise<void> {
  const [{ loadLab, labPath }, { dockerUp }, { checkLabName }] = await Promise.all([
    import('../lab/load.js'),
    import('../backends/docker/backend.js'),
    import('../backends/netns/lab-name.js'),
  ]);
  // the same resolver as the namespace backend: a file, or an example's name ("big")
  let topology = await loadLab(labPath(lab));
  if (opts.name !== undefined) topology.name = checkLabName(opts.name, '--name');
  let labText: string | undefined;
  if (opts.corefile !== undefined) {
    const { applyCorefile } = await import('../services/dns/corefile-lab.js');
    const applied = await applyCorefile(topology, opts.corefile);
    for (const w of applied.warnings) output.err(`  ... ${w}`);
    topology = applied.topology;
    labText = applied.labText;
  }
  const { abortOnSignals } = await import('./abort-on-signals.js');
  const abort = abortOnSignals('removing the containers created so far');
  let result: Awaited<ReturnType<typeof dockerUp>>;
  try {
    result = await dockerUp(topology, { onProgress: opts.json ? undefined : (m) => output.err(`  ... ${m}`), signal: abort.signal, ...(labText !== undefined ? { labText } : {}) });
  } finally {
    abort.dispose();
  }
  if (opts.json) printJson(output, result);
  else for (const line of renderDockerUp(result)) output.out(line);
}

export async function dockerDownAction(opts: { lab?: string; all?: boolean; json?: boolean }, output: Output = stdio): Promise<DockerDownResult[]> {
  const [{ dockerDown, resolveDockerLab }, { listDockerStates }] = await Promise.all([import('../backends/docker/backend.js'), import('../backends/docker/state.js')]);
  const results: DockerDownResult[] = [];
  if (opts.all) {
    for (const s of await listDockerStates()) results.push(await dockerDown(s.lab, s.project));
  } else {
    results.push(await dockerDown(await resolveDockerLab(opts.lab)));
  }
  if (opts.json) printJson(output, opts.all ? { labs: results } : results[0]);
  else if (results.length === 0) output.out('Nothing to remove: no Docker lab is up.');
  for (const result of opts.json ? [] : results) {
    if (result.removed) output.out(`Docker lab ${result.lab} removed (containers, network and volumes of project ${result.project}).`);
    else output.out(`Nothing to remove: no Docker lab "${result.lab}" is up.`);
  }
  return results;
}

export async function dockerStatusAction(opts: { lab?: string; json?: boolean }, output: Output = stdio): Promise<DockerStatusResult> {
  const { dockerStatus, resolveDockerLab } = await import('../backends/docker/backend.js');
  const result = await dockerStatus(await resolveDockerLab(opts.lab));
  if (opts.json) printJson(output, result);
  else {
    output.out(`Docker lab ${result.lab} (project ${result.project}):`);
    if (result.containers.length === 0) output.out('  no containers: start it with "dslab up --backend docker"');
    for (const c of result.containers) output.out(`  ${c.name.padEnd(16)} ${c.state}`);
  }
  return result;
}

/** Runs argv in the node's container through `docker exec`; resolves with its exit code. */
export async function dockerExecAction(node: string, argv: string[], opts: { lab?: string }): Promise<number> {
  const [{ dockerExecArgs, resolveDockerLab }, { dockerFile }] = await Promise.all([import('../backends/docker/backend.js'), import('../backends/docker/tools.js')]);
  const args = await dockerExecArgs(await resolveDockerLab(opts.lab), node, argv, Boolean(process.stdin.isTTY && process.stdout.isTTY));
  return runInteractive(dockerFile(), args);
}
