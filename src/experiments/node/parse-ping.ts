/**
 * Reads iputils ping's summary: packets sent and received, loss, and the RTT line.
 */

export interface PingSummary {
  transmitted: number;
  received: number;
  lossPercent: number;
  rtt?: { minMs: number; avgMs: number; maxMs: number; mdevMs: number };
}

export function parsePing(stdout: string): PingSummary | undefined {
  const counts = /(\d+) packets transmitted, (\d+) (?:packets )?received.*?([\d.]+)% packet loss/.exec(stdout);
  if (!counts) return undefined;
  const out: PingSummary = {
    transmitted: Number(counts[1]),
    received: Number(counts[2]),
    lossPercent: Number(counts[3]),
  };
  const rtt = /= ([\d.]+)\/([\d.]+)\/([\d.]+)\/([\d.]+) ms/.exec(stdout);
  if (rtt) out.rtt = { minMs: Number(rtt[1]), avgMs: Number(rtt[2]), maxMs: Number(rtt[3]), mdevMs: Number(rtt[4]) };
  return out;
}
