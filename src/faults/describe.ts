/**
 * A fault in words, for `fault ls`, `status` and reports: "delay IPv6 packets from client
 * to web by 300 ms". Pure.
 */
import { formatRate } from './rate.js';
import { isDnsFault, type DnsFault, type Fault, type NetFault } from './types.js';

function packets(f: NetFault): string {
  const fam = f.family ? `IPv${f.family} ` : '';
  const proto = f.proto === 'any' ? '' : `${f.proto.toUpperCase()} `;
  const port = f.port !== undefined ? ` (port ${f.port})` : '';
  const peer = f.to ?? 'any peer';
  const path = f.direction === 'out' ? `from ${f.node} to ${peer}` : f.direction === 'in' ? `to ${f.node} from ${peer}` : `between ${f.node} and ${peer}`;
  return `${fam}${proto}packets ${path}${port}`;
}

const REJECT_WORDS: Record<string, string> = {
  'tcp-reset': 'a TCP reset',
  'icmp-no-route': 'ICMP "no route" (IPv6 type 1 code 0, IPv4 net unreachable)',
  'icmp-admin-prohibited': 'ICMP "administratively prohibited"',
  'icmp-addr-unreachable': 'ICMP "address unreachable" (IPv6 type 1 code 3, IPv4 host unreachable)',
  'icmp-port-unreachable': 'ICMP "port unreachable"',
};

function describeDns(f: DnsFault): string {
  const q = `${f.type === 'ANY' ? 'all' : f.type} queries for ${f.name}`;
  const server = f.node ? ` (DNS server ${f.node})` : '';
  switch (f.answer) {
    case 'servfail':
    case 'nxdomain':
    case 'refused':
      return `answer ${q} with ${f.answer.toUpperCase()}${server}`;
    case 'truncate':
      return `answer ${q} over UDP with TC set and no records (retry over TCP)${server}`;
    case 'drop':
      return `never answer ${q}${server}`;
    case 'delay':
      return `answer ${q} ${f.delayMs} ms late${server}`;
    case 'address':
      return `answer ${q} with the wrong address ${f.address}${server}`;
  }
}

export function describeFault(f: Fault): string {
  if (isDnsFault(f)) return describeDns(f);
  switch (f.kind) {
    case 'blackhole':
      return `drop ${packets(f)}`;
    case 'reject':
      return `reject ${packets(f)} with ${REJECT_WORDS[f.reject!]}`;
    case 'delay':
      return `delay ${packets(f)} by ${f.delayMs} ms${f.jitterMs ? ` (± ${f.jitterMs} ms)` : ''}`;
    case 'loss':
      return `lose ${f.lossPercent} % of ${packets(f)}`;
    case 'rate':
      return `limit ${packets(f)} to ${formatRate(f.rateBps!)}/s`;
    case 'pmtud-blackhole':
      return `router ${f.node} drops the ${f.family === 4 ? 'ICMP fragmentation-needed' : f.family === 6 ? 'ICMPv6 Packet Too Big' : 'ICMPv6 Packet Too Big and ICMP fragmentation-needed'} messages it sends (a path-MTU black hole)`;
  }
}
