/**
 * `dslab run --here`: the experiments run in the current network namespace, against a lab
 * that is already there, with nothing brought up or down. This is how `docker exec
 * rd-ds-client dslab run` works inside the client container (the image sets DSLAB_RUN_HERE),
 * and how a node of a namespace lab can run them itself (`dslab exec client -- dslab run --here`).
 *
 * Refused unless this namespace holds one of the lab client's addresses: run from the
 * machine's own namespace, the checks would send packets to lab addresses from outside.
 */
import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import process from 'node:process';
import ipaddr from 'ipaddr.js';
import { DslabError } from '../errors.js';
import type { Topology } from '../lab/topology.js';
import { assembleReport, runEnvironment } from './report-parts.js';
import type { NodeEvent, RunEnvironment, RunPlan, RunReport } from './types.js';

/** Set by docker/client/Dockerfile: a plain `dslab run` in that container means `--here`. */
export const RUN_HERE_VARIABLE = 'DSLAB_RUN_HERE';
/** The lab file a `--here` run describes when none is given (compose.yaml sets it for labs other than the default). */
export const LAB_FILE_VARIABLE = 'DSLAB_LAB';
/** The name that lab runs under (its `--name`), when it is not the file's own. */
export const LAB_NAME_VARIABLE = 'DSLAB_LAB_NAME';

export interface RunHereOptions {
  signal?: AbortSignal;
  onEvent?: (event: NodeEvent) => void;
  onTopology?: (topology: Topology) => void;
  onProgress?: (message: string) => void;
}

/** True when the environment asks a plain `dslab run` to run here (DSLAB_RUN_HERE=1, yes, true). */
export function runHereRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env[RUN_HERE_VARIABLE]?.trim().toLowerCase();
  return v !== undefined && v !== '' && v !== '0' && v !== 'no' && v !== 'false';
}

function canonical(address: string): string | undefined {
  try {
    return ipaddr.parse(address.split('%')[0]!).toString();
  } catch {
    return undefined;
  }
}

/** Every address of this network namespace's interfaces, canonical. */
export function localAddresses(): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      const c = canonical(a.address);
      if (c) out.add(c);
    }
  }
  return out;
}

/** Throws DSLAB_E_NOT_IN_NODE unless this namespace holds one of the client's addresses. */
export function checkHere(plan: RunPlan, local: ReadonlySet<string> = localAddresses()): void {
  const wanted = [plan.client.ipv4, plan.client.ipv6].filter((a): a is string => a !== undefined);
  if (wanted.some((a) => local.has(canonical(a) ?? a))) return;
  const inContainer = existsSync('/.dockerenv');
  throw new DslabError(
    'DSLAB_E_NOT_IN_NODE',
    `"dslab run --here" runs the experiments from the ${plan.client.name} node of lab "${plan.lab}", but this ${inContainer ? 'container' : 'network namespace'} has none of its addresses (${wanted.join(', ') || 'none in the lab file'}). Nothing was sent.`,
    {
      field: '--here',
      value: wanted,
      hint: inContainer
        ? `Run it in the lab's client container (e.g. "docker exec rd-ds-client dslab run"), or give the lab file that describes this container: "dslab run --here LAB".`
        : `Run it inside the client node ("dslab exec ${plan.client.name} -- dslab run --here"), or drop --here (and unset ${RUN_HERE_VARIABLE}) to let dslab bring the lab up in namespaces.`,
    },
  );
}

function environment(): Promise<RunEnvironment> {
  const where = existsSync('/.dockerenv') ? 'inside a Docker container' : 'in the current network namespace';
  return runEnvironment(`here (${where})`);
}

/** How long a neighbour resolution may still be running (3 solicitations, 1 s apart) and a margin. */
const NEIGHBOUR_SETTLE_MS = 3500;

/**
 * Waits while the broken AAAA address's neighbour entry is INCOMPLETE. The address is on the
 * lab's link, so reaching it means neighbour discovery, which gives up after ~3 s; a run that
 * starts while an earlier attempt (a curl typed just before, the previous run) is still
 * resolving would join that resolution and fail early with EHOSTUNREACH instead of measuring
 * its own timeout. Unprivileged (`ip -6 neigh show`), so it works in a container too; without
 * `ip` it does not wait. Returns the time waited.
 */
export async function settleNeighbour(
  plan: RunPlan,
  signal?: AbortSignal,
  onProgress?: (message: string) => void,
  /** Runs `ip ARGS` in the client (default: here); the Docker backend passes `docker exec`. */
  ip?: (args: string[]) => Promise<{ code: number; stdout: string }>,
): Promise<number> {
  const address = plan.broken?.ipv6;
  if (address === undefined) return 0;
  const { run } = await import('../util/run.js');
  const runIp = ip ?? ((args: string[]) => run('ip', args, { allowFailure: true, timeoutMs: 2000 }));
  const t0 = performance.now();
  let told = false;
  while (performance.now() - t0 < NEIGHBOUR_SETTLE_MS && !signal?.aborted) {
    const r = await runIp(['-6', 'neigh', 'show', address]).catch(() => undefined);
    if (!r || r.code !== 0 || !/\bINCOMPLETE\b/.test(r.stdout)) break;
    if (!told) onProgress?.(`waiting for an earlier neighbour resolution of ${address} to end, so that this run measures its own timeout`);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return performance.now() - t0;
}

/** Runs the experiments of `topology` from this namespace, which must be its client node. */
export async function runHere(topology: Topology, options: RunHereOptions = {}): Promise<RunReport> {
  const t0 = performance.now();
  const [{ buildPlan }, { runInClient, inNodeScript }] = await Promise.all([import('./plan.js'), import('./in-node-process.js')]);
  const plan = buildPlan(topology);
  checkHere(plan);
  options.onTopology?.(topology);
  const envP = environment();
  await settleNeighbour(plan, options.signal, options.onProgress);
  const tx = performance.now();
  const inNode = await runInClient(plan, undefined, {
    // the runner in a child process, as in a node: the same code, the same JSON events
    command: { file: process.execPath, args: [inNodeScript()] },
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const experimentsMs = performance.now() - tx;
  return assembleReport({
    topology,
    plan,
    checks: inNode.results,
    environment: await envP,
    broughtUp: false,
    kept: false,
    timings: { upMs: 0, experimentsMs, downMs: 0, wallMs: performance.now() - t0 },
  });
}
