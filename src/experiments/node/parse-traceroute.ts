/**
 * Reads the outputs of Debian's traceroute (`traceroute -n -q 1`) and iputils' tracepath
 * (`tracepath -n`): the hop addresses in order, and the path MTU tracepath found (pure).
 */

/** One hop of `traceroute -n -q 1`: its TTL and the address that answered (undefined for `*`). */
export interface TraceHop {
  ttl: number;
  address?: string;
}

/** The hops of a `traceroute -n -q 1` output, in TTL order. */
export function parseTraceroute(output: string): TraceHop[] {
  const hops: TraceHop[] = [];
  for (const line of output.split('\n')) {
    const m = /^\s*(\d+)\s+(\S+)/.exec(line);
    if (!m) continue;
    hops.push({ ttl: Number(m[1]), ...(m[2] !== '*' ? { address: m[2]! } : {}) });
  }
  return hops;
}

/** What tracepath found: the path MTU and hop count of its `Resume:` line, and whether it reached the target. */
export interface TracepathResult {
  pmtu?: number;
  hops?: number;
  reached: boolean;
}

export function parseTracepath(output: string): TracepathResult {
  const resume = /Resume:\s+pmtu\s+(\d+)(?:\s+hops\s+(\d+))?/.exec(output);
  return {
    ...(resume ? { pmtu: Number(resume[1]) } : {}),
    ...(resume?.[2] ? { hops: Number(resume[2]) } : {}),
    reached: /\breached\b/.test(output),
  };
}
