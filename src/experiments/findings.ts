/**
 * The findings in plain words: what the measured results say about the article's claims,
 * computed from the checks (never assumed), plus the corrections of the article's facts.
 */
import { isUla } from './explain.js';
import type { CheckResult, RunPlan } from './types.js';

function find(checks: CheckResult[], id: string): CheckResult | undefined {
  return checks.find((c) => c.id === id);
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function msText(v: number | undefined): string {
  return v === undefined ? 'unknown' : `${Math.round(v)} ms`;
}

export function findings(plan: RunPlan, checks: CheckResult[]): string[] {
  const out: string[] = [];
  const failed = checks.filter((c) => c.status === 'fail');
  out.push(
    failed.length === 0
      ? `All ${checks.filter((c) => c.status === 'pass').length} checks that ran passed: the lab is dual-stack and behaves as the article describes, with the corrections below.`
      : `${failed.length} check(s) failed: ${failed.map((c) => c.id).join(', ')}. See each one's reason above.`,
  );

  const order = find(checks, 'dns.ok.order');
  const first = num(order?.data?.firstFamily);
  const gaiRules = (order?.data?.gaiConfRules as string[] | undefined) ?? [];
  const byName = find(checks, 'dns.ok.name.curl');
  if (plan.ok && order?.status === 'pass') {
    const ula = isUla(plan.ok.ipv6);
    const why =
      first === 6 && !ula
        ? `${plan.ok.ipv6} is not a ULA: RFC 6724's default table and glibc's both rank it above IPv4.`
        : first === 6 && gaiRules.length > 0
          ? `That order comes from the ${gaiRules.length} rule(s) of this machine's /etc/gai.conf, which replace glibc's built-in policy table; RFC 6724's default table would put IPv4 first for this ULA destination.`
          : first === 6
            ? "That order comes from glibc's built-in policy table (RFC 3484's precedences, with no ULA row, so the ULA outranks IPv4), not from a rule that IPv6 always wins: RFC 6724's default table would put IPv4 first for this ULA destination."
            : ula
              ? "That matches RFC 6724's default table, which ranks a ULA below IPv4 (an /etc/gai.conf with its rows is in use)."
              : 'IPv4 came first although the IPv6 address is not a ULA: an /etc/gai.conf rule (or a missing IPv6 route) changed the order.';
    out.push(`The system resolver listed ${first === 6 ? 'IPv6' : 'IPv4'} first for ${plan.ok.name}` + (byName?.status === 'pass' ? ', and curl connected over IPv6. ' : '. ') + why);
  }

  const seq = find(checks, 'fallback.broken.sequential');
  const happy = find(checks, 'fallback.broken.happy');
  const curl = find(checks, 'fallback.broken.curl');
  if (plan.broken && (seq?.status === 'pass' || happy?.status === 'pass' || curl?.status === 'pass')) {
    const s = num(seq?.data?.fallbackMs);
    const h = num(happy?.data?.fallbackMs);
    const c = num(curl?.data?.fallbackMs);
    const parts = [`sequential client after ${msText(s)} (its ${plan.sequentialTimeoutMs} ms timeout)`, `dslab's Happy Eyeballs after ${msText(h)} (delay ${plan.happyDelayMs} ms)`];
    if (curl?.status !== 'skip') parts.push(`curl after ${msText(c)} (its own ${plan.curlDelayMs} ms delay)`);
    out.push(`With IPv6 broken for ${plan.broken.name}, every client still got HTTP 200 over IPv4. Each started IPv4: ${parts.join('; ')}.`);
    if (s !== undefined && h !== undefined) out.push(`Happy Eyeballs reached IPv4 ${msText(s - h)} sooner than the sequential client: the user barely notices the broken IPv6.`);
  }

  out.push(
    "Corrections to the article: RFC 8305's only MUST on the Connection Attempt Delay is a 10 ms floor (100 ms is its recommended minimum, 250 ms its recommended value, §5); the Resolution Delay (50 ms) is in §3; curl's delay is 200 ms, not 250 ms.",
  );
  const skipped = checks.filter((c) => c.status === 'skip');
  if (skipped.length) out.push(`Skipped (not failures): ${skipped.map((c) => `${c.id}: ${c.reason ?? ''}`).join('; ')}`);
  const na = checks.filter((c) => c.status === 'n/a');
  if (na.length) out.push(`Not applicable in this lab: ${na.map((c) => `${c.id} (${c.reason ?? ''})`).join('; ')}`);
  return out;
}
