/**
 * The lab's services (the DNS server in each dns node, the web server or nginx in each web
 * node): which run where, starting one inside its node and waiting for its `ready` line,
 * and telling whether a recorded one still runs. PIDs are journaled the moment they exist.
 */
import { closeSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { DslabError } from '../../errors.js';
import { nodeNamespace } from '../../lab/names.js';
import { forwards, usesDhcpv6, type Node, type Topology } from '../../lab/topology.js';
import { compiledSrcDir } from '../../util/package-root.js';
import { findProgram } from '../../util/find-program.js';
import { openPrivateAppend, writeOwnFile } from '../../util/private-fs.js';
import type { Access } from './access.js';
import { HOLDER_ENV } from './keeper.js';
import { isAlive, type ProcRef } from './proc.js';
import { startUntilReady } from './ready-process.js';
import { serviceEntry } from '../../services/entry.js';
import { serviceFamily, type ServiceKind, type ServiceRecord } from './state.js';
import { advertisedAttachments } from '../../services/ra/radvd-config.js';

const READY_TIMEOUT_MS = 10_000;

/** One service per dns node and per web node; ids are `dns`/`web` unless a kind repeats. */
export function planServices(topology: Topology): ServiceRecord[] {
  const wanted: Array<{ kind: ServiceKind; node: Node }> = [];
  for (const node of topology.nodes) {
    if (node.role === 'dns') wanted.push({ kind: 'dns', node });
    if (node.web) wanted.push({ kind: node.web.server === 'nginx' ? 'nginx' : 'web', node });
    if (forwards(node) && advertisedAttachments(node, topology).length > 0) wanted.push({ kind: 'radvd', node });
    if (forwards(node) && advertisedAttachments(node, topology, usesDhcpv6).length > 0) wanted.push({ kind: 'dhcpv6', node });
    if (node.nat64) wanted.push({ kind: 'nat64', node });
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
    const { dnsConfigsFor } = await import('../../services/dns/lab-config.js');
    const file = join(stateDir, `${record.id}.json`);
    writeOwnFile(file, JSON.stringify(dnsConfigsFor(topology, node)) + '\n');
    const { dnsFaultsFile } = await import('../../faults/dns-rules.js');
    const faults = dnsFaultsPath(stateDir, record);
    writeOwnFile(faults, JSON.stringify(dnsFaultsFile(topology.faults ?? [], node.name, 0)) + '\n');
    return [process.execPath, serviceEntry('dns'), '--config', file, '--log', log, '--faults', faults];
  }
  if (record.kind === 'radvd') {
    const { radvdConfig } = await import('../../services/ra/radvd-config.js');
    const file = join(stateDir, `${record.id}.conf`);
    writeOwnFile(file, radvdConfig(node, topology));
    const pid = join(stateDir, `${record.id}.pid`);
    return [process.execPath, join(compiledSrcDir(), 'services/daemon-main.js'), '--what', 'radvd', '--pid', pid, '--log', join(stateDir, record.log), '--', 'radvd', '--nodaemon', '--config', file, '--pidfile', pid, '--logmethod', 'stderr'];
  }
  if (record.kind === 'dhcpv6') {
    const { dnsmasqArgs } = await import('../../services/ra/dhcpv6-server.js');
    return [process.execPath, join(compiledSrcDir(), 'services/daemon-main.js'), '--what', 'the DHCPv6 server', '--package', 'dnsmasq-base', '--ready-line', 'DHCPv6, IP range', '--log', join(stateDir, record.log), '--', 'dnsmasq', ...dnsmasqArgs(node, topology, join(stateDir, `${record.id}.leases`))];
  }
  if (record.kind === 'nat64') {
    for (const [tool, pkg] of [['tayga', 'tayga'], ['nft', 'nftables']] as const) {
      if (!findProgram(tool)) {
        throw new DslabError('DSLAB_E_TOOL_MISSING', `Node "${node.name}" is a NAT64 translator, which needs ${tool}, and it is not installed.`, { value: tool, hint: `Install it (apt-get install -y --no-install-recommends ${pkg}), then run "dslab up" again.` });
      }
    }
    const { taygaFiles } = await import('../../services/nat64/tayga.js');
    const dir = join(stateDir, record.id);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { files, texts } = taygaFiles(node, join(dir, 'data'), dir);
    for (const k of ['conf', 'nft', 'script'] as const) writeOwnFile(files[k], texts[k]);
    return [process.execPath, join(compiledSrcDir(), 'services/daemon-main.js'), '--what', 'the NAT64 translator (Tayga)', '--ready-line', 'NAT64 prefix', '--log', join(stateDir, record.log), '--', 'sh', files.script];
  }
  if (record.kind === 'web') {
    const { buildWebConfig } = await import('../../services/web/config.js');
    const file = join(stateDir, `${record.id}.json`);
    writeOwnFile(file, JSON.stringify(buildWebConfig(topology, node, stateDir)) + '\n');
    return [process.execPath, serviceEntry('web'), '--config', file, '--log', log];
  }
  return nginxArgv(record, topology, node, stateDir);
}

/** The DNS faults file a DNS service reads at start and on SIGHUP. */
export function dnsFaultsPath(stateDir: string, record: ServiceRecord): string {
  return join(stateDir, `${record.id}.faults.json`);
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
  // the service appends to its log: created here, 0600, so that it is never anyone else's file
  closeSync(openPrivateAppend(join(stateDir, record.log)));
  try {
    const { proc } = await startUntilReady({
      what: `the ${record.kind} service in node "${record.node}"`,
      // services need no per-node /etc files (nginx's config is self-contained): skip ip netns exec's mounts
      cmd: access.inNs(nodeNamespace(lab, record.node), argv, false),
      errFile: join(stateDir, `${record.id}.stderr`),
      timeoutMs: READY_TIMEOUT_MS,
      onSpawn,
      // the lab's mark (as on the keeper and holders): `down` signals only processes that carry it
      env: { [HOLDER_ENV]: stateDir },
      hint: '"dslab doctor" checks the tools and privileges it needs.',
      ...(signal ? { signal } : {}),
    });
    return { record: { ...record, proc }, proc, ms: performance.now() - t0 };
  } catch (err) {
    if (err instanceof DslabError && err.code === 'DSLAB_E_SERVICE_FAILED') {
      throw new DslabError(err.code, err.message, { value: record.id, hint: err.hint, details: err.details, cause: err.cause });
    }
    throw err;
  }
}

/** Whether a service's process is running, has died, or was never started. */
export type ServiceHealth = 'running' | 'dead' | 'not-started';

export function serviceHealth(record: { proc?: ProcRef }): ServiceHealth {
  if (!record.proc) return 'not-started';
  return isAlive(record.proc) ? 'running' : 'dead';
}
