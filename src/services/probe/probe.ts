/**
 * The lab probe: proves that every node's addresses really answer (IPv6 as much as IPv4),
 * not just that they are configured. All targets run in parallel; each gets one attempt and,
 * after a short wait, one retry (an ICMP error may have been rate-limited away).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { dnsAttempt, ProbeError, tcpAttempt, udpRefusedAttempt } from './attempts.js';
import type { ProbeResult, ProbeTarget } from './targets.js';
import { methodOf } from './targets.js';

export interface ProbeOptions {
  /** Budget for each target, both attempts included; default 1500 ms. */
  timeoutMs?: number;
  /** Wait before the retry; default 150 ms. */
  retryDelayMs?: number;
}

export const DEFAULT_PROBE_TIMEOUT_MS = 1500;

export async function probeTargets(targets: readonly ProbeTarget[], options: ProbeOptions = {}): Promise<ProbeResult[]> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const retryDelayMs = Math.min(options.retryDelayMs ?? 150, Math.floor(timeoutMs / 4));
  const attemptMs = Math.max(50, Math.floor((timeoutMs - retryDelayMs) / 2));
  return Promise.all(targets.map((t) => probeOne(t, attemptMs, retryDelayMs)));
}

async function probeOne(target: ProbeTarget, attemptMs: number, retryDelayMs: number): Promise<ProbeResult> {
  const start = performance.now();
  const base = { node: target.node, address: target.address, family: target.family, method: methodOf(target) };
  const elapsed = (): number => Math.round((performance.now() - start) * 10) / 10;
  let last: ProbeError | undefined;
  for (let i = 0; i < 2; i++) {
    if (i > 0) await delay(retryDelayMs);
    try {
      await attemptOnce(target, attemptMs);
      return { ...base, ok: true, ms: elapsed() };
    } catch (err) {
      last = err instanceof ProbeError ? err : new ProbeError('EUNKNOWN', String((err as Error)?.message ?? err));
    }
  }
  return { ...base, ok: false, ms: elapsed(), error: `${last?.message ?? 'unknown failure'} (2 attempts)` };
}

function attemptOnce(target: ProbeTarget, attemptMs: number): Promise<void> {
  if (target.tcpPort !== undefined) return tcpAttempt(target, target.tcpPort, attemptMs);
  if (target.dnsPort !== undefined) return dnsAttempt(target, target.dnsPort, attemptMs);
  return udpRefusedAttempt(target, attemptMs);
}
