/**
 * Experiment 2 (and the DNS half of 3): A and AAAA answers seen by dig and by dslab's own
 * query; the order the system resolver hands addresses to programs; and which family a
 * connection by name uses, by default and with IPv4 forced.
 */
import { lookup } from 'node:dns/promises';
import { readFile } from 'node:fs/promises';
import type { CheckResult, PlanName, RunPlan, Section } from '../types.js';
import { CURL_EXCERPT, commandOutput, dslabOutput, inNodeCommand, ms, notApplicable, runCheck, urlFor, verdict, type Emit, type RunClock } from './check.js';
import { observeConnect, raceText } from './connect.js';
import { digStyle, queryDns } from './dns-query.js';
import { curlVerboseText } from './parse-curl.js';
import { digFailure } from './parse-dig.js';
import { runCurl, runDig, runGetent } from './tool-runs.js';

export interface DnsCase {
  /** `ok` or `broken`: part of each check id. */
  key: 'ok' | 'broken';
  section: Section;
  name: PlanName | undefined;
  /** Why there is no such name in this lab (for n/a). */
  missing: string;
}

function expected(c: PlanName, type: 'A' | 'AAAA'): string {
  return type === 'A' ? c.ipv4 : c.ipv6;
}

export function checkDig(plan: RunPlan, dc: DnsCase, type: 'A' | 'AAAA', clock: RunClock, emit: Emit): Promise<CheckResult> {
  const name = dc.name?.name ?? '(none)';
  const spec = {
    id: `dns.${dc.key}.${type.toLowerCase()}.dig`,
    section: dc.section,
    title: `${type} of ${name} (dig)`,
    tool: 'dig' as const,
    expectation: dc.name ? `NOERROR, answer ${expected(dc.name, type)}` : '-',
    commands: [`dig ${name} ${type} +short`, `dig ${name} ${type}`],
  };
  if (!dc.name) return Promise.resolve(notApplicable(spec, dc.missing, clock, emit));
  const want = expected(dc.name, type);
  return runCheck(spec, clock, emit, async () => {
    const r = await runDig(name, type);
    const d = r.result;
    if (!d) return { status: 'fail', observed: `dig exit ${r.code}: no answer`, reason: digFailure(r.stdout) ?? (r.stdout.trim().split('\n').pop() || 'no answer'), ...commandOutput(r.stdout.trim(), r.command) };
    const got = d.answers.filter((a) => a.type === type).map((a) => a.data);
    const observed = `${d.status}, flags ${d.flags.join(' ')}, answer ${got.join(' ') || '(none)'}, server ${d.serverAddress ?? '?'}, ${d.queryTimeMs ?? '?'} ms`;
    return verdict(d.status === 'NOERROR' && got.length === 1 && got[0] === want, observed, `expected ${want}, got ${got.join(' ') || 'no answer'}`, {
      ...commandOutput(r.stdout.trim(), r.command),
      data: { ...d },
    });
  });
}

export function checkOwnDns(plan: RunPlan, dc: DnsCase, type: 'A' | 'AAAA', clock: RunClock, emit: Emit): Promise<CheckResult> {
  const name = dc.name?.name ?? '(none)';
  const server = plan.resolver;
  const spec = {
    id: `dns.${dc.key}.${type.toLowerCase()}.dslab`,
    section: dc.section,
    title: `${type} of ${name} (dslab query)`,
    tool: 'dslab' as const,
    expectation: dc.name ? `NOERROR, answer ${expected(dc.name, type)}` : '-',
    commands: [`dig @${server ?? '?'} ${name} ${type}`],
  };
  if (!dc.name) return Promise.resolve(notApplicable(spec, dc.missing, clock, emit));
  if (!server) return Promise.resolve(notApplicable(spec, `${plan.client.name} has no resolver in this lab`, clock, emit));
  const want = expected(dc.name, type);
  return runCheck(spec, clock, emit, async () => {
    const d = await queryDns({ server, name, type });
    const got = d.answers.map((a) => a.data);
    const observed = `${d.status}, flags ${d.flags.join(' ')}, answer ${got.join(' ') || '(none)'}, ${ms(d.elapsedMs)}`;
    return verdict(d.status === 'NOERROR' && got.length === 1 && got[0] === want, observed, `expected ${want}, got ${got.join(' ') || 'no answer'}`, {
      ...dslabOutput(digStyle(name, type, d), `dslab's own ${type} query to ${server} (dns-packet over UDP), laid out the way dig prints an answer`),
      data: { ...d },
    });
  });
}

/** The active lines of /etc/gai.conf: what overrides glibc's built-in policy table (none: the built-in one). */
async function gaiConfRules(): Promise<string[]> {
  try {
    return (await readFile('/etc/gai.conf', 'utf8'))
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .filter((l) => /^(label|precedence|scopev4|reload)\b/.test(l));
  } catch {
    return [];
  }
}

/** getaddrinfo's order is what programs see first; the policy table decides it (RFC 6724 §6). */
export function checkResolverOrder(plan: RunPlan, dc: DnsCase, clock: RunClock, emit: Emit): Promise<CheckResult> {
  const name = dc.name?.name ?? '(none)';
  const spec = {
    id: `dns.${dc.key}.order`,
    section: dc.section,
    title: `order the system resolver returns for ${name}`,
    tool: 'dslab' as const,
    expectation: 'both addresses returned; the first one is what a simple client tries first',
    commands: [`getent ahosts ${name}`],
  };
  if (!dc.name) return Promise.resolve(notApplicable(spec, dc.missing, clock, emit));
  const c = dc.name;
  return runCheck(spec, clock, emit, async () => {
    const [list, gaiRules, getent] = await Promise.all([lookup(c.name, { all: true, verbatim: true }), gaiConfRules(), runGetent(c.name)]);
    const addrs = list.map((a) => a.address);
    const first = list[0];
    const table = gaiRules.length ? `/etc/gai.conf with ${gaiRules.length} rule(s)` : "glibc's built-in table (no /etc/gai.conf rules)";
    const observed = `${addrs.join(', ')} (IPv${first?.family ?? '?'} first; policy: ${table})`;
    return verdict(addrs.includes(c.ipv4) && addrs.includes(c.ipv6), observed, `expected both ${c.ipv4} and ${c.ipv6}`, {
      ...(getent
        ? commandOutput(getent.stdout, getent.command)
        : dslabOutput(list.map((a) => `${a.address.padEnd(40)} STREAM ${c.name}`).join('\n'), "getaddrinfo's answer to dslab (getent is not installed), laid out the way getent prints it")),
      data: { addresses: addrs, firstFamily: first?.family ?? null, gaiConfRules: gaiRules },
    });
  });
}

/** `curl -v http://name/` (or with `-4`): which address curl connected to. */
export function checkByNameCurl(plan: RunPlan, dc: DnsCase, force4: boolean, clock: RunClock, emit: Emit): Promise<CheckResult> {
  const name = dc.name?.name ?? '(none)';
  const url = urlFor(name, plan.web.port);
  const spec = {
    id: `dns.${dc.key}.${force4 ? 'force4' : 'name'}.curl`,
    section: dc.section,
    title: force4 ? `curl -4 by name uses IPv4` : `curl by name prefers IPv6`,
    tool: 'curl' as const,
    expectation: dc.name ? `connected to ${force4 ? dc.name.ipv4 : dc.name.ipv6}, HTTP 200` : '-',
    commands: [force4 ? `curl -4 -v ${url}` : `curl -v ${url}`],
  };
  if (!dc.name) return Promise.resolve(notApplicable(spec, dc.missing, clock, emit));
  const want = force4 ? dc.name.ipv4 : dc.name.ipv6;
  return runCheck(spec, clock, emit, async () => {
    const r = await runCurl(force4 ? ['-4'] : [], url);
    const w = r.writeOut;
    const observed = w ? `connected to ${w.remoteIp || 'nothing'}, HTTP ${w.httpCode}, tried ${r.trace.tries.map((t) => t.address).join(' then ') || '-'}` : `curl exit ${r.code}`;
    return verdict(w?.remoteIp === want && w.httpCode === 200, observed, `expected ${want}; ${w?.errorMessage ?? `curl exit ${r.code}`}`, {
      ...commandOutput(curlVerboseText(r.trace), r.command, CURL_EXCERPT),
      data: { ...w, tries: r.trace.tries, statusLine: r.trace.statusLine },
    });
  });
}

/** dslab's Happy Eyeballs client by name (or IPv4 only): which family won. */
export function checkByNameDslab(plan: RunPlan, dc: DnsCase, force4: boolean, clock: RunClock, emit: Emit): Promise<CheckResult> {
  const name = dc.name?.name ?? '(none)';
  const mode = force4 ? 'ipv4' : 'happy';
  const spec = {
    id: `dns.${dc.key}.${force4 ? 'force4' : 'name'}.dslab`,
    section: dc.section,
    title: force4 ? `dslab connect --mode ipv4 uses IPv4` : `dslab's Happy Eyeballs client prefers IPv6`,
    tool: 'dslab' as const,
    expectation: dc.name ? `winner ${force4 ? dc.name.ipv4 : dc.name.ipv6}, HTTP/1.1 200 OK` : '-',
    commands: [inNodeCommand(plan.lab, plan.client.name, `dslab connect ${name} ${plan.web.port} --mode ${mode} --timeline`)],
  };
  if (!dc.name) return Promise.resolve(notApplicable(spec, dc.missing, clock, emit));
  const want = force4 ? dc.name.ipv4 : dc.name.ipv6;
  return runCheck(spec, clock, emit, async () => {
    const o = await observeConnect({ host: name, port: plan.web.port, mode, delayMs: plan.happyDelayMs });
    const observed = o.winner ? `IPv${o.winner.family} ${o.winner.address} won in ${ms(o.totalMs)}, ${o.statusLine ?? 'no HTTP answer'}` : `no winner: ${o.error?.message ?? '?'}`;
    return verdict(o.winner?.address === want && /^HTTP\/1\.[01] 200\b/.test(o.statusLine ?? ''), observed, `expected ${want}; ${o.error?.message ?? `got ${o.winner?.address ?? 'none'}`}`, {
      ...dslabOutput(raceText(o), "the race of dslab's own connector, run in the client node by this check"),
      data: { connect: o },
    });
  });
}
