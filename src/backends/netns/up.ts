/**
 * Brings a lab up: namespaces (one per node plus the switch), sysctls, the switch's bridges
 * and veth pairs, each node's addresses and routes, per-node /etc files, the services, and
 * a real IPv6 check. Every resource is journaled before it is created; a failure at any
 * step, or an abort (Ctrl-C), removes everything created so far.
 */
import { setMaxListeners } from 'node:events';
import { accessSync, constants, existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import process from 'node:process';
import { DslabError } from '../../errors.js';
import { nodeNamespace } from '../../lab/names.js';
import { nodeAddressesByFamily, type Role, type Topology } from '../../lab/topology.js';
import { labWarnings } from '../../lab/warnings.js';
import { findProgram } from '../../util/find-program.js';
import { preferredMode, rootAccess, rootlessAccess, type Access, type Mode } from './access.js';
import { down } from './down.js';
import { setFaults } from './faults.js';
import { isDnsFault, type Fault } from '../../faults/types.js';
import { checkEtcDir, writeNodeEtc } from './etc-files.js';
import { checkpoint, interrupted, type UpStep } from './fail-inject.js';
import { inNetns, ipBatch, nodeBatchJob, rootIpBatch, runInOneShell, setSysctls } from './ip.js';
import { checkIpv6, type Ipv6Probe } from './ipv6-check.js';
import { checkKernelLimits, tuneKernel, type KernelChange } from './kernel-limits.js';
import { mountNodeEtc, startKeeper, startNamespaceHolder } from './keeper.js';
import { checkLabName } from './lab-name.js';
import { planLab } from './plan.js';
import { isAlive, procRef, type ProcRef } from './proc.js';
import { planServices, startService } from './services.js';
import { slaacAttachments, waitForSlaac, withFormedAddresses, type FormedAddress } from './slaac.js';
import { claimStateDir, labStateDir, readState, writeState, type LabState, type ServiceKind, type ServiceRecord } from './state.js';

/** Options of `up`: replacing an existing lab, progress messages, cancellation and kernel tuning. */
export interface UpOptions {
  /** Tear down a lab of the same name first instead of failing with DSLAB_E_LAB_EXISTS. */
  replace?: boolean;
  /** Called with a one-line message about what `up` is doing: its stages, kernel changes, a rollback. */
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
  /** Root only: raise the machine-wide neighbour-table limits this lab needs (`up --tune-kernel`); what changed is in the result. */
  tuneKernel?: boolean;
}

/**
 * What `up` created: the lab's mode and state folder, its namespaces, nodes and services, the
 * IPv6 check, faults, warnings, kernel changes, and the time of each step and overall (ms).
 */
export interface UpResult {
  lab: string;
  mode: Mode;
  stateDir: string;
  source: string;
  /** True when an existing lab (or the leftovers of a crashed one) was removed first. */
  replaced: boolean;
  namespaces: string[];
  nodes: Array<{ name: string; role: Role; namespace: string; ipv4: string[]; ipv6: string[] }>;
  services: Array<{ id: string; kind: ServiceKind; node: string; pid: number; log: string; readyMs: number }>;
  ipv6Check: Ipv6Probe[];
  /** The faults in effect (lab file, --fault, --scenario). */
  faults: Fault[];
  warnings: string[];
  /** Machine-wide kernel settings `--tune-kernel` changed (they stay changed: other labs may need them). */
  kernelChanges: KernelChange[];
  /** The addresses nodes formed by SLAAC or leased by DHCPv6 (empty without such networks). */
  slaac: FormedAddress[];
  steps: Array<{ step: UpStep; ms: number }>;
  ms: number;
}

/**
 * Brings a lab up as Linux network namespaces: nodes, switch, links, addresses, routes and
 * services, then checks IPv6, waits for SLAAC addresses and applies the faults. On failure or
 * abort it removes everything created so far.
 */
export async function up(labTopology: Topology, options: UpOptions = {}): Promise<UpResult> {
  let topology = labTopology;
  const t0 = performance.now();
  const lab = checkLabName(topology.name, 'name');
  const progress = options.onProgress ?? (() => {});
  // Aborted by the caller (Ctrl-C) or by the first failing step, so that work still in
  // flight stops and is settled before the rollback starts.
  const inner = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, inner.signal]) : inner.signal;
  setMaxListeners(0, signal); // one listener per service and command in flight, by design
  const parallel = async <T>(promises: Array<Promise<T>>): Promise<T[]> => {
    let first: { reason: unknown } | undefined;
    const settled = await Promise.allSettled(
      promises.map((p) =>
        p.catch((reason: unknown) => {
          first ??= { reason }; // the cause, not the interruptions it caused in its siblings
          inner.abort();
          throw reason;
        }),
      ),
    );
    if (first) throw first.reason;
    return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
  };
  // at most POOL_SIZE of a step's per-namespace processes at a time: a thousand at once only compete for the cores
  // a large lab says how far a step has got, at every tenth of it
  // (an item may stand for several namespaces: `size` says how many)
  const pooled = <I, T>(items: readonly I[], fn: (item: I) => Promise<T>, what?: string, size: (item: I) => number = () => 1): Array<Promise<T>> => {
    let done = 0;
    const total = items.reduce((sum, item) => sum + size(item), 0);
    const tenth = Math.ceil(total / 10);
    const tick = (n: number) => {
      done += n;
      if (what && total >= PROGRESS_FROM && (Math.floor(done / tenth) > Math.floor((done - n) / tenth) || done === total)) progress(`${what}: ${done}/${total}`);
    };
    const gates: Array<() => void> = [];
    let running = 0;
    return items.map(async (item) => {
      if (running >= POOL_SIZE) await new Promise<void>((go) => gates.push(go));
      running++;
      try {
        const value = await fn(item);
        tick(size(item));
        return value;
      } finally {
        running--;
        gates.shift()?.();
      }
    });
  };
  preflight(topology);
  const kernelChanges = kernelLimits(topology, options.tuneKernel ?? false);
  for (const c of kernelChanges) progress(`Raised ${c.sysctl} from ${c.from} to ${c.to} (machine-wide, --tune-kernel)`);
  const replaced = await clearWay(lab, options.replace ?? false, progress);

  checkpoint('state', signal);
  if (!claimStateDir(lab)) {
    throw new DslabError('DSLAB_E_LAB_EXISTS', `The lab "${lab}" is being created by another dslab process.`, { field: 'name', value: lab, hint: `Wait for it, or remove it with "dslab down --lab ${lab}".` });
  }
  const mode = preferredMode();
  const state: LabState = {
    version: 1,
    lab,
    mode,
    phase: 'creating',
    createdAt: new Date().toISOString(),
    owner: procRef(process.pid)!,
    topology,
    namespaces: [],
    etcDirs: [],
    services: planServices(topology),
  };
  writeState(state);

  const steps: UpResult['steps'] = [];
  const upWarnings: string[] = [];
  let current: UpStep = 'state';
  const step = async <T>(name: UpStep, fn: () => Promise<T> | T): Promise<T> => {
    current = name;
    checkpoint(name, signal);
    const s = performance.now();
    const value = await fn();
    steps.push({ step: name, ms: performance.now() - s });
    if (signal?.aborted) throw interrupted(name);
    return value;
  };

  try {
    const stateDir = labStateDir(lab);
    const holders: Record<string, ProcRef> = {};
    const access: Access = mode === 'root' ? rootAccess : rootlessAccess(stateDir, holders);
    const namespaces = planLab(topology).namespaces;
    const keeper = await step('keeper', async () => {
      if (mode === 'root') return undefined;
      progress('Starting the rootless keeper (a user namespace)');
      return startKeeper(stateDir, (ref) => {
        state.keeper = ref;
        writeState(state);
      }, signal);
    });

    const etcStep = () =>
      step('etc', () => {
        state.etcDirs = topology.nodes.map((n) => access.etcDir(nodeNamespace(lab, n.name)));
        writeState(state);
        for (const node of topology.nodes) writeNodeEtc(access.etcDir(nodeNamespace(lab, node.name)), node, mode === 'root');
      });

    progress(`Creating ${namespaces.length} namespaces`);
    const namespacesStep = () => step('namespaces', async () => {
      state.namespaces = namespaces;
      writeState(state);
      if (!keeper) {
        await rootIpBatch(namespaces.map((ns) => `netns add ${ns}`), { signal });
        return;
      }
      state.holders = holders;
      await parallel(
        namespaces.map(async (ns) => {
          const holder = await startNamespaceHolder(keeper, ns, stateDir, (ref) => {
            holders[ns] = ref;
            writeState(state);
          }, signal);
          const node = topology.nodes.find((n) => nodeNamespace(lab, n.name) === ns);
          if (node) await mountNodeEtc(holder, access.etcDir(ns), signal);
        }),
      );
    });
    // Rootless, the holders mount the files, so they come first; as root the files are written
    // while `ip netns add` runs (the kernel's work on one core, the files on another).
    if (keeper) {
      await etcStep();
      await namespacesStep();
    } else await parallel([namespacesStep(), etcStep()]);
    const plan = planLab(topology, (ns) => access.netnsRef(ns));
    const nft = plan.mldFilter ? findProgram('nft') : null;
    if (plan.mldFilter && !nft) upWarnings.push(NO_MLD_FILTER);

    // Before the veth ends move in, so that new interfaces get no DAD delay.
    await step('sysctls', () => parallel(pooled(plan.sysctls, (s) => setSysctls(access, s.ns, s.settings, signal), 'Kernel settings of the namespaces')));

    progress(`Creating the switch (${topology.networks.map((n) => `br-${n.name}`).join(', ')}), ${topology.nodes.length} links and starting ${state.services.length} service(s)`);
    // The services start now, while the links are made: their nodes allow binding addresses
    // that are not there yet (ip_nonlocal_bind), so Node's start-up overlaps the netlink work.
    // In a lab with SLAAC or DHCPv6 networks only the routers' radvd start now; their DHCPv6
    // servers once the links exist; the other services once the addresses are there, so that
    // they (and the DNS names) know them.
    const autoconfCount = slaacAttachments(topology).length;
    const slaac = autoconfCount > 0;
    const startAll = (which: (r: ServiceRecord) => boolean, top: Topology) =>
      parallel(
        state.services.flatMap((record, i) =>
          which(record)
            ? [
                startService(access, lab, top, stateDir, record, (proc) => {
                  state.services[i] = { ...state.services[i]!, proc };
                  writeState(state);
                }, signal),
              ]
            : [],
        ),
      );
    const early = (r: ServiceRecord) => !slaac || r.kind === 'radvd';
    const [startedEarly, ipv6Check] = (await parallel<unknown>([
      step('services', () => startAll(early, topology)),
      (async () => {
        await step('switch', () =>
          parallel<unknown>([
            ipBatch(access, plan.switchNs, plan.switchBatch, { signal }),
            // before the nodes' links come up, which is when they send their reports
            ...(plan.mldFilter && nft ? [inNetns(access, plan.switchNs, [nft, '-f', '-'], { input: plan.mldFilter, signal })] : []),
          ]),
        );
        // a shell runs a share of the nodes one after another (see runInOneShell), POOL_SIZE shells at a time
        const perShell = Math.ceil(plan.nodeBatches.length / (POOL_SIZE * 4));
        const shares = Array.from({ length: Math.ceil(plan.nodeBatches.length / perShell) }, (_, i) => plan.nodeBatches.slice(i * perShell, (i + 1) * perShell));
        await step('nodes', () =>
          parallel<unknown>([
            ...pooled(shares, (share) => runInOneShell(share.map((b) => nodeBatchJob(access, b)), signal), 'Nodes with their addresses and routes', (share) => share.length),
            ...(plan.fdbBatch ? [inNetns(access, plan.switchNs, ['bridge', '-batch', '-'], { input: plan.fdbBatch.join('\n') + '\n', signal })] : []),
          ]),
        );
        return step('ipv6-check', () => {
          if (topology.nodes.length >= PROGRESS_FROM) progress(`Checking that IPv6 answers on every node (${topology.nodes.length} nodes)`);
          return checkIpv6(access, plan.switchNs, topology, stateDir, signal);
        });
      })(),
    ])) as [Awaited<ReturnType<typeof startService>>[], Ipv6Probe[]];
    let started = startedEarly;
    const failed = ipv6Check.filter((p) => !p.ok);
    if (failed.length > 0) {
      const first = failed.slice(0, 3).map((f) => `${f.node} (${f.address}: ${firstLine(f.detail ?? 'no reply')})`);
      const more = failed.length > first.length ? `, and ${failed.length - first.length} more ("dslab up --json" lists every one in error.details.probes)` : '';
      throw new DslabError('DSLAB_E_IPV6_UNAVAILABLE', `IPv6 does not work on ${failed.length === ipv6Check.length ? 'any' : `${failed.length} of ${ipv6Check.length}`} node(s): ${first.join(', ')}${more}.`, {
        details: { probes: ipv6Check },
        hint: 'Run "dslab doctor" to check the kernel IPv6 settings and the neighbour-table limits.',
      });
    }

    // SLAAC and DHCPv6: wait for the addresses, record them, then start the services that need them
    let slaacFormed: FormedAddress[] = [];
    await step('slaac', async () => {
      if (!slaac) return;
      progress(`Waiting for ${autoconfCount} SLAAC/DHCPv6 address(es) (Router Advertisements, DHCPv6 leases, DAD)`);
      started = [...started, ...(await startAll((r) => r.kind === 'dhcpv6', topology))];
      slaacFormed = await waitForSlaac(access, topology, stateDir, signal);
      topology = withFormedAddresses(topology, slaacFormed);
      state.topology = topology;
      writeState(state);
      started = [...started, ...(await startAll((r) => !early(r) && r.kind !== 'dhcpv6', topology))];
    });

    // after the IPv6 check: the faults may break IPv6 on purpose
    await step('faults', async () => {
      const faults = topology.faults ?? [];
      // the DNS services read their faults at start; the network faults go in now
      state.faults = faults.filter(isDnsFault);
      writeState(state);
      if (faults.length === state.faults.length) return;
      progress(`Putting ${faults.length} fault(s) into effect`);
      await setFaults(state, faults, { locked: true, signal });
    });

    await step('finish', () => {
      state.phase = 'up';
      writeState(state);
    });

    return {
      lab,
      mode,
      stateDir,
      source: topology.source,
      replaced,
      namespaces: plan.namespaces,
      nodes: topology.nodes.map((n) => ({
        name: n.name,
        role: n.role,
        namespace: nodeNamespace(lab, n.name),
        ...nodeAddressesByFamily(n),
      })),
      services: started.map((s) => ({ id: s.record.id, kind: s.record.kind, node: s.record.node, pid: s.proc.pid, log: `${stateDir}/${s.record.log}`, readyMs: s.ms })),
      ipv6Check,
      faults: state.faults ?? [],
      warnings: [...labWarnings(topology), ...upWarnings],
      kernelChanges,
      slaac: slaacFormed,
      steps,
      ms: performance.now() - t0,
    };
  } catch (err) {
    progress('Failed: removing everything created so far');
    // the step's error is the one to report; a failing rollback is said too, not hidden
    await down(lab).catch((cleanup: unknown) => progress(`Could not remove everything (${(cleanup as Error)?.message ?? String(cleanup)}): run "dslab down --lab ${lab}"`));
    // interrupted by the caller: say so, and that the rollback is done (whatever the step threw)
    if (options.signal?.aborted) throw interrupted(current);
    throw err;
  }
}

/** The first line of a tool's output, at most 120 characters: a message stays one readable line. */
function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

/** Refuses a lab the kernel's limits would break (DSLAB_E_KERNEL_LIMIT), after raising them first when asked (root only). */
function kernelLimits(topology: Topology, tune: boolean): KernelChange[] {
  const mode = preferredMode();
  if (tune && mode !== 'root') {
    throw new DslabError('DSLAB_E_NOT_PRIVILEGED', '--tune-kernel changes machine-wide kernel settings, which only root can do.', {
      field: '--tune-kernel',
      hint: 'Run "sudo dslab up --tune-kernel ...", ask root to raise the limits "dslab doctor" shows, or leave out --tune-kernel.',
    });
  }
  const changes = tune ? tuneKernel(topology) : [];
  checkKernelLimits(topology, mode);
  return changes;
}

/** The tun clone device a translator's Tayga opens (not the tun interface it makes, services/nat64/tayga.ts). */
const TUN_CLONE = '/dev/net/tun';

/** How many per-namespace processes (sysctl, ip -batch) `up` runs at once. */
const POOL_SIZE = Math.max(4, availableParallelism() * 4);
/** Said by `up` when a large network's multicast listener reports cannot be filtered (see mldFilter in plan.ts). */
const NO_MLD_FILTER =
  'nft is not installed, so every multicast listener report of this large network was flooded to all its nodes, which makes "dslab up" take longer (1.5 to 2 times as long at 1,000 nodes on a 2-core machine). Install nftables (Debian/Ubuntu: apt-get install -y nftables) to have the switch drop them.';

/** Labs of this many namespaces or more report each step's progress. */
const PROGRESS_FROM = 100;

function preflight(topology: Topology): void {
  if (!existsSync('/proc/sys/net/ipv6')) {
    throw new DslabError('DSLAB_E_IPV6_UNAVAILABLE', 'IPv6 is disabled in this kernel (no /proc/sys/net/ipv6).', {
      hint: 'Remove "ipv6.disable=1" from the kernel command line (or load the ipv6 module) and reboot.',
    });
  }
  // as root the nodes' files go to /etc/netns/<ns>: refuse a link or foreign folder there before anything is made
  if (preferredMode() === 'root') for (const node of topology.nodes) checkEtcDir(rootAccess.etcDir(nodeNamespace(topology.name, node.name)));
  else checkRootlessTun(topology);
}

/**
 * A rootless translator needs /dev/net/tun opened by the user itself: a user namespace does not
 * lift the device file's permissions (Debian ships it crw------- root, so Tayga gets EACCES).
 */
function checkRootlessTun(topology: Topology): void {
  const xlat = topology.nodes.find((n) => n.role === 'nat64');
  if (!xlat) return;
  try {
    accessSync(TUN_CLONE, constants.R_OK | constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new DslabError('DSLAB_E_NOT_PRIVILEGED', `The translator "${xlat.name}" (role: nat64) needs a tun device, and ${TUN_CLONE} cannot be opened by this user (${code}); a user namespace does not change that.`, {
      field: `nodes.${topology.nodes.indexOf(xlat)}.role`,
      value: 'nat64',
      hint: `Run this "dslab up" as root (sudo), or let this user open ${TUN_CLONE} (e.g. "sudo chmod 0666 ${TUN_CLONE}", machine-wide). Nothing was created.`,
    });
  }
}

/**
 * Makes sure nothing of the lab is in the way: a lab that is up is an error unless
 * `replace`; the leftovers of a crashed `up` (owner gone) are removed without asking.
 */
async function clearWay(lab: string, replace: boolean, progress: (m: string) => void): Promise<boolean> {
  const existing = readState(lab);
  const strayNs = preferredMode() === 'root' ? rootAccess.namespaces().filter((ns) => ns.startsWith(`${lab}-`)) : [];
  if (!existing && strayNs.length === 0) return false;
  if (existing && existing.phase === 'creating' && isAlive(existing.owner) && existing.owner.pid !== process.pid) {
    throw new DslabError('DSLAB_E_LAB_EXISTS', `The lab "${lab}" is being created right now by dslab process ${existing.owner.pid}.`, {
      field: 'name',
      value: lab,
      hint: `Wait for it to finish, or remove it with "dslab down --lab ${lab}".`,
    });
  }
  const crashed = existing !== undefined && existing.phase === 'creating';
  if (!crashed && !replace) {
    throw new DslabError('DSLAB_E_LAB_EXISTS', `The lab "${lab}" is already up.`, {
      field: 'name',
      value: lab,
      hint: `Use it as it is, remove it first with "dslab down --lab ${lab}", or add --replace to this "dslab up" to replace it.`,
    });
  }
  progress(crashed ? `Removing what an interrupted "up" of "${lab}" left` : `Replacing the lab "${lab}"`);
  await down(lab);
  return true;
}
