/**
 * Puts a lab's faults into effect, inside its switch namespace only (never the machine's
 * own): the delayers first (journaled by PID like the services), then tc, iptables-nft and
 * one nftables transaction, then the DNS faults (file + SIGHUP to each DNS service, which
 * acknowledges). A change replaces the whole fault set; if any step fails, the previous set
 * is put back and the new delayers are stopped, so a failed change changes nothing.
 * `down` stops the delayers with the rest of the lab.
 */
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { DslabError } from '../../errors.js';
import { dnsFaultsFile } from '../../faults/dns-rules.js';
import { buildRuleset, BRIDGE_TABLE, type Delayer, type Ruleset } from '../../faults/ruleset.js';
import { isDnsFault, type Fault } from '../../faults/types.js';
import { switchNamespace } from '../../lab/names.js';
import { findProgram } from '../../util/find-program.js';
import { writeOwnFile } from '../../util/private-fs.js';
import { packageRoot } from '../../util/package-root.js';
import type { Access } from './access.js';
import { accessOf } from './exec.js';
import { inNetns, runCmd } from './ip.js';
import { isAlive, procRef, terminate } from './proc.js';
import { HOLDER_ENV } from './keeper.js';
import { startUntilReady } from './ready-process.js';
import { dnsFaultsPath } from './services.js';
import { labStateDir, writeState, type DelayerRecord, type LabState } from './state.js';

const DELAYER_READY_MS = 5000;
const DNS_ACK_MS = 3000;

export function delayerScript(): string {
  return join(packageRoot(), 'libexec', 'dslab-delayer.py');
}

/** The programs a fault set needs, with the Debian package of each. */
function neededTools(ruleset: Ruleset, faults: readonly Fault[]): Array<{ tool: string; pkg: string }> {
  const net = faults.some((f) => !isDnsFault(f));
  const tools: Array<{ tool: string; pkg: string }> = [];
  if (!net) return tools;
  tools.push({ tool: 'nft', pkg: 'nftables' });
  if (ruleset.delayers.length > 0) tools.push({ tool: 'iptables-nft-restore', pkg: 'iptables' }, { tool: 'ip6tables-nft-restore', pkg: 'iptables' }, { tool: 'python3', pkg: 'python3 libnetfilter-queue1' });
  if (ruleset.tcSet.length > 0) tools.push({ tool: 'tc', pkg: 'iproute2' });
  return tools;
}

function checkTools(ruleset: Ruleset, faults: readonly Fault[]): void {
  const missing = neededTools(ruleset, faults).filter((t) => !findProgram(t.tool));
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map((m) => m.pkg))].join(' ');
  throw new DslabError('DSLAB_E_TOOL_MISSING', `These faults need ${missing.map((m) => m.tool).join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not installed.`, {
    field: 'faults',
    value: missing.map((m) => m.tool),
    hint: `Install them (Debian/Ubuntu: apt-get install -y --no-install-recommends ${pkgs}), then try again; nothing was changed.`,
  });
}

/** An exclusive lock on the lab's faults, so that two `fault add` do not interleave. */
async function withLock<T>(stateDir: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(stateDir, 'faults.lock');
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx', 0o600);
      writeFileSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileText(lock).trim());
      const ref = Number.isInteger(holder) && holder > 0 ? procRef(holder) : undefined;
      if (!ref) {
        rmSync(lock, { force: true }); // its holder is gone
        continue;
      }
      if (Date.now() > deadline) {
        throw new DslabError('DSLAB_E_FAULT_APPLY', `Another dslab process (${holder}) is changing this lab's faults.`, { hint: 'Wait for it to finish, then try again.' });
      }
      await sleep(20);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

function readFileText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

const sameDelayer = (a: Delayer, b: Delayer): boolean => a.id === b.id && a.queue === b.queue && a.delayMs === b.delayMs && a.jitterMs === b.jitterMs;

async function startDelayer(access: Access, state: LabState, d: Delayer, signal?: AbortSignal): Promise<DelayerRecord> {
  const stateDir = labStateDir(state.lab);
  const record: DelayerRecord = { ...d, log: `delayer-${d.id}.stderr` };
  state.delayers = [...(state.delayers ?? []).filter((x) => x.id !== d.id), record];
  const python = findProgram('python3') ?? 'python3';
  const argv = [python, delayerScript(), '--queue', String(d.queue), '--delay-ms', String(d.delayMs), '--jitter-ms', String(d.jitterMs)];
  const { proc } = await startUntilReady({
    what: `the packet delayer of fault ${d.id}`,
    cmd: access.inNs(switchNamespace(state.lab), argv, false),
    errFile: join(stateDir, record.log),
    timeoutMs: DELAYER_READY_MS,
    onSpawn: (ref) => {
      record.proc = ref;
      writeState(state);
    },
    hint: 'it needs python3 and libnetfilter_queue (Debian: apt-get install -y python3 libnetfilter-queue1).',
    // the lab's mark: `down` signals only processes that carry it
    env: { [HOLDER_ENV]: stateDir },
    ...(signal ? { signal } : {}),
  });
  record.proc = proc;
  return record;
}

async function stopDelayers(records: readonly DelayerRecord[]): Promise<void> {
  await terminate(records.flatMap((r) => (r.proc ? [r.proc] : [])), 1000);
}

function failure(step: string, err: unknown): DslabError {
  const stderr = (err as { stderr?: string }).stderr?.trim();
  return new DslabError('DSLAB_E_FAULT_APPLY', `Could not put the faults into effect (${step}): ${stderr || (err as Error).message}`, {
    hint: 'Nothing was changed. "dslab doctor" checks nftables, iptables-nft and tc; see docs/faults.md.',
    cause: err,
  });
}

/** tc, iptables (both families) and nftables, in that order: classes and queues exist before packets are marked for them. */
async function writeRules(access: Access, sw: string, ruleset: Ruleset): Promise<void> {
  let step = 'tc';
  try {
    await inNetns(access, sw, ['tc', '-force', '-batch', '-'], { input: ruleset.tcClear.join('\n') + '\n', allowFailure: true });
    if (ruleset.tcSet.length > 0) await inNetns(access, sw, ['tc', '-batch', '-'], { input: ruleset.tcSet.join('\n') + '\n' });
    if (ruleset.iptables.includes('-A ')) {
      step = 'iptables-nft-restore';
      await inNetns(access, sw, ['iptables-nft-restore'], { input: ruleset.iptables });
      step = 'ip6tables-nft-restore';
      await inNetns(access, sw, ['ip6tables-nft-restore'], { input: ruleset.iptables });
    } else {
      // no queue rules needed: leave no empty iptables tables behind either
      await inNetns(access, sw, ['nft', '-f', '-'], { input: 'add table ip filter\ndelete table ip filter\nadd table ip6 filter\ndelete table ip6 filter\n', allowFailure: true });
    }
    step = 'nft';
    await inNetns(access, sw, ['nft', '-f', '-'], { input: ruleset.nft });
  } catch (err) {
    throw failure(step, err);
  }
}

/** Writes each DNS service's faults file, sends SIGHUP, and waits for its acknowledgement. */
async function writeDnsFaults(state: LabState, faults: readonly Fault[], generation: number): Promise<void> {
  const stateDir = labStateDir(state.lab);
  const services = state.services.filter((s) => s.kind === 'dns');
  for (const service of services) {
    const file = dnsFaultsPath(stateDir, service);
    const tmp = `${file}.tmp`;
    writeOwnFile(tmp, JSON.stringify(dnsFaultsFile(faults, service.node, generation)) + '\n');
    renameSync(tmp, file);
    if (!service.proc || !isAlive(service.proc)) {
      throw new DslabError('DSLAB_E_FAULT_APPLY', `The DNS service in node "${service.node}" is not running, so its DNS faults cannot change.`, {
        hint: `Restart the lab ("dslab up --replace ..."), then add the fault again; "dslab status --lab ${state.lab}" shows the services.`,
      });
    }
    process.kill(service.proc.pid, 'SIGHUP');
  }
  const deadline = Date.now() + DNS_ACK_MS;
  for (const service of services) {
    const ack = `${dnsFaultsPath(stateDir, service)}.loaded`;
    while (Number(readFileText(ack).trim()) !== generation) {
      if (Date.now() > deadline) {
        throw new DslabError('DSLAB_E_FAULT_APPLY', `The DNS service in node "${service.node}" did not take its new DNS faults within ${DNS_ACK_MS / 1000} s.`, {
          hint: `See its log ("dslab logs dns --lab ${state.lab}").`,
        });
      }
      await sleep(5);
    }
  }
}

const dnsPart = (faults: readonly Fault[]): string => JSON.stringify(faults.filter(isDnsFault));

export interface SetFaultsOptions {
  signal?: AbortSignal;
  /** The journal is already locked by the caller (`up` owns its lab while it builds it). */
  locked?: boolean;
}

/**
 * Makes `next` the lab's fault set (replacing the one in effect), or changes nothing and
 * throws. `state` is the lab's journal; it is updated and written on success.
 */
export async function setFaults(state: LabState, next: Fault[], options: SetFaultsOptions = {}): Promise<LabState> {
  const apply = async (): Promise<LabState> => {
    const access = accessOf(state);
    const sw = switchNamespace(state.lab);
    const before = state.faults ?? [];
    const ruleset = buildRuleset(state.topology, next, state.placement ?? []);
    checkTools(ruleset, next);
    const previous = buildRuleset(state.topology, before, state.placement ?? []);
    const running = state.delayers ?? [];
    const keep = running.filter((r) => ruleset.delayers.some((d) => sameDelayer(d, r)) && r.proc && isAlive(r.proc));
    const started: DelayerRecord[] = [];
    const netChanged = previous.nft !== ruleset.nft || previous.iptables !== ruleset.iptables || previous.tcSet.join('\n') !== ruleset.tcSet.join('\n');
    const dnsChanged = dnsPart(before) !== dnsPart(next);
    const generation = (state.dnsFaultGeneration ?? 0) + (dnsChanged ? 1 : 0);
    try {
      for (const d of ruleset.delayers) {
        if (!keep.some((r) => sameDelayer(d, r))) started.push(await startDelayer(access, state, d, options.signal));
      }
      if (netChanged || started.length > 0) await writeRules(access, sw, ruleset);
      if (dnsChanged) await writeDnsFaults(state, next, generation);
    } catch (err) {
      // put the previous set back; a failure of that is said, not hidden
      await stopDelayers(started);
      state.delayers = [...running];
      try {
        if (netChanged) await writeRules(access, sw, previous);
        if (dnsChanged) await writeDnsFaults(state, before, generation + 1).then(() => (state.dnsFaultGeneration = generation + 1));
      } catch (restore) {
        if (err instanceof DslabError) err.message += ` (and restoring the previous faults failed too: ${(restore as Error).message}; "dslab down --lab ${state.lab}" removes everything)`;
      }
      writeState(state);
      throw err;
    }
    const stale = running.filter((r) => !keep.includes(r));
    await stopDelayers(stale);
    state.faults = next;
    state.placement = ruleset.placed;
    state.delayers = [...keep, ...started];
    state.dnsFaultGeneration = generation;
    writeState(state);
    return state;
  };
  return options.locked ? apply() : withLock(labStateDir(state.lab), apply);
}

export interface FaultCounter {
  id: string;
  packets: number;
  bytes: number;
}

/** Packets and bytes each fault's rules matched so far (nft's counters, summed per fault). */
export async function faultCounters(state: LabState): Promise<FaultCounter[]> {
  if (!(state.faults ?? []).some((f) => !isDnsFault(f)) || !findProgram('nft')) return [];
  const access = accessOf(state);
  const sw = switchNamespace(state.lab);
  const totals = new Map<string, FaultCounter>();
  for (const family of ['bridge', 'inet']) {
    const r = await runCmd(access.inNs(sw, ['nft', '-j', 'list', 'table', family, BRIDGE_TABLE]), { allowFailure: true });
    if (r.code !== 0) continue;
    let parsed: { nftables?: Array<{ rule?: { comment?: string; expr?: Array<Record<string, unknown>> } }> };
    try {
      parsed = JSON.parse(r.stdout) as typeof parsed;
    } catch {
      continue;
    }
    for (const item of parsed.nftables ?? []) {
      const rule = item.rule;
      if (!rule?.comment) continue;
      // the reject chain counts the same packets again: count each fault's packets once, where it matched first
      if (family === 'inet' && totals.has(rule.comment)) continue;
      const counter = rule.expr?.find((e) => 'counter' in e)?.['counter'] as { packets?: number; bytes?: number } | undefined;
      const t = totals.get(rule.comment) ?? { id: rule.comment, packets: 0, bytes: 0 };
      t.packets += counter?.packets ?? 0;
      t.bytes += counter?.bytes ?? 0;
      totals.set(rule.comment, t);
    }
  }
  return [...totals.values()];
}

/** Delayers whose process died (their fault then has no effect: the queue is bypassed). */
export function deadDelayers(state: LabState): DelayerRecord[] {
  return (state.delayers ?? []).filter((d) => !d.proc || !isAlive(d.proc));
}
