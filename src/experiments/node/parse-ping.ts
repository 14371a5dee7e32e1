/**
 * Reads iputils ping's output: the target, each echo reply (sequence, TTL, RTT), and the
 * summary (packets sent and received, errors, loss, and the RTT line). The summary is what
 * the checks judge; the replies are what the article teaches to read.
 */

export interface PingReply {
  seq: number;
  ttl: number;
  timeMs: number;
}

export interface PingSummary {
  /** The address ping sent to (from its first line), when present. */
  target?: string;
  transmitted: number;
  received: number;
  /** ICMP errors counted in the summary ("+3 errors"), e.g. Destination Unreachable. */
  errors: number;
  lossPercent: number;
  /** The "time 1001ms" of the summary: how long ping ran. */
  timeMs?: number;
  replies: PingReply[];
  rtt?: { minMs: number; avgMs: number; maxMs: number; mdevMs: number };
}

const SUMMARY = /(\d+) packets transmitted, (\d+) (?:packets )?received(?:, \+(\d+) duplicates)?(?:, \+(\d+) errors)?, ([\d.]+)% packet loss(?:, time (\d+)\s?ms)?/;
// "PING 172.30.0.10 (172.30.0.10) 56(84) bytes" and "PING fd00::10(fd00::10) 56 data bytes"
const HEADER = /^PING \S+?\s?\(([^)]+)\)/m;
const REPLY = /^\d+ bytes from (.+?): icmp_seq=(\d+) ttl=(\d+) time=([\d.]+) ms/;
const RTT = /(?:rtt|round-trip) min\/avg\/max\/(?:mdev|stddev) = ([\d.]+)\/([\d.]+)\/([\d.]+)\/([\d.]+) ms/;

export function parsePing(stdout: string): PingSummary | undefined {
  const counts = SUMMARY.exec(stdout);
  if (!counts) return undefined;
  const out: PingSummary = {
    transmitted: Number(counts[1]),
    received: Number(counts[2]),
    errors: Number(counts[4] ?? 0),
    lossPercent: Number(counts[5]),
    replies: [],
  };
  const target = HEADER.exec(stdout)?.[1];
  if (target) out.target = target;
  if (counts[6] !== undefined) out.timeMs = Number(counts[6]);
  for (const line of stdout.split(/\r?\n/)) {
    const m = REPLY.exec(line);
    if (m) out.replies.push({ seq: Number(m[2]), ttl: Number(m[3]), timeMs: Number(m[4]) });
  }
  const rtt = RTT.exec(stdout);
  if (rtt) out.rtt = { minMs: Number(rtt[1]), avgMs: Number(rtt[2]), maxMs: Number(rtt[3]), mdevMs: Number(rtt[4]) };
  return out;
}
