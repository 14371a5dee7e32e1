/**
 * Text of `dslab measure`: the command and its exit, the DNS queries and answers, the race as
 * a timeline (the same picture as `dslab connect --timeline`), and the RFC 8305 verdict.
 * All of it is dslab's rendering of the capture, and says so.
 */
import type { MeasureResult } from '../../measure/measure.js';
import type { Verdict } from '../../measure/verdict.js';
import { drawTimeline } from '../../reports/timeline.js';

const ms = (v: number | undefined): string => (v === undefined ? '-' : v < 10 ? `${v.toFixed(1)} ms` : `${Math.round(v)} ms`);

export function renderVerdict(v: Verdict): string[] {
  const out: string[] = [];
  out.push(`  DNS queries: ${v.queryOrder}${v.queryOrder === 'AAAA first' ? ' (as RFC 8305 §3 asks)' : v.queryOrder === 'parallel' ? ' (A before AAAA, both before any answer)' : ''}`);
  if (v.resolutionDelay) out.push(`  Resolution Delay: ${v.resolutionDelay.note}`);
  if (v.firstFamily) out.push(`  first attempt: IPv${v.firstFamily}`);
  if (v.attemptDelay) out.push(`  Connection Attempt Delay: ${ms(v.attemptDelay.ms)}, ${v.attemptDelay.bound}`);
  else if (v.firstFamily) out.push('  Connection Attempt Delay: none seen (one family only)');
  if (v.interleaved !== null) out.push(`  families interleaved: ${v.interleaved ? 'yes' : 'no'}`);
  if (v.losersAbandoned !== null) out.push(`  losing attempts abandoned: ${v.losersAbandoned ? 'yes' : 'no (SYNs sent again after the winner connected)'}`);
  if (v.networkStartMs !== undefined) out.push(`  the program's first packet left at ${ms(v.networkStartMs)} (its own start-up)`);
  if (v.familyUsed) out.push(`  connected over IPv${v.familyUsed} at ${ms(v.connectMs)} (${ms(v.connectFromStartMs)} after its first packet)${v.firstByteMs !== undefined ? `, first byte at ${ms(v.firstByteMs)}` : ''}`);
  if (v.bestMs !== undefined) out.push(`  the user waited ${ms(v.connectMs)}; the best possible here is ${ms(v.bestMs)} (+${ms(v.extraMs)})`);
  for (const n of v.notes) out.push(`  note: ${n}`);
  out.push(`  grade: ${v.grade.toUpperCase()}`);
  return out;
}

export function renderMeasure(r: MeasureResult): string[] {
  const out = [`Measured in node ${r.node} of lab "${r.lab}": ${r.command.join(' ')}`];
  if (r.scenarios.length > 0) out.push(`Scenario: ${r.scenarios.join(', ')}`);
  for (const f of r.faults) out.push(`  fault ${f}`);
  const end = r.ended === 'timeout' ? 'stopped by dslab after its timeout' : r.ended === 'signal' ? 'ended by a signal' : `exit ${r.exitCode}`;
  out.push(`The command: ${end}, after ${ms(r.wallMs)}.`);
  if (r.exitCode === 127) out.push(`  (exit 127: the program was not found in the node: ${r.stderr.trim().split('\n')[0] ?? ''})`);
  out.push('', `From its packets (dslab's reading of a tcpdump capture, ${r.analysis.packets} packets${r.pcap ? `, kept in ${r.pcap}` : ''}):`);
  if (r.analysis.host) out.push(`The race for ${r.analysis.host}${r.analysis.otherQueries ? ` (${r.analysis.otherQueries} DNS queries for other names left out; --host NAME picks the name)` : ''}.`);
  out.push('DNS:');
  if (r.analysis.queries.length === 0) out.push('  no DNS query');
  for (const q of r.analysis.queries) {
    const a = q.answer;
    const answer = a ? `answered at ${ms(a.atMs)}: ${a.rcode}${a.truncated ? ' TC' : ''}${a.addresses.length ? ` ${a.addresses.join(', ')}` : ''}` : 'no answer';
    out.push(`  ${ms(q.sentMs).padStart(8)}  ${q.qtype.padEnd(4)} ${q.name} to ${q.server} (${q.transport}${q.retries ? `, ${q.retries} retr${q.retries === 1 ? 'y' : 'ies'}` : ''}); ${answer}`);
  }
  out.push('Connection attempts:');
  if (r.race.lanes.length === 0) out.push('  none');
  else {
    out.push(...drawTimeline(r.race.lanes, { marks: r.race.marks }).split('\n').map((l) => `  ${l}`));
    for (const a of r.analysis.attempts) {
      const why = a.outcome === 'icmp-error' ? a.icmp : a.outcome === 'no-neighbour' ? 'no answer to neighbour discovery: the SYN never left the node' : a.outcome;
      out.push(`  IPv${a.family} ${a.address} port ${a.port}: ${why}${a.retransmits ? `, SYN sent ${a.retransmits + 1} times` : ''}${a.carriedData ? ', carried the request' : ''}`);
    }
  }
  out.push('', 'Verdict against RFC 8305:', ...renderVerdict(r.verdict));
  return out;
}
