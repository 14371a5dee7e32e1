/**
 * What a program did, from its packets alone (pure): the DNS queries it sent and the answers
 * it got, each connection attempt (first SYN, or the neighbour solicitation of an on-link
 * address that never answered, so the SYN never left), what answered each attempt (SYN-ACK,
 * RST, an ICMP/ICMPv6 error, or nothing), which connection carried the data, and the time to
 * the first byte. DNS over TCP (port 53) is DNS, not a connection attempt.
 */
import type { Packet } from './packets.js';
import { TCP } from './packets.js';

export interface DnsQuery {
  name: string;
  qtype: string;
  server: string;
  family: 4 | 6;
  transport: 'udp' | 'tcp';
  /** When the first query went out (ms since the command started). */
  sentMs: number;
  /** The same question sent again (retries). */
  retries: number;
  answer?: { atMs: number; rcode: string; truncated: boolean; addresses: string[] };
}

export type AttemptOutcome = 'connected' | 'refused' | 'icmp-error' | 'no-neighbour' | 'no-answer';

export interface Attempt {
  family: 4 | 6;
  address: string;
  port: number;
  /** The client's port (undefined for an attempt that never got past neighbour discovery). */
  localPort?: number;
  startMs: number;
  /** SYNs sent again for this attempt. */
  retransmits: number;
  lastSynMs: number;
  outcome: AttemptOutcome;
  /** When the outcome arrived (undefined: nothing came). */
  endMs?: number;
  /** The ICMP error, in words (`ICMPv6 no route (1/0)`). */
  icmp?: string;
  /** The connection that carried the request. */
  carriedData: boolean;
  /** When the first byte of the answer arrived (on the connection that carried data). */
  firstByteMs?: number;
}

export interface PacketAnalysis {
  /** The name the race is about (given, or the one whose addresses the program connected to). */
  host?: string;
  queries: DnsQuery[];
  /** DNS queries for other names (a browser's background traffic, say), left out of the race. */
  otherQueries: number;
  attempts: Attempt[];
  /** The attempt that carried the data (or connected first). */
  winner?: Attempt;
  /** When the first byte of the answer arrived on the winner. */
  firstByteMs?: number;
  packets: number;
}

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

const ICMP_WORDS: Record<string, string> = {
  '4/3/0': 'ICMP net unreachable (3/0)',
  '4/3/1': 'ICMP host unreachable (3/1)',
  '4/3/3': 'ICMP port unreachable (3/3)',
  '4/3/13': 'ICMP administratively prohibited (3/13)',
  '6/1/0': 'ICMPv6 no route (1/0)',
  '6/1/1': 'ICMPv6 administratively prohibited (1/1)',
  '6/1/3': 'ICMPv6 address unreachable (1/3)',
  '6/1/4': 'ICMPv6 port unreachable (1/4)',
};

export function icmpWords(family: 4 | 6, type: number, code: number): string {
  return ICMP_WORDS[`${family}/${type}/${code}`] ?? `ICMP${family === 6 ? 'v6' : ''} type ${type} code ${code}`;
}

/**
 * `clientAddresses`: the measured node's own addresses (what "sent by the client" means).
 * `host`: the name the race is about; by default the name whose answer holds an address the
 * program connected to (else the first name asked). Queries for other names and attempts to
 * addresses of other names are left out, so background traffic does not blur the race.
 */
export function analyzePackets(packets: readonly Packet[], clientAddresses: readonly string[], host?: string): PacketAnalysis {
  const all = analyzeAll(packets, clientAddresses);
  const answered = (q: DnsQuery): string[] => q.answer?.addresses ?? [];
  const focus = host?.toLowerCase().replace(/\.$/, '')
    ?? all.queries.find((q) => answered(q).some((addr) => all.attempts.some((a) => a.address === addr && a.outcome === 'connected')))?.name
    ?? all.queries.find((q) => answered(q).some((addr) => all.attempts.some((a) => a.address === addr)))?.name
    ?? all.queries.find((q) => q.qtype === 'A' || q.qtype === 'AAAA')?.name;
  if (focus === undefined) return all;
  const queries = all.queries.filter((q) => q.name === focus);
  const addresses = new Set(queries.flatMap(answered));
  const attempts = addresses.size === 0 ? all.attempts : all.attempts.filter((a) => addresses.has(a.address));
  const winner = attempts.find((a) => a.carriedData && a.outcome === 'connected') ?? attempts.find((a) => a.outcome === 'connected');
  const out: PacketAnalysis = { host: focus, queries, otherQueries: all.queries.length - queries.length, attempts, packets: all.packets };
  if (winner) {
    out.winner = winner;
    if (winner.firstByteMs !== undefined) out.firstByteMs = winner.firstByteMs;
  }
  return out;
}

function analyzeAll(packets: readonly Packet[], clientAddresses: readonly string[]): PacketAnalysis {
  const own = new Set(clientAddresses);
  const fromClient = (p: Packet): boolean => own.has(p.src);
  const queries: DnsQuery[] = [];
  const attempts: Attempt[] = [];
  const byKey = new Map<string, Attempt>();
  const key = (addr: string, port: number, local: number): string => `${addr}|${port}|${local}`;
  const solicited = new Map<string, number>();

  for (const p of packets) {
    if (p.dns && !p.dns.response && fromClient(p)) {
      const q = queries.find((x) => x.name === p.dns!.name && x.qtype === p.dns!.qtype && x.server === p.dst && !x.answer);
      if (q) q.retries++;
      else queries.push({ name: p.dns.name, qtype: p.dns.qtype, server: p.dst, family: p.family, transport: p.proto === 'tcp' ? 'tcp' : 'udp', sentMs: p.t, retries: 0 });
      continue;
    }
    if (p.dns && p.dns.response && own.has(p.dst)) {
      const q = queries.find((x) => x.name === p.dns!.name && x.qtype === p.dns!.qtype && x.server === p.src && !x.answer);
      if (q) q.answer = { atMs: p.t, rcode: RCODES[p.dns.rcode ?? 0] ?? String(p.dns.rcode), truncated: p.dns.truncated, addresses: [...p.dns.a, ...p.dns.aaaa] };
      continue;
    }
    if (p.ndTarget && !own.has(p.ndTarget)) {
      if (!solicited.has(p.ndTarget)) solicited.set(p.ndTarget, p.t);
      continue;
    }
    if (p.proto === 'tcp' && fromClient(p) && p.dport !== 53) {
      const k = key(p.dst, p.dport!, p.sport!);
      const a = byKey.get(k);
      if ((p.flags! & TCP.SYN) && !(p.flags! & TCP.ACK)) {
        if (a) {
          a.retransmits++;
          a.lastSynMs = p.t;
        } else {
          const attempt: Attempt = { family: p.family, address: p.dst, port: p.dport!, localPort: p.sport!, startMs: p.t, retransmits: 0, lastSynMs: p.t, outcome: 'no-answer', carriedData: false };
          byKey.set(k, attempt);
          attempts.push(attempt);
        }
      } else if (a && (p.len ?? 0) > 0) {
        a.carriedData = true;
      }
      continue;
    }
    if (p.proto === 'tcp' && own.has(p.dst) && p.sport !== 53) {
      const a = byKey.get(key(p.src, p.sport!, p.dport!));
      if (!a) continue;
      if (a.outcome === 'no-answer' && p.flags! & TCP.RST) {
        a.outcome = 'refused';
        a.endMs = p.t;
      } else if (a.outcome === 'no-answer' && p.flags! & TCP.SYN && p.flags! & TCP.ACK) {
        a.outcome = 'connected';
        a.endMs = p.t;
      } else if (a.outcome === 'connected' && a.carriedData && (p.len ?? 0) > 0 && a.firstByteMs === undefined) {
        a.firstByteMs = p.t;
      }
      continue;
    }
    if (p.icmp && own.has(p.dst) && p.icmp.innerDst) {
      const a = attempts.find((x) => x.address === p.icmp!.innerDst && (p.icmp!.innerSport === undefined || x.localPort === p.icmp!.innerSport) && x.outcome === 'no-answer');
      if (a) {
        a.outcome = 'icmp-error';
        a.endMs = p.t;
        a.icmp = icmpWords(p.family, p.icmp.type, p.icmp.code);
      }
    }
  }
  // an on-link address that never answered neighbour discovery: the SYN never left the node
  for (const [target, t] of solicited) {
    if (attempts.some((a) => a.address === target)) continue;
    const port = attempts[0]?.port ?? 0;
    attempts.push({ family: 6, address: target, port, startMs: t, retransmits: 0, lastSynMs: t, outcome: 'no-neighbour', carriedData: false });
  }
  attempts.sort((a, b) => a.startMs - b.startMs);
  const winner = attempts.find((a) => a.carriedData && a.outcome === 'connected') ?? attempts.find((a) => a.outcome === 'connected');
  const result: PacketAnalysis = { queries, otherQueries: 0, attempts, packets: packets.length };
  if (winner) {
    result.winner = winner;
    if (winner.firstByteMs !== undefined) result.firstByteMs = winner.firstByteMs;
  }
  return result;
}
