/**
 * Experiment 3: a name whose AAAA points at an address nobody has. The sequential client
 * (the seed's ds_client.py) waits out its 2 s timeout before trying IPv4; a Happy Eyeballs
 * client starts IPv4 after its Connection Attempt Delay (dslab 250 ms, curl 200 ms).
 * Both must end with HTTP/1.1 200 OK; the checks measure when each one fell back.
 */
import type { CheckResult, PlanName, RunPlan } from '../types.js';
import { CURL_EXCERPT, commandOutput, dslabOutput, inNodeCommand, ms, notApplicable, runCheck, urlFor, verdict, type Emit, type RunClock } from './check.js';
import { dsClientText, observeConnect, raceText, type ConnectObservation } from './connect.js';
import { curlVerboseText } from './parse-curl.js';
import { runCurl } from './tool-runs.js';

/** Timers never fire early, but clocks are read at slightly different moments. */
const CLOCK_SLACK_MS = 2;
/** "Well before the sequential client": Happy Eyeballs must fall back in under half its timeout. */
const WELL_BEFORE = 0.5;

const OK_STATUS = /^HTTP\/1\.[01] 200\b/;

/** When the client started its first IPv4 attempt (ms since it began), if it did. */
export function fallbackStartMs(o: ConnectObservation): number | undefined {
  return o.attempts.find((a) => a.family === 4)?.startMs;
}

export function checkSequential(plan: RunPlan, name: PlanName | undefined, key: 'ok' | 'broken', missing: string, clock: RunClock, emit: Emit): Promise<CheckResult> {
  const host = name?.name ?? '(none)';
  const t = plan.sequentialTimeoutMs;
  const spec = {
    id: `fallback.${key}.sequential`,
    section: 'fallback' as const,
    title: key === 'ok' ? `sequential client on ${host} connects over IPv6` : `sequential client on ${host} falls back after its ${t} ms timeout`,
    tool: 'dslab' as const,
    expectation:
      key === 'ok'
        ? `connected via IPv6 (${name?.ipv6 ?? '-'}) at once; recv: HTTP/1.1 200 OK`
        : `IPv6 ${name?.ipv6 ?? '-'} gets no answer (neighbour discovery would fail only after ~3 s), so the client gives up at its ${t} ms timeout; then IPv4 ${name?.ipv4 ?? '-'} connects; recv: HTTP/1.1 200 OK`,
    commands: [inNodeCommand(plan.lab, plan.client.name, `dslab connect ${host} ${plan.web.port} --mode sequential`)],
  };
  if (!name) return Promise.resolve(notApplicable(spec, missing, clock, emit));
  return runCheck(spec, clock, emit, async () => {
    const o = await observeConnect({ host, port: plan.web.port, mode: 'sequential', attemptTimeoutMs: t });
    const fb = fallbackStartMs(o);
    const output = dslabOutput(dsClientText(o), "the attempts of dslab's sequential client (its rebuild of the article's ds_client.py), run in the client node by this check, written in ds_client.py's format");
    const http = OK_STATUS.test(o.statusLine ?? '');
    if (key === 'ok') {
      const ok = o.winner?.address === name.ipv6 && o.attempts.length === 1 && http;
      return verdict(ok, `IPv${o.winner?.family ?? '?'} ${o.winner?.address ?? '-'} in ${ms(o.totalMs)}, ${o.statusLine ?? 'no HTTP answer'}`, `expected a single IPv6 attempt to ${name.ipv6}`, {
        ...output,
        data: { connect: o },
      });
    }
    const first = o.attempts[0];
    const ok = first?.family === 6 && first.outcome === 'failed' && o.winner?.address === name.ipv4 && fb !== undefined && fb >= t - CLOCK_SLACK_MS && http;
    const observed = `IPv6 gave up at ${first?.endMs != null ? ms(first.endMs) : '-'} (${first?.error?.code ?? first?.outcome ?? '-'}), IPv4 from ${fb !== undefined ? ms(fb) : '-'}, ${o.statusLine ?? 'no HTTP answer'}`;
    return verdict(ok, observed, `expected the IPv6 attempt to time out at ${t} ms and IPv4 to win with HTTP 200`, {
      ...output,
      data: { connect: o, fallbackMs: fb ?? null },
    });
  });
}

export function checkHappyFallback(plan: RunPlan, name: PlanName | undefined, missing: string, clock: RunClock, emit: Emit): Promise<CheckResult> {
  const host = name?.name ?? '(none)';
  const d = plan.happyDelayMs;
  const limit = plan.sequentialTimeoutMs * WELL_BEFORE;
  const spec = {
    id: 'fallback.broken.happy',
    section: 'fallback' as const,
    title: `Happy Eyeballs client on ${host} falls back after its ${d} ms delay`,
    tool: 'dslab' as const,
    expectation: `IPv4 ${name?.ipv4 ?? '-'} attempt starts ≥ ${d} ms (Connection Attempt Delay) and wins before ${limit} ms; HTTP/1.1 200 OK`,
    commands: [inNodeCommand(plan.lab, plan.client.name, `dslab connect ${host} ${plan.web.port} --mode happy --delay ${d} --timeline`)],
  };
  if (!name) return Promise.resolve(notApplicable(spec, missing, clock, emit));
  return runCheck(spec, clock, emit, async () => {
    const o = await observeConnect({ host, port: plan.web.port, mode: 'happy', delayMs: d });
    const fb = fallbackStartMs(o);
    const first = o.attempts[0];
    const http = OK_STATUS.test(o.statusLine ?? '');
    const ok = first?.family === 6 && o.winner?.address === name.ipv4 && fb !== undefined && fb >= d - CLOCK_SLACK_MS && o.totalMs < limit && http;
    const observed = `IPv6 first, IPv4 started at ${fb !== undefined ? ms(fb) : '-'}, IPv${o.winner?.family ?? '?'} won at ${ms(o.totalMs)}, ${o.statusLine ?? 'no HTTP answer'}`;
    return verdict(ok, observed, `expected IPv6 first, IPv4 from ≥ ${d} ms, winner ${name.ipv4} before ${limit} ms, HTTP 200`, {
      ...dslabOutput(raceText(o), "the race of dslab's own connector, run in the client node by this check"),
      data: { connect: o, fallbackMs: fb ?? null },
    });
  });
}

export function checkCurlFallback(plan: RunPlan, name: PlanName | undefined, missing: string, clock: RunClock, emit: Emit): Promise<CheckResult> {
  const host = name?.name ?? '(none)';
  const d = plan.curlDelayMs;
  const limit = plan.sequentialTimeoutMs * WELL_BEFORE;
  const url = urlFor(host, plan.web.port);
  const spec = {
    id: 'fallback.broken.curl',
    section: 'fallback' as const,
    title: `curl on ${host} falls back after its ${d} ms delay`,
    tool: 'curl' as const,
    expectation: `tries ${name?.ipv6 ?? '-'} first, then ${name?.ipv4 ?? '-'} from ≥ ${d} ms; connected to IPv4 before ${limit} ms; HTTP/1.1 200 OK`,
    commands: [`curl -v --connect-timeout 3 ${url}`],
  };
  if (!name) return Promise.resolve(notApplicable(spec, missing, clock, emit));
  return runCheck(spec, clock, emit, async () => {
    const r = await runCurl(['--connect-timeout', '3'], url);
    const w = r.writeOut;
    const tries = r.trace.tries;
    const v4 = tries.find((t) => t.address === name.ipv4);
    const connectMs = w ? w.timeConnectS * 1000 : undefined;
    const ok =
      tries[0]?.address === name.ipv6 &&
      v4 !== undefined &&
      v4.atMs >= d - CLOCK_SLACK_MS &&
      w?.remoteIp === name.ipv4 &&
      connectMs !== undefined &&
      connectMs < limit &&
      OK_STATUS.test(r.trace.statusLine ?? '');
    const observed = `tried ${tries.map((t) => `${t.address} at ${ms(t.atMs)}`).join(', ') || '-'}; connected to ${w?.remoteIp || '-'} at ${connectMs !== undefined ? ms(connectMs) : '-'}; ${r.trace.statusLine ?? 'no HTTP answer'}`;
    return verdict(ok, observed, `expected IPv6 first, IPv4 from ≥ ${d} ms, connected to ${name.ipv4} before ${limit} ms, HTTP 200`, {
      ...commandOutput(curlVerboseText(r.trace, 12), r.command, CURL_EXCERPT),
      data: { ...w, tries, connected: r.trace.connected, statusLine: r.trace.statusLine, fallbackMs: v4?.atMs ?? null },
    });
  });
}
