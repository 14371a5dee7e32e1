/**
 * Human output of `dslab connect`, in the style of the article's ds_client.py: the resolved
 * addresses, `try IPv6: ...`, `failed via IPv6: timed out`, `connected via IPv4 in 251.2 ms`
 * (total since the call, resolution included, with the handshake beside it), `recv: ...`.
 */
import type { ConnectReport } from '../../connector/report.js';
import type { AttemptRecord } from '../../connector/types.js';

const ms = (n: number): string => `${n.toFixed(1)} ms`;
const fam = (f: 4 | 6): string => `IPv${f}`;

function failureText(a: AttemptRecord): string {
  const code = a.error?.code ?? '';
  if (code === 'ETIMEDOUT') return 'timed out';
  if (code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)';
  if (code === 'ENETUNREACH') return 'network unreachable (ENETUNREACH)';
  if (code === 'EHOSTUNREACH') return 'host unreachable (EHOSTUNREACH)';
  return `${a.error?.message ?? 'failed'}${code ? ` (${code})` : ''}`;
}

function resolvedLine(r: ConnectReport): string {
  const parts: string[] = [];
  const src = r.resolution.source;
  if (src === 'dns') {
    if (r.resolution.aaaa.ms !== null || r.mode !== 'ipv4') parts.push(`AAAA ${r.resolution.aaaa.ms === null ? 'no answer' : `in ${ms(r.resolution.aaaa.ms)}`}${r.resolution.aaaa.error ? ` (${r.resolution.aaaa.error})` : ''}`);
    if (r.resolution.a.ms !== null || r.mode !== 'ipv6') parts.push(`A ${r.resolution.a.ms === null ? 'no answer' : `in ${ms(r.resolution.a.ms)}`}${r.resolution.a.error ? ` (${r.resolution.a.error})` : ''}`);
  } else if (src === 'hosts') parts.push('from the hosts file');
  else if (src === 'literal') parts.push('an address, no lookup');
  else parts.push('cached winner, tried before DNS answered');
  return `resolved: ${r.host}:${r.port} (${parts.join(', ')})`;
}

export function renderConnect(r: ConnectReport, compact = false): string[] {
  if (compact) return [summaryLine(r)];
  const lines: string[] = [];
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  lines.push(resolvedLine(r));
  const listed = r.candidates.length > 0 ? r.candidates : [...r.resolution.aaaa.addresses.map((address) => ({ address, family: 6 as const })), ...r.resolution.a.addresses.map((address) => ({ address, family: 4 as const }))];
  for (const c of listed) lines.push(`  - ${fam(c.family)} ${c.address}`);
  const events: Array<{ t: number; order: number; text: string }> = [];
  r.attempts.forEach((a, i) => {
    events.push({ t: a.startMs, order: i * 2, text: `try ${fam(a.family)}: ${a.address} port ${r.port} ... (at ${ms(a.startMs)})` });
    if (a.endMs === null) return;
    const took = a.endMs - a.startMs;
    if (a.outcome === 'failed') events.push({ t: a.endMs, order: i * 2 + 1, text: `failed via ${fam(a.family)}: ${failureText(a)} after ${ms(took)}` });
    else if (a.outcome === 'connected') {
      const hs = r.handshakeMs ?? took;
      events.push({ t: a.endMs, order: i * 2 + 1, text: `connected via ${fam(a.family)} in ${ms(r.totalMs)} (handshake ${ms(hs)}${r.fromCache ? ', cached winner' : ''}${r.tlsMs !== undefined ? `, TLS ${ms(r.tlsMs)}` : ''})` });
    } else events.push({ t: a.endMs, order: i * 2 + 1, text: `cancelled ${fam(a.family)}: ${a.address} still connecting after ${ms(took)}` });
  });
  events.sort((x, y) => x.t - y.t || x.order - y.order);
  lines.push(...events.map((e) => e.text));
  if (r.error) {
    lines.push(`error: ${r.error.message} (${r.error.code})`);
    if (r.error.hint) lines.push(`  ${r.error.hint}`);
  }
  if (r.http && 'statusLine' in r.http) lines.push(`recv: ${r.http.statusLine}`);
  if (r.http && 'error' in r.http) lines.push(`http error: ${r.http.error}`);
  return lines;
}

export function summaryLine(r: ConnectReport): string {
  if (!r.winner) return `failed after ${ms(r.totalMs)}: ${r.error?.message ?? 'no connection'}`;
  const recv = r.http && 'statusLine' in r.http ? `, recv: ${r.http.statusLine}` : '';
  return `connected via ${fam(r.winner.family)} ${r.winner.address} in ${ms(r.totalMs)} (handshake ${ms(r.handshakeMs ?? 0)}${r.fromCache ? ', cached winner' : ''})${recv}`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function renderCountSummary(runs: ConnectReport[]): string[] {
  const ok = runs.filter((r) => r.winner);
  const totals = ok.map((r) => r.totalMs);
  const lines = ['', `${ok.length} of ${runs.length} connected`];
  if (totals.length > 0) {
    lines.push(`  total: first ${ms(totals[0]!)}, median ${ms(median(totals))}, min ${ms(Math.min(...totals))}, max ${ms(Math.max(...totals))}`);
    lines.push(`  cached winner used in ${ok.filter((r) => r.fromCache).length} run(s)`);
  }
  return lines;
}
