/**
 * One log line per query, in CoreDNS's `log` plugin format so that the article's log reading
 * carries over:
 *   [INFO] 172.30.0.20:54839 - 12345 "AAAA IN dual-ok.local. udp 33 false 512" NOERROR qr,aa,rd 78 0.000123456s
 * i.e. client:port - id "type class name transport size do bufsize" rcode flags rsize duration.
 * A dropped query shows `DROPPED - 0`; a malformed one gets an [ERROR] line.
 */
import type { QueryInfo, Transport } from './respond.js';

const FLAG_NAMES: Array<[number, string]> = [
  [0x8000, 'qr'],
  [0x0400, 'aa'],
  [0x0200, 'tc'],
  [0x0100, 'rd'],
  [0x0080, 'ra'],
  [0x0020, 'ad'],
  [0x0010, 'cd'],
];

export function flagsText(flags: number): string {
  let out = '';
  for (const [bit, name] of FLAG_NAMES) {
    if (flags & bit) out = out ? out + ',' + name : name;
  }
  return out || '-';
}

/** `1.2.3.4:53` or `[::1]:53`, as CoreDNS prints a client. */
export function endpointText(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

export function formatQueryLine(
  address: string,
  port: number,
  transport: Transport,
  q: QueryInfo,
  rcode: string,
  flags: number,
  responseSize: number,
  seconds: number,
): string {
  return `[INFO] ${endpointText(address, port)} - ${q.id} "${q.type} ${q.class} ${q.name} ${transport} ${q.size} ${q.do} ${q.bufsize}" ${rcode} ${flags < 0 ? '-' : flagsText(flags)} ${responseSize} ${seconds.toFixed(9)}s`;
}

export function formatDroppedLine(address: string, port: number, transport: Transport, q: QueryInfo, seconds: number): string {
  return formatQueryLine(address, port, transport, q, 'DROPPED', -1, 0, seconds);
}

export function formatMalformedLine(address: string, port: number, transport: Transport, size: number, reason: string): string {
  return `[ERROR] ${endpointText(address, port)} - malformed ${transport} message of ${size} bytes dropped: ${reason}`;
}
