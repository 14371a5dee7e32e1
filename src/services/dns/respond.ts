/**
 * Turns one query (wire bytes) into what the server does about it: answer with these bytes
 * (maybe after a delay), drop it on purpose, or drop it as malformed. Wire format is
 * dns-packet's; the DNS rules (flags, EDNS, truncation, FORMERR/NOTIMP) are here.
 */
import dnsPacket from 'dns-packet';
import { synthesise, wantsSynthesis, type Dns64Rule } from './dns64.js';
import { findDnsFault, type DnsFaultRule } from './faults.js';
import type { ZoneRecord, ZoneTable } from './zone.js';

export type Transport = 'udp' | 'tcp';

/** Our EDNS UDP payload size (the DNS Flag Day 2020 value). */
export const EDNS_PAYLOAD = 1232;
const CLASSIC_UDP_LIMIT = 512;

const FLAG_QR = 0x8000;
const FLAG_AA = 0x0400;
const FLAG_TC = 0x0200;
const FLAG_RD = 0x0100;
const FLAG_CD = 0x0010;
const OPCODE_MASK = 0x7800;
const EDNS_DO = 0x8000;

const RCODES: Record<string, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };

/** What the query asked, for the log line. */
export interface QueryInfo {
  id: number;
  name: string;
  type: string;
  class: string;
  size: number;
  /** EDNS DO bit. */
  do: boolean;
  /** The client's UDP payload size (512 without EDNS). */
  bufsize: number;
}

export type Outcome =
  | { kind: 'malformed'; reason: string; size: number }
  | { kind: 'drop'; query: QueryInfo }
  | { kind: 'answer'; query: QueryInfo; response: Buffer; rcode: string; flags: number; delayMs: number; synthesised?: Array<{ from: string; to: string }> };

interface Opt {
  udpPayloadSize: number;
  ednsVersion: number;
  flags: number;
}

function findOpt(additionals: dnsPacket.Answer[]): Opt | undefined {
  for (const a of additionals) {
    if (a.type === 'OPT') return a as unknown as Opt;
  }
  return undefined;
}

function toAnswer(name: string, r: ZoneRecord): dnsPacket.Answer {
  return { name, type: r.type, class: 'IN', ttl: r.ttl, data: r.data } as dnsPacket.Answer;
}

/** `dns64`: the DNS64 rule of the client that asked, if it has one (see dns64.ts). */
export function answerQuery(table: ZoneTable, query: Buffer, transport: Transport, faults: readonly DnsFaultRule[] = [], dns64?: Dns64Rule): Outcome {
  const size = query.length;
  if (size < 12) return { kind: 'malformed', reason: 'shorter than a DNS header', size };
  if (query.readUInt16BE(2) & FLAG_QR) return { kind: 'malformed', reason: 'a response, not a query', size };
  let packet: dnsPacket.Packet;
  try {
    packet = dnsPacket.decode(query);
  } catch (err) {
    return { kind: 'malformed', reason: (err as Error).message, size };
  }
  const id = packet.id ?? 0;
  const inFlags = query.readUInt16BE(2);
  const questions = packet.questions ?? [];
  const opt = findOpt(packet.additionals ?? []);
  const q = questions[0];
  const info: QueryInfo = {
    id,
    name: q ? q.name.toLowerCase() + '.' : '.',
    type: q?.type ?? '-',
    class: q?.class ?? '-',
    size,
    do: opt ? (opt.flags & EDNS_DO) !== 0 : false,
    bufsize: opt ? opt.udpPayloadSize : CLASSIC_UDP_LIMIT,
  };
  const optOut = opt ? [{ type: 'OPT', name: '.', udpPayloadSize: EDNS_PAYLOAD, extendedRcode: 0, ednsVersion: 0, flags: opt.flags & EDNS_DO, options: [] }] : [];
  // RD and CD are copied from the query (RFC 1035, RFC 4035); RA stays clear: no recursion
  const base = FLAG_QR | (inFlags & (OPCODE_MASK | FLAG_RD | FLAG_CD));

  const reply = (rcode: string, aa: boolean, qs: dnsPacket.Question[], answers: dnsPacket.Answer[], authorities: dnsPacket.Answer[], delayMs = 0, truncate = false): Outcome => {
    const additionals = optOut.map((o) => ({ ...o })) as unknown as dnsPacket.Answer[];
    let code = RCODES[rcode] ?? 0;
    if (rcode === 'BADVERS') {
      // extended rcode 16: upper 8 bits go in the OPT record (RFC 6891)
      code = 0;
      (additionals[0] as unknown as { extendedRcode: number }).extendedRcode = 1;
    }
    let flags = base | (aa ? FLAG_AA : 0) | code;
    let response = dnsPacket.encode({ type: 'response', id, flags, questions: qs, answers, authorities, additionals });
    const limit = Math.min(Math.max(info.bufsize, CLASSIC_UDP_LIMIT), EDNS_PAYLOAD);
    if (transport === 'udp' && (truncate || response.length > (opt ? limit : CLASSIC_UDP_LIMIT))) {
      flags |= FLAG_TC;
      response = dnsPacket.encode({ type: 'response', id, flags, questions: qs, answers: [], authorities: [], additionals });
    }
    return { kind: 'answer', query: info, response, rcode, flags, delayMs };
  };

  if ((inFlags & OPCODE_MASK) !== 0) return reply('NOTIMP', false, questions.slice(0, 1), [], []);
  if (questions.length !== 1 || !q) return reply('FORMERR', false, [], [], []);
  if (opt && opt.ednsVersion > 0) return reply('BADVERS', false, [q], [], []);
  if (q.class !== 'IN' && q.class !== 'ANY' && q.class !== undefined) return reply('REFUSED', false, [q], [], []);

  let found = table.lookup(q.name, q.type);
  const fault = findDnsFault(faults, q.name, q.type);
  if (found.drop || fault?.answer === 'drop') return { kind: 'drop', query: info };
  let synthesised: Array<{ from: string; to: string }> | undefined;
  if (dns64 && q.type === 'AAAA' && found.rcode === 'NOERROR' && found.authoritative && wantsSynthesis(dns64, found.answers)) {
    const a = table.lookup(q.name, 'A');
    // §5.1.7: the SOA's TTL from the negative answer, or at most 600 s without one (translate_all with real AAAA)
    const negativeTtl = found.authority?.record.ttl ?? 600;
    const made = synthesise(dns64, a.answers, negativeTtl);
    if (made.length > 0) {
      synthesised = made.map((m) => ({ from: m.from, to: m.record.data as string }));
      found = { ...found, answers: made.map((m) => m.record), authority: undefined };
    }
  }
  let answers = found.answers.map((r) => toAnswer(q.name, r));
  const authorities = found.authority ? [toAnswer(found.authority.name, found.authority.record)] : [];
  switch (fault?.answer) {
    case 'servfail':
      return reply('SERVFAIL', false, [q], [], []);
    case 'refused':
      return reply('REFUSED', false, [q], [], []);
    case 'nxdomain':
      return reply('NXDOMAIN', true, [q], [], negativeAuthority(table, q.name));
    case 'address':
      answers = [{ name: q.name, type: q.type, class: 'IN', ttl: found.answers[0]?.ttl ?? 60, data: fault.address } as dnsPacket.Answer];
      return reply('NOERROR', true, [q], answers, [], found.delayMs);
    case 'delay':
      return reply(found.rcode, found.authoritative, [q], answers, authorities, fault.delayMs ?? 0);
    case 'truncate':
      return reply(found.rcode, found.authoritative, [q], answers, authorities, found.delayMs, true);
    default: {
      const out = reply(found.rcode, found.authoritative, [q], answers, authorities, found.delayMs);
      return synthesised && out.kind === 'answer' ? { ...out, synthesised } : out;
    }
  }
}

/** The SOA of the name's zone with the negative TTL (RFC 2308), for a faked NXDOMAIN. */
function negativeAuthority(table: ZoneTable, qname: string): dnsPacket.Answer[] {
  const zone = table.zoneOf(qname.toLowerCase().replace(/\.$/, ''));
  if (zone === undefined) return [];
  const soa = table.lookup(zone, 'SOA').answers[0];
  if (!soa || typeof soa.data === 'string') return [];
  return [toAnswer(zone, { ...soa, ttl: Math.min(soa.ttl, soa.data.minimum) })];
}
