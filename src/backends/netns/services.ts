/**
 * The lab's services (the DNS server in each dns node, the web server or nginx in each web
 * node): which run where, starting one inside its node and waiting for its `ready` line,
 * and telling whether a recorded one still runs. PIDs are journaled the moment they exist.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { DslabError } from '../../errors.js';
import { nodeNamespace } from '../../lab/names.js';
import type { Node, Topology } from '../../lab/topology.js';
import { compiledSrcDir } from '../../util/package-root.js';
import type { Access } from './access.js';
import { isAlive, procRef, type ProcRef } from './proc.js';
import { serviceFamily, type ServiceKind, type ServiceRecord } from './state.js';

const READY_TIMEOUT_MS = 10_000;

/** One service per dns node and per web node; ids are `dns`/`web` unless a kind repeats. */
export function planServices(topology: Topology): ServiceRecord[] {
  const wanted: Array<{ kind: ServiceKind; node: Node }> = [];
  for (const node of topology.nodes) {
    if (node.role === 'dns') wanted.push({ kind: 'dns', node });
    if (node.web) wanted.push({ kind: node.web.server === 'nginx' ? 'nginx' : 'web', node });
  }
  return wanted.map(({ kind, node }) => {
    const several = wanted.filter((w) => serviceFamily(w.kind) === serviceFamily(kind)).length > 1;
    const id = several ? `${serviceFamily(kind)}-${node.name}` : serviceFamily(kind);
    return { id, kind, node: node.name, log: `${id}.log` };
  });
}

export interface StartedService {
  record: ServiceRecord;
  proc: ProcRef;
  ms: number;
}

/** argv (inside the node) of a service, after writing its config into the state folder. */
async function serviceArgv(record: ServiceRecord, topology: Topology, stateDir: string): Promise<string[]> {
  const node = topology.nodes.find((n) => n.name === record.node)!;
  const log = join(stateDir, record.log);
  if (record.kind === 'dns') {
    const { buildDnsConfig } = await import('../../services/dns/config.js');
    const file = join(stateDir, `${record.id}.json`);
    writeFileSync(file, JSON.stringify(buildDnsConfig(topology, node)) + '\n');
    return [process.execPath, join(compiledSrcDir(), 'services/dns/main.js'), '--config', file, '--log', log];
  }
  if (record.kind === 'web') {
    const { buildWebConfig } = await import('../../services/web/config.js');
    const file = join(stateDir, `${record.id}.json`);
    writeFileSync(file, JSON.stringify(buildWebConfig(topology, node, stateDir)) + '\n');
    return [process.execPath, join(compiledSrcDir(), 'services/web/main.js'), '--config', file, '--log', log];
  }
  return nginxArgv(record, topology, node, stateDir);
}

/** nginx runs under src/services/web/nginx-main.js, which speaks the ready protocol for it. */
async function nginxArgv(record: ServiceRecord, topology: Topology, node: Node, stateDir: string): Promise<string[]> {
  const { prepareNginx } = await import('../../services/web/nginx.js');
  return prepareNginx(topology, node, stateDir, join(stateDir, record.log));
}

/**
 * Starts one service inside its node and resolves once it printed `ready`. `onSpawn` is
 * called with the process reference before anything is awaited, so the journal has it
 * even if we are killed while waiting.
 */
export async function startService(
  access: Access,
  lab: string,
  topology: Topology,
  stateDir: string,
  record: ServiceRecord,
  onSpawn: (proc: ProcRef) => void,
  signal?: AbortSignal,
): Promise<StartedService> {
  const t0 = performance.now();
  const argv = await serviceArgv(record, topology, stateDir);
  if (signal?.aborted) throw new DslabError('DSLAB_E_INTERRUPTED', 'Interrupted before the services started.', { hint: 'Run the command again when you are ready.' });
  const errFile = join(stateDir, `${record.id}.stderr`);
  const errFd = openSync(errFile, 'a');
  // services need no per-node /etc files (nginx's config is self-contained): skip ip netns exec's mounts
  const { file, args } = access.inNs(nodeNamespace(lab, record.node), argv, false);
  // detached: its own process group, so a Ctrl-C at the terminal does not reach it later
  const child = spawn(file, args, { detached: true, stdio: ['ignore', 'pipe', errFd] });
  closeSync(errFd);
  const ref = child.pid === undefined ? undefined : procRef(child.pid);
  if (ref) onSpawn(ref);
  const failed = (why: string): DslabError => {
    let stderr = '';
    try {
      stderr = readFileSync(errFile, 'utf8').trim();
    } catch {
      // nothing written
    }
    return new DslabError('DSLAB_E_SERVICE_FAILED', `The ${record.kind} service in node "${record.node}" ${why}${stderr ? `: ${stderr}` : '.'}`, {
      value: record.id,
      hint: `See ${errFile}; "dslab doctor" checks the tools and privileges it needs.`,
      details: { argv: [file, ...args] },
    });
  };
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => finish(failed(`did not become ready within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
    const onAbort = (): void => finish(new DslabError('DSLAB_E_INTERRUPTED', 'Interrupted while starting the services.', { hint: 'Run the command again when you are ready.' }));
    signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (err?: Error): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      child.removeAllListeners('exit');
      child.removeAllListeners('error');
      child.stdout?.removeAllListeners('data');
      if (err) reject(err);
      else resolve();
    };
    child.on('error', (err) => finish(failed(`could not be started (${err.message})`)));
    child.on('exit', (code, sig) => finish(failed(`exited before it was ready (${sig ?? `exit ${code}`})`)));
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      buffered += chunk;
      if (buffered.split('\n').some((l) => l.trim() === 'ready')) finish();
    });
    if (signal?.aborted) onAbort();
  });
  // It never writes to stdout again; let this process exit without waiting for it.
  child.stdout?.destroy();
  child.unref();
  if (!ref) throw failed('has no process id');
  return { record: { ...record, proc: ref }, proc: ref, ms: performance.now() - t0 };
}

export type ServiceHealth = 'running' | 'dead' | 'not-started';

export function serviceHealth(record: ServiceRecord): ServiceHealth {
  if (!record.proc) return 'not-started';
  return isAlive(record.proc) ? 'running' : 'dead';
}
