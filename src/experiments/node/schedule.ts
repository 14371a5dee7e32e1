/**
 * The order and overlap of the checks inside the client node.
 *
 * Scheduling: the seconds-long waits (the sequential client's 2 s timeout, the pings) start
 * first and wait in the background; the quick checks run two at a time meanwhile; the
 * timing-sensitive races (Happy Eyeballs, curl) run one at a time once the CPU is quiet, so
 * that what they measure is the delay, not the machine's load.
 */
import type { CheckResult, RunPlan, Section } from '../types.js';
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

type Job = { section: Section; run: () => Promise<CheckResult> };

function job(section: Section, run: () => Promise<CheckResult>): Job {
  return { section, run };
}

export async function runPlanInNode(plan: RunPlan, emit: Emit): Promise<CheckResult[]> {
  const clock = new RunClock();
  const okMissing = `the lab has no name whose A and AAAA both point at ${plan.web.name}`;
  const brokenMissing = `the lab has no name whose A points at ${plan.web.name} and whose AAAA points at an address no node has`;
  const ok: DnsCase = { key: 'ok', section: 'dns', name: plan.ok, missing: okMissing };
  const broken: DnsCase = { key: 'broken', section: 'fallback', name: plan.broken, missing: brokenMissing };

  // long, idle waits first: they overlap everything else
  const background = [
    job('fallback', () => checkSequential(plan, plan.broken, 'broken', brokenMissing, clock, emit)),
    job('connectivity', () => checkPing(plan, 4, clock, emit)),
    job('connectivity', () => checkPing(plan, 6, clock, emit)),
  ];
  const quick = [
    job('environment', () => checkIpv6Enabled(plan, clock, emit)),
    job('environment', () => checkClientAddresses(plan, clock, emit)),
    job('connectivity', () => checkHttpCurl(plan, 4, clock, emit)),
    job('connectivity', () => checkHttpDslab(plan, 4, clock, emit)),
    job('connectivity', () => checkHttpCurl(plan, 6, clock, emit)),
    job('connectivity', () => checkHttpDslab(plan, 6, clock, emit)),
    job(ok.section, () => checkDig(plan, ok, 'A', clock, emit)),
    job(ok.section, () => checkOwnDns(plan, ok, 'A', clock, emit)),
    job(ok.section, () => checkDig(plan, ok, 'AAAA', clock, emit)),
    job(ok.section, () => checkOwnDns(plan, ok, 'AAAA', clock, emit)),
    job(ok.section, () => checkResolverOrder(plan, ok, clock, emit)),
    job(ok.section, () => checkByNameCurl(plan, ok, false, clock, emit)),
    job(ok.section, () => checkByNameDslab(plan, ok, false, clock, emit)),
    job(ok.section, () => checkByNameCurl(plan, ok, true, clock, emit)),
    job(ok.section, () => checkByNameDslab(plan, ok, true, clock, emit)),
    job(broken.section, () => checkDig(plan, broken, 'A', clock, emit)),
    job(broken.section, () => checkOwnDns(plan, broken, 'A', clock, emit)),
    job(broken.section, () => checkDig(plan, broken, 'AAAA', clock, emit)),
    job(broken.section, () => checkOwnDns(plan, broken, 'AAAA', clock, emit)),
    job('fallback', () => checkSequential(plan, plan.ok, 'ok', okMissing, clock, emit)),
  ];
  // one race at a time
  const races = [
    job('fallback', () => checkHappyFallback(plan, plan.broken, brokenMissing, clock, emit)),
    job('fallback', () => checkCurlFallback(plan, plan.broken, brokenMissing, clock, emit)),
  ];
  const counts: Partial<Record<Section, number>> = {};
  for (const j of [...background, ...quick, ...races]) counts[j.section] = (counts[j.section] ?? 0) + 1;
  emit({ type: 'expect', counts });

  const waiting = background.map((j) => j.run());
  const quickResults = await pool<CheckResult>(2, quick.map((j) => j.run));
  const raceResults: CheckResult[] = [];
  for (const r of races) raceResults.push(await r.run());
  const waited = await Promise.all(waiting);
  return [...quickResults, ...waited, ...raceResults];
}
