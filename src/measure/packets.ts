/**
 * A capture decoded into packets, by tshark's field output (Wireshark's own dissectors, not
 * tcpdump's text): one record per frame with the addresses, TCP/UDP ports and flags, DNS
 * question and answers, ICMP/ICMPv6 errors with the packet they quote, and the target of a
 * neighbour solicitation. Times are milliseconds since the measured command started.
 */
import { DslabError } from '../errors.js';
import { findProgram } from '../util/find-program.js';
import { run } from '../util/run.js';

export interface DnsInfo {
  id: number;
  response: boolean;
  name: string;
  qtype: string;
  rcode?: number;
  truncated: boolean;
  a: string[];
  aaaa: string[];
}

export interface Packet {
  /** ms since the command started (negative: before it). */
  t: number;
  family: 4 | 6;
  src: string;
  dst: string;
  proto: 'tcp' | 'udp' | 'icmp' | 'other';
  sport?: number;
  dport?: number;
  /** TCP flags (SYN 0x002, RST 0x004, ACK 0x010, FIN 0x001). */
  flags?: number;
  /** TCP payload length. */
  len?: number;
  dns?: DnsInfo;
  /** An ICMP/ICMPv6 error, with the destination and ports of the packet it quotes. */
  icmp?: { type: number; code: number; innerDst?: string; innerSport?: number; innerDport?: number };
  /** A neighbour solicitation: the address asked for. */
  ndTarget?: string;
  /** A neighbour advertisement: the address it is for. */
  naTarget?: string;
  /** The ICMP/ICMPv6 type of a message that is not an error (e.g. 133 Router Solicitation, 134 Router Advertisement, 135 Neighbor Solicitation). */
  icmpType?: number;
}

export const TCP = { FIN: 0x001, SYN: 0x002, RST: 0x004, ACK: 0x010 } as const;

const FIELDS = [
  'frame.time_epoch',
  'ip.src',
  'ip.dst',
  'ipv6.src',
  'ipv6.dst',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.flags',
  'tcp.len',
  'udp.srcport',
  'udp.dstport',
  'dns.id',
  'dns.flags.response',
  'dns.qry.name',
  'dns.qry.type',
  'dns.flags.rcode',
  'dns.flags.truncated',
  'dns.a',
  'dns.aaaa',
  'icmp.type',
  'icmp.code',
  'icmpv6.type',
  'icmpv6.code',
  'icmpv6.nd.ns.target_address',
  'icmpv6.nd.na.target_address',
] as const;

const split = (v: string | undefined): string[] => (v ? v.split(',').filter((x) => x !== '') : []);
const num = (v: string | undefined): number | undefined => {
  if (v === undefined || v === '') return undefined;
  const n = v.startsWith('0x') ? parseInt(v, 16) : Number(v);
  return Number.isFinite(n) ? n : undefined;
};

/** One tshark line (tab-separated FIELDS, every occurrence, comma-aggregated) into a packet. */
export function parseLine(line: string, startEpochMs: number): Packet | undefined {
  const f = line.split('\t');
  const get = (name: (typeof FIELDS)[number]): string | undefined => f[FIELDS.indexOf(name)];
  const t = Number(get('frame.time_epoch')) * 1000 - startEpochMs;
  if (!Number.isFinite(t)) return undefined;
  const v4 = { src: split(get('ip.src')), dst: split(get('ip.dst')) };
  const v6 = { src: split(get('ipv6.src')), dst: split(get('ipv6.dst')) };
  const family: 4 | 6 | undefined = v4.src.length > 0 ? 4 : v6.src.length > 0 ? 6 : undefined;
  if (family === undefined) return undefined;
  const addrs = family === 4 ? v4 : v6;
  const tcpS = split(get('tcp.srcport')).map(Number);
  const tcpD = split(get('tcp.dstport')).map(Number);
  const udpS = split(get('udp.srcport')).map(Number);
  const udpD = split(get('udp.dstport')).map(Number);
  const icmpType = num(split(family === 4 ? get('icmp.type') : get('icmpv6.type'))[0]);
  const icmpCode = num(split(family === 4 ? get('icmp.code') : get('icmpv6.code'))[0]);
  const isError = icmpType !== undefined && (family === 4 ? icmpType === 3 || icmpType === 11 : icmpType >= 1 && icmpType <= 4);
  const p: Packet = { t, family, src: addrs.src[0]!, dst: addrs.dst[0]!, proto: 'other' };
  if (icmpType !== undefined) {
    p.proto = 'icmp';
    if (isError) {
      const inner: NonNullable<Packet['icmp']> = { type: icmpType, code: icmpCode ?? 0 };
      if (addrs.dst[1]) inner.innerDst = addrs.dst[1];
      const sp = tcpS[0] ?? udpS[0];
      const dp = tcpD[0] ?? udpD[0];
      if (sp !== undefined) inner.innerSport = sp;
      if (dp !== undefined) inner.innerDport = dp;
      p.icmp = inner;
    } else {
      p.icmpType = icmpType;
    }
    if (icmpType === 135 || icmpType === 136) {
      const target = split(get(icmpType === 135 ? 'icmpv6.nd.ns.target_address' : 'icmpv6.nd.na.target_address'))[0];
      if (target) p[icmpType === 135 ? 'ndTarget' : 'naTarget'] = target;
    }
    return p;
  }
  if (tcpS.length > 0) {
    p.proto = 'tcp';
    p.sport = tcpS[0]!;
    p.dport = tcpD[0]!;
    p.flags = num(get('tcp.flags')) ?? 0;
    p.len = num(get('tcp.len')) ?? 0;
  } else if (udpS.length > 0) {
    p.proto = 'udp';
    p.sport = udpS[0]!;
    p.dport = udpD[0]!;
  }
  const id = num(get('dns.id'));
  const name = split(get('dns.qry.name'))[0];
  if (id !== undefined && name !== undefined) {
    const rcode = num(get('dns.flags.rcode'));
    p.dns = {
      id,
      response: get('dns.flags.response') === '1' || get('dns.flags.response') === 'True',
      name: name.toLowerCase(),
      qtype: QTYPES[num(split(get('dns.qry.type'))[0]) ?? -1] ?? String(get('dns.qry.type')),
      ...(rcode !== undefined ? { rcode } : {}),
      truncated: get('dns.flags.truncated') === '1' || get('dns.flags.truncated') === 'True',
      a: split(get('dns.a')),
      aaaa: split(get('dns.aaaa')),
    };
  }
  return p;
}

const QTYPES: Record<number, string> = { 1: 'A', 28: 'AAAA', 5: 'CNAME', 12: 'PTR', 6: 'SOA', 2: 'NS', 65: 'HTTPS', 64: 'SVCB', 255: 'ANY' };

/** Decodes a pcap file with tshark. */
export async function decodePcap(file: string, startEpochMs: number): Promise<Packet[]> {
  const tshark = findProgram('tshark');
  if (!tshark) {
    throw new DslabError('DSLAB_E_TOOL_MISSING', 'dslab measure decodes its capture with tshark, which is not installed.', {
      field: 'tshark',
      hint: 'Install it: echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections; apt-get install -y --no-install-recommends tshark.',
    });
  }
  const args = ['-r', file, '-n', '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,', ...FIELDS.flatMap((x) => ['-e', x])];
  const r = await run(tshark, args, { allowFailure: true });
  if (r.code !== 0 && r.stdout.trim() === '') {
    throw new DslabError('DSLAB_E_MEASURE_FAILED', `tshark could not read the capture ${file}: ${r.stderr.trim()}`, { hint: 'Check that tshark works ("tshark -v"); keep the capture with --pcap FILE to look at it.' });
  }
  return r.stdout.split('\n').map((l) => parseLine(l, startEpochMs)).filter((p): p is Packet => p !== undefined);
}
