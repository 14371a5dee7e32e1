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

/** One query's fate: `AAAA in 1.2 ms`, `AAAA timed out after 3001.4 ms (ETIMEOUT)`, `A not waited for`, `A no answer`. */
function queryText(qtype: 'A' | 'AAAA', q: ConnectReport['resolution']['a'], trace: ConnectReport['trace']): string {
  // a query still out when the race was won is cancelled: nobody needed its answer any more
  if (q.ms === null) return trace.some((e) => e.type === 'query-cancelled' && e.qtype === qtype) ? `${qtype} not waited for` : `${qtype} no answer`;
  if (q.error === 'ETIMEOUT') return `${qtype} timed out after ${ms(q.ms)} (${q.error})`;
  if (q.error === 'ENODATA') return `${qtype} no records (ENODATA, ${ms(q.ms)})`;
  if (q.error) return `${qtype} failed after ${ms(q.ms)} (${q.error})`;
  return `${qtype} in ${ms(q.ms)}`;
}

/**
 * Sequential mode, like getaddrinfo, connects only once both queries are settled: a query
 * that got no answer holds the first attempt back for the resolver's whole timeout. Said
 * plainly, since it is the difference from happy mode (RFC 8305 §3) that users see.
 */
export function sequentialWaitNote(r: ConnectReport): string | undefined {
  if (r.mode !== 'sequential' || r.resolution.source !== 'dns') return undefined;
  const timedOut = (['aaaa', 'a'] as const).filter((k) => r.resolution[k].error === 'ETIMEOUT' && r.resolution[k].ms !== null);
  if (timedOut.length === 0) return undefined;
  const k = timedOut[0]!;
  const qtype = k === 'aaaa' ? 'AAAA' : 'A';
  const other = k === 'aaaa' ? r.resolution.a : r.resolution.aaaa;
  const first = r.attempts[0];
  const waited = first ? ` The first attempt started at ${ms(first.startMs)}` : ' No attempt was made';
  const answered = other.ms !== null && other.addresses.length > 0 ? `, although the ${qtype === 'AAAA' ? 'A' : 'AAAA'} answer was there at ${ms(other.ms)}` : '';
  return `note: sequential mode waits for both DNS answers before connecting, like getaddrinfo: the ${qtype} query got no answer and timed out after ${ms(r.resolution[k].ms!)} (the resolver's timeout; --dns-timeout sets it).${waited}${answered}. Happy mode (RFC 8305 §3) would have waited at most the Resolution Delay (50 ms) after it.`;
}

function tlsLine(r: ConnectReport): string | undefined {
  if (!r.tls) return undefined;
  const what = r.tls.authorized ? 'certificate verified' : `certificate NOT verified (${r.tls.authorizationError ?? 'verification off'}; --insecure)`;
  return `tls: ${r.tls.protocol ?? 'TLS'}${r.tls.servername ? `, server name ${r.tls.servername}` : ''}, ${what}`;
}

function resolvedLine(r: ConnectReport): string {
  const parts: string[] = [];
  const src = r.resolution.source;
  if (src === 'dns') {
    if (r.resolution.aaaa.ms !== null || r.mode !== 'ipv4') parts.push(queryText('AAAA', r.resolution.aaaa, r.trace));
    if (r.resolution.a.ms !== null || r.mode !== 'ipv6') parts.push(queryText('A', r.resolution.a, r.trace));
  } else if (src === 'hosts') parts.push('from the hosts file');
  else if (src === 'literal') parts.push('an address, no lookup');
  else parts.push('cached winner, tried before DNS answered');
  return `resolved: ${r.host}:${r.port} (${parts.join(', ')})`;
}

export function renderConnect(r: ConnectReport): string[] {
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
    else if (a.outcome === 'connected' && !r.winner) {
      // TCP connected but what came after (TLS) failed: the error line says why
      events.push({ t: a.endMs, order: i * 2 + 1, text: `connected via ${fam(a.family)} (TCP) at ${ms(a.endMs)} (handshake ${ms(took)}), then failed` });
    } else if (a.outcome === 'connected') {
      const hs = r.handshakeMs ?? took;
      events.push({ t: a.endMs, order: i * 2 + 1, text: `connected via ${fam(a.family)} in ${ms(r.totalMs)} (handshake ${ms(hs)}${r.fromCache ? ', cached winner' : ''}${r.tlsMs !== undefined ? `, TLS ${ms(r.tlsMs)}` : ''})` });
    } else events.push({ t: a.endMs, order: i * 2 + 1, text: `cancelled ${fam(a.family)}: ${a.address} still connecting after ${ms(took)}` });
  });
  events.sort((x, y) => x.t - y.t || x.order - y.order);
  lines.push(...events.map((e) => e.text));
  const tls = tlsLine(r);
  if (tls) lines.push(tls);
  // with --explain the explanation's own notes say it (renderExplain)
  const note = r.explain ? undefined : sequentialWaitNote(r);
  if (note) lines.push(note);
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
