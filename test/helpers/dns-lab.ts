/**
 * DNS test fixtures: the article's lab (examples/default.yaml) with an IPv4-only name added,
 * a loopback config for it, and a small dns-packet client for UDP and TCP.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import type { DnsRecord, Topology } from '../../src/lab/topology.js';
import { buildDnsConfig, type DnsServerConfig } from '../../src/services/dns/config.js';
import { articleTopology as defaultLab } from './lab-fixtures.js';

function record(name: string, type: 'A' | 'AAAA', address: string, extra: Partial<DnsRecord> = {}): DnsRecord {
  return { name, type, address, ttl: 3600, delayMs: 0, drop: false, ...extra };
}

/** The article's lab plus `v4only.local` (A only, for NODATA answers) and `extraRecords`. */
export function articleTopology(extraRecords: DnsRecord[] = []): Topology {
  const topology = defaultLab('dnstest');
  return { ...topology, records: [...topology.records, record('v4only.local', 'A', '172.30.0.10'), ...extraRecords] };
}

/** The article's config, listening on loopback (both families) on a free port. */
export function loopbackConfig(extraRecords: DnsRecord[] = []): DnsServerConfig {
  const topology = articleTopology(extraRecords);
  const dnsNode = topology.nodes.find((n) => n.name === 'dns')!;
  return { ...buildDnsConfig(topology, dnsNode, 0), listen: [{ address: '127.0.0.1', port: 0 }, { address: '::1', port: 0 }] };
}

export { record };

/** A decoded reply, typed loosely enough for assertions (dns-packet's types omit rcode). */
export interface ReplyRecord {
  type: string;
  name: string;
  ttl?: number;
  data?: unknown;
  udpPayloadSize?: number;
  flags?: number;
  extendedRcode?: number;
}
export interface Reply {
  id?: number;
  rcode?: string;
  flags?: number;
  questions?: dnsPacket.Question[];
  answers?: ReplyRecord[];
  authorities?: ReplyRecord[];
  additionals?: ReplyRecord[];
}

export function decodeReply(message: Buffer): Reply {
  return dnsPacket.decode(message) as unknown as Reply;
}

export interface QueryOptions {
  id?: number;
  /** Add an EDNS OPT record (as dig does). */
  edns?: boolean;
  /** EDNS: set the DNSSEC OK bit. */
  dnssecOk?: boolean;
  /** EDNS version (0 unless testing BADVERS). */
  ednsVersion?: number;
  timeoutMs?: number;
}

function queryPacket(name: string, type: string, options: QueryOptions): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id: options.id ?? Math.floor(Math.random() * 65535),
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: type as dnsPacket.RecordType, class: 'IN' }],
    additionals: options.edns ? [{ type: 'OPT', name: '.', udpPayloadSize: 1232, ednsVersion: options.ednsVersion ?? 0, flags: options.dnssecOk ? 0x8000 : 0, options: [] } as unknown as dnsPacket.Answer] : [],
  });
}

/** Sends raw bytes over UDP and resolves with the first reply, or undefined on timeout. */
export function udpExchange(address: string, port: number, message: Buffer, timeoutMs = 2000): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4');
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    function finish(reply: Buffer | undefined): void {
      clearTimeout(timer);
      socket.close();
      resolve(reply);
    }
    socket.on('error', (err) => {
      clearTimeout(timer);
      socket.close();
      reject(err);
    });
    socket.on('message', (msg) => finish(msg));
    socket.send(message, port, address);
  });
}

export async function udpQuery(address: string, port: number, name: string, type: string, options: QueryOptions = {}): Promise<Reply | undefined> {
  const reply = await udpExchange(address, port, queryPacket(name, type, options), options.timeoutMs);
  return reply ? decodeReply(reply) : undefined;
}

/** One TCP connection; sends each query framed and collects framed replies. */
export function tcpQueries(address: string, port: number, queries: Array<{ name: string; type: string; id: number }>, timeoutMs = 3000): Promise<Reply[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port });
    const replies: Reply[] = [];
    let buffered = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`TCP query to ${address}:${port} timed out with ${replies.length}/${queries.length} replies`));
    }, timeoutMs);
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('connect', () => {
      // all at once: the server must cope with pipelining
      socket.write(Buffer.concat(queries.map((q) => dnsPacket.streamEncode({ type: 'query', id: q.id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name: q.name, type: q.type as dnsPacket.RecordType, class: 'IN' }] }))));
    });
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= buffered.readUInt16BE(0) + 2) {
        const len = buffered.readUInt16BE(0);
        replies.push(decodeReply(buffered.subarray(2, len + 2)));
        buffered = buffered.subarray(len + 2);
      }
      if (replies.length === queries.length) {
        clearTimeout(timer);
        socket.end();
        resolve(replies);
      }
    });
  });
}

/** The bound port of a transport and family (the server binds UDP and TCP on the same one). */
export function portOf(addresses: Array<{ transport: string; family: number; port: number }>, family: 4 | 6 = 4, transport = 'udp'): number {
  const found = addresses.find((a) => a.family === family && a.transport === transport);
  if (!found) throw new Error(`no ${transport} listener for IPv${family}`);
  return found.port;
}

/** Sends every message from one UDP socket, then collects whatever comes back within `waitMs`. */
export function udpBurst(address: string, port: number, messages: Buffer[], waitMs = 300): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4');
    const replies: Buffer[] = [];
    socket.on('message', (msg) => replies.push(msg));
    socket.on('error', (err) => {
      socket.close();
      reject(err);
    });
    socket.bind(0, () => {
      for (const m of messages) socket.send(m, port, address);
      setTimeout(() => socket.close(() => resolve(replies)), waitMs);
    });
  });
}
