/**
 * dslab's own DNS query, side by side with dig: one UDP question to the lab's resolver,
 * built and read with dns-packet, shown in dig's layout (status, flags, answer, server, time).
 */
import { createSocket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import { isIPv6 } from 'node:net';
import dnsPacket from 'dns-packet';
import { DslabError } from '../../errors.js';
import type { DigResult } from './parse-dig.js';

export interface DnsQueryOptions {
  server: string;
  port?: number;
  name: string;
  type: 'A' | 'AAAA';
  timeoutMs?: number;
  signal?: AbortSignal;
}

const FLAG_NAMES: Array<[keyof dnsPacket.DecodedPacket, string]> = [
  ['flag_qr', 'qr'],
  ['flag_aa', 'aa'],
  ['flag_tc', 'tc'],
  ['flag_rd', 'rd'],
  ['flag_ra', 'ra'],
  ['flag_ad', 'ad'],
  ['flag_cd', 'cd'],
];

export async function queryDns(options: DnsQueryOptions): Promise<DigResult & { elapsedMs: number }> {
  const port = options.port ?? 53;
  const id = randomInt(0, 0x10000);
  const query = dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: options.type, name: options.name }],
  });
  const socket = createSocket(isIPv6(options.server) ? 'udp6' : 'udp4');
  const started = performance.now();
  try {
    const reply = await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new DslabError('DSLAB_E_RESOLVE_FAILED', `No DNS answer from ${options.server} for ${options.name} ${options.type} within ${options.timeoutMs ?? 2000} ms.`, {
              value: options.server,
              hint: `Check the lab's DNS server: "dslab logs dns".`,
            }),
          ),
        options.timeoutMs ?? 2000,
      );
      options.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true });
      socket.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.on('message', (msg) => {
        // a reply to someone else's question (wrong id) is not ours: keep waiting
        if (msg.length >= 2 && msg.readUInt16BE(0) === id) {
          clearTimeout(timer);
          resolve(msg);
        }
      });
      socket.send(query, port, options.server);
    });
    const elapsedMs = performance.now() - started;
    const packet = dnsPacket.decode(reply);
    const rcode = String((packet as unknown as { rcode?: string }).rcode ?? 'UNKNOWN');
    const answers = (packet.answers ?? [])
      .filter((a) => a.type === 'A' || a.type === 'AAAA')
      .map((a) => ({ name: `${a.name}.`, ttl: (a as { ttl?: number }).ttl ?? 0, type: a.type, data: String((a as { data: unknown }).data) }));
    return {
      status: rcode,
      flags: FLAG_NAMES.filter(([k]) => packet[k] === true).map(([, n]) => n),
      answers,
      authority: [],
      warnings: [],
      opcode: 'QUERY',
      id,
      counts: { query: 1, answer: answers.length, authority: (packet.authorities ?? []).length, additional: (packet.additionals ?? []).length },
      question: { name: `${options.name}.`, type: options.type },
      server: `${options.server}#${port}(${options.server})`,
      serverAddress: options.server,
      transport: 'UDP',
      queryTimeMs: Math.round(elapsedMs),
      elapsedMs,
    };
  } finally {
    socket.close();
  }
}

/** dig's layout for an answer, so that the report reads the same for both tools. */
export function digStyle(name: string, type: string, r: DigResult): string {
  const lines = [
    `;; ->>HEADER<<- opcode: ${r.opcode ?? 'QUERY'}, status: ${r.status}${r.id !== undefined ? `, id: ${r.id}` : ''}`,
    `;; flags: ${r.flags.join(' ')}; QUERY: 1, ANSWER: ${r.answers.length}`,
    '',
    ';; QUESTION SECTION:',
    `;${name}.\t\t\tIN\t${type}`,
    '',
    ';; ANSWER SECTION:',
    ...r.answers.map((a) => `${a.name}\t\t${a.ttl}\tIN\t${a.type}\t${a.data}`),
    '',
    `;; Query time: ${r.queryTimeMs ?? '?'} msec`,
    `;; SERVER: ${r.server ?? '?'}${r.transport ? ` (${r.transport})` : ''}`,
  ];
  return lines.join('\n');
}
