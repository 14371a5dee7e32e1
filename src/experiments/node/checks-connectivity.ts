/**
 * Experiment 1: the web node answers over IPv4 and over IPv6 by literal address (real curl
 * and dslab's own GET side by side), and answers pings in both families.
 */
import type { CheckResult, RunPlan } from '../types.js';
import { CURL_EXCERPT, commandOutput, dslabOutput, ms, notApplicable, runCheck, urlFor, verdict, type Emit, type RunClock } from './check.js';
import { httpGet, parseWhoami } from './http-get.js';
import { curlVerboseText } from './parse-curl.js';
import { runCurl, runPing } from './tool-runs.js';

type Fam = 4 | 6;

function webAddress(plan: RunPlan, family: Fam): string | undefined {
  return family === 4 ? plan.web.ipv4 : plan.web.ipv6;
}

/** Why a check of `family` cannot run here: the web node or the client has no address of it (an IPv6-only client network, say). */
function notApplicableReason(plan: RunPlan, family: Fam, addr: string | undefined): string | undefined {
  if (!addr) return `the web node has no IPv${family} address in this lab`;
  if (!(family === 4 ? plan.client.ipv4 : plan.client.ipv6)) return `the client has no IPv${family} address in this lab${family === 4 ? ' (an IPv6-only network)' : ''}`;
  return undefined;
}

export function checkHttpCurl(plan: RunPlan, family: Fam, clock: RunClock, emit: Emit): Promise<CheckResult> {
  const addr = webAddress(plan, family);
  const url = addr ? urlFor(addr, plan.web.port) : '';
  const spec = {
    id: `conn.http${family}.curl`,
    section: 'connectivity' as const,
    title: `HTTP over IPv${family} to ${addr ?? 'the web node'} (curl)`,
    tool: 'curl' as const,
    expectation: `HTTP 200 from ${addr ?? '-'} over IPv${family}`,
    commands: [family === 4 ? `curl -4 ${url}` : `curl -6 -g ${url}`],
  };
  const na = notApplicableReason(plan, family, addr);
  if (na || !addr) return Promise.resolve(notApplicable(spec, na ?? '', clock, emit));
  return runCheck(spec, clock, emit, async () => {
    const r = await runCurl([`-${family}`, '-g'], url);
    const w = r.writeOut;
    const observed = w ? `HTTP ${w.httpCode} from ${w.remoteIp || 'nowhere'} (connect ${ms(w.timeConnectS * 1000)})` : `curl exit ${r.code}`;
    return verdict(w?.httpCode === 200 && w.remoteIp === addr, observed, w?.errorMessage ?? `curl exit ${r.code}: ${r.stderr.trim().split('\n').pop() ?? ''}`, {
      ...commandOutput(curlVerboseText(r.trace), r.command, CURL_EXCERPT),
      data: { ...w, statusLine: r.trace.statusLine },
    });
  });
}

export function checkHttpDslab(plan: RunPlan, family: Fam, clock: RunClock, emit: Emit): Promise<CheckResult> {
  const addr = webAddress(plan, family);
  const spec = {
    id: `conn.http${family}.dslab`,
    section: 'connectivity' as const,
    title: `HTTP over IPv${family} to ${addr ?? 'the web node'} (dslab)`,
    tool: 'dslab' as const,
    expectation: `HTTP 200; the server sees the visit come from ${(family === 4 ? plan.client.ipv4 : plan.client.ipv6) ?? '-'} over IPv${family}`,
    commands: [`curl -s ${addr ? urlFor(addr, plan.web.port, '/whoami') : ''}`],
  };
  const na = notApplicableReason(plan, family, addr);
  if (na || !addr) return Promise.resolve(notApplicable(spec, na ?? '', clock, emit));
  return runCheck(spec, clock, emit, async () => {
    const r = await httpGet(addr, plan.web.port, '/whoami');
    const who = parseWhoami(r.body);
    const clientAddr = family === 4 ? plan.client.ipv4 : plan.client.ipv6;
    if (!who) {
      // a server without /whoami (nginx): the status line is all there is to check
      return verdict(r.status === 200 || r.status === 404, `${r.statusLine} from ${r.remote?.address ?? addr}`, `unexpected answer: ${r.statusLine}`, {
        ...dslabOutput(r.statusLine, "the status line dslab's own HTTP GET received"),
      });
    }
    const ok = r.status === 200 && who.family === `IPv${family}` && who.client.address === clientAddr;
    return verdict(ok, `${r.statusLine}; server saw ${who.family} from ${who.client.address}`, `the server saw ${who.family} from ${who.client.address}`, {
      ...dslabOutput(`${r.statusLine}\n${r.body.trim()}`, "the status line and body dslab's own HTTP GET received"),
      data: { statusLine: r.statusLine, whoami: who },
    });
  });
}

export function checkPing(plan: RunPlan, family: Fam, clock: RunClock, emit: Emit): Promise<CheckResult> {
  const addr = webAddress(plan, family);
  const { count, intervalS } = plan.ping;
  const spec = {
    id: `conn.ping${family}`,
    section: 'connectivity' as const,
    title: `ping over IPv${family} to ${addr ?? 'the web node'}`,
    tool: 'ping' as const,
    expectation: `${count} sent, ${count} received, 0% packet loss`,
    commands: [`ping -c ${count} -i ${intervalS} ${addr ?? ''}`],
  };
  const na = notApplicableReason(plan, family, addr);
  if (na || !addr) return Promise.resolve(notApplicable(spec, na ?? '', clock, emit));
  return runCheck(spec, clock, emit, async () => {
    const r = await runPing(addr, count, intervalS);
    const s = r.summary;
    const rtt = s?.rtt ? `, rtt avg ${s.rtt.avgMs} ms (min ${s.rtt.minMs}, max ${s.rtt.maxMs})` : '';
    const observed = s ? `${s.received}/${s.transmitted} received, ${s.lossPercent}% loss${rtt}` : `ping exit ${r.code}`;
    return verdict(Boolean(s && s.transmitted > 0 && s.lossPercent === 0), observed, s ? `${s.lossPercent}% packet loss` : r.stdout.split('\n').pop() ?? '', {
      ...commandOutput(r.stdout, r.command),
      data: s ? { ...s } : {},
    });
  });
}
