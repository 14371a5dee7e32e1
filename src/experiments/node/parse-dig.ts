/**
 * Reads dig's answer: status, flags, section counts, the question, answer and authority
 * sections, the server that answered and the query time, i.e. what the article reads off
 * `dig NAME TYPE`; `+short` output; and why dig got no answer at all ("no servers could be
 * reached"), which has no header to read.
 */

export interface DigRecord {
  name: string;
  ttl: number;
  type: string;
  data: string;
}

export interface DigResult {
  status: string;
  opcode?: string;
  id?: number;
  flags: string[];
  /** The header's QUERY, ANSWER, AUTHORITY and ADDITIONAL counts. */
  counts?: { query: number; answer: number; authority: number; additional: number };
  question?: { name: string; type: string };
  answers: DigRecord[];
  /** The authority section: the SOA that comes with NXDOMAIN and NODATA. */
  authority: DigRecord[];
  /** `172.30.0.53#53(172.30.0.53)` as dig prints it. */
  server?: string;
  /** The server's address alone, and the transport (UDP, TCP) when dig names it. */
  serverAddress?: string;
  transport?: string;
  queryTimeMs?: number;
  /** dig's ";; WARNING:" lines (e.g. `.local` is reserved for Multicast DNS). */
  warnings: string[];
}

function section(stdout: string, title: string): DigRecord[] {
  const body = new RegExp(`;; ${title} SECTION:\\r?\\n([\\s\\S]*?)(?:\\r?\\n\\r?\\n|$)`).exec(stdout)?.[1] ?? '';
  const out: DigRecord[] = [];
  for (const line of body.split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 5 && f[2] === 'IN' && /^\d+$/.test(f[1]!)) out.push({ name: f[0]!, ttl: Number(f[1]), type: f[3]!, data: f.slice(4).join(' ') });
  }
  return out;
}

export function parseDig(stdout: string): DigResult | undefined {
  const header = /->>HEADER<<- opcode: ([A-Z]+), status: ([A-Z]+), id: (\d+)/.exec(stdout) ?? /status: ([A-Z]+)/.exec(stdout);
  if (!header) return undefined;
  const full = header.length === 4;
  const flags = /;; flags: ([a-z ]*);/.exec(stdout)?.[1]?.trim().split(/\s+/).filter(Boolean) ?? [];
  const c = /QUERY: (\d+), ANSWER: (\d+), AUTHORITY: (\d+), ADDITIONAL: (\d+)/.exec(stdout);
  const q = /;; QUESTION SECTION:\r?\n;(\S+)\s+IN\s+(\S+)/.exec(stdout);
  const serverLine = /;; SERVER: (\S+)(?: \(([A-Z]+)\))?/.exec(stdout);
  const qt = /;; Query time: (\d+) msec/.exec(stdout)?.[1];
  const warnings = [...stdout.matchAll(/^;; WARNING: (.*)$/gm)].map((m) => m[1]!.trim());
  const result: DigResult = {
    status: full ? header[2]! : header[1]!,
    flags,
    answers: section(stdout, 'ANSWER'),
    authority: section(stdout, 'AUTHORITY'),
    warnings,
  };
  if (full) {
    result.opcode = header[1]!;
    result.id = Number(header[3]);
  }
  if (c) result.counts = { query: Number(c[1]), answer: Number(c[2]), authority: Number(c[3]), additional: Number(c[4]) };
  if (q) result.question = { name: q[1]!, type: q[2]! };
  if (serverLine) {
    result.server = serverLine[1]!;
    result.serverAddress = serverLine[1]!.split('#')[0]!;
    if (serverLine[2]) result.transport = serverLine[2];
  }
  if (qt !== undefined) result.queryTimeMs = Number(qt);
  return result;
}

/** `dig +short`: one answer per line (addresses, or names for CNAME chains). */
export function parseDigShort(stdout: string): string[] {
  return stdout
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith(';'));
}

/**
 * Why dig got no answer, in its own words ("no servers could be reached", with the
 * "communications error ... timed out" line before it), or undefined when it got one.
 */
export function digFailure(stdout: string): string | undefined {
  if (parseDig(stdout)) return undefined;
  const lines = stdout.split(/\r?\n/).filter((l) => /^;; (communications error|connection timed out|no servers could be reached|.*(timed out|refused|unreachable))/.test(l));
  return lines.length ? lines.map((l) => l.replace(/^;; /, '')).join('; ') : undefined;
}
