/**
 * The order and overlap of the checks inside the client node.
 *
 * Scheduling: the seconds-long waits (the sequential client's 2 s timeout, the pings) start
 * first and wait in the background; the quick checks run two at a time meanwhile; the
 * timing-sensitive races (Happy Eyeballs, curl) run one at a time once the CPU is quiet, so
 * that what they measure is the delay, not the machine's load.
 */
import type { CheckResult, RunPlan } from '../types.js';
import { RunClock, type Emit } from './check.js';
import { checkClientAddresses, checkIpv6Enabled } from './checks-environment.js';
import { checkHttpCurl, checkHttpDslab, checkPing } from './checks-connectivity.js';
import { checkByNameCurl, checkByNameDslab, checkDig, checkOwnDns, checkResolverOrder, type DnsCase } from './checks-dns.js';
import { checkCurlFallback, checkHappyFallback, checkSequential } from './checks-fallback.js';

/** Runs thunks with at most `limit` in flight, keeping their order in the result. */
async function pool<T>(limit: number, jobs: Array<() => Promise<T>>): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return out;
}

export async function runPlanInNode(plan: RunPlan, emit: Emit): Promise<CheckResult[]> {
  const clock = new RunClock();
  const okMissing = `the lab has no name whose A and AAAA both point at ${plan.web.name}`;
  const brokenMissing = `the lab has no name whose A points at ${plan.web.name} and whose AAAA points at an address no node has`;
  const ok: DnsCase = { key: 'ok', section: 'dns', name: plan.ok, missing: okMissing };
  const broken: DnsCase = { key: 'broken', section: 'fallback', name: plan.broken, missing: brokenMissing };

  // long, idle waits first: they overlap everything else
  const background = [
    checkSequential(plan, plan.broken, 'broken', brokenMissing, clock, emit),
    checkPing(plan, 4, clock, emit),
    checkPing(plan, 6, clock, emit),
  ];
  const quick = await pool<CheckResult>(2, [
    () => checkIpv6Enabled(plan, clock, emit),
    () => checkClientAddresses(plan, clock, emit),
    () => checkHttpCurl(plan, 4, clock, emit),
    () => checkHttpDslab(plan, 4, clock, emit),
    () => checkHttpCurl(plan, 6, clock, emit),
    () => checkHttpDslab(plan, 6, clock, emit),
    () => checkDig(plan, ok, 'A', clock, emit),
    () => checkOwnDns(plan, ok, 'A', clock, emit),
    () => checkDig(plan, ok, 'AAAA', clock, emit),
    () => checkOwnDns(plan, ok, 'AAAA', clock, emit),
    () => checkResolverOrder(plan, ok, clock, emit),
    () => checkByNameCurl(plan, ok, false, clock, emit),
    () => checkByNameDslab(plan, ok, false, clock, emit),
    () => checkByNameCurl(plan, ok, true, clock, emit),
    () => checkByNameDslab(plan, ok, true, clock, emit),
    () => checkDig(plan, broken, 'A', clock, emit),
    () => checkOwnDns(plan, broken, 'A', clock, emit),
    () => checkDig(plan, broken, 'AAAA', clock, emit),
    () => checkOwnDns(plan, broken, 'AAAA', clock, emit),
    () => checkSequential(plan, plan.ok, 'ok', okMissing, clock, emit),
  ]);
  // one race at a time
  const happy = await checkHappyFallback(plan, plan.broken, brokenMissing, clock, emit);
  const curl = await checkCurlFallback(plan, plan.broken, brokenMissing, clock, emit);
  const waited = await Promise.all(background);
  return [...quick, ...waited, happy, curl];
}

