/**
 * Reads dig's full answer: status, flags, the answer section, the server that answered and
 * the query time, i.e. what the article reads off `dig NAME TYPE`.
 */

export interface DigAnswer {
  name: string;
  ttl: number;
  type: string;
  data: string;
}

export interface DigResult {
  status: string;
  flags: string[];
  answers: DigAnswer[];
  server?: string;
  queryTimeMs?: number;
}

export function parseDig(stdout: string): DigResult | undefined {
  const header = /status: ([A-Z]+)/.exec(stdout);
  if (!header) return undefined;
  const flags = /;; flags: ([a-z ]+);/.exec(stdout)?.[1]?.trim().split(/\s+/) ?? [];
  const answers: DigAnswer[] = [];
  const section = /;; ANSWER SECTION:\n([\s\S]*?)(?:\n\n|$)/.exec(stdout)?.[1] ?? '';
  for (const line of section.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 5 && f[2] === 'IN') answers.push({ name: f[0]!, ttl: Number(f[1]), type: f[3]!, data: f.slice(4).join(' ') });
  }
  const server = /;; SERVER: (\S+)/.exec(stdout)?.[1];
  const qt = /;; Query time: (\d+) msec/.exec(stdout)?.[1];
  return {
    status: header[1]!,
    flags,
    answers,
    ...(server ? { server } : {}),
    ...(qt !== undefined ? { queryTimeMs: Number(qt) } : {}),
  };
}
