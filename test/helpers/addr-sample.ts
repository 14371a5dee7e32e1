/**
 * Deterministic samples of IPv6 addresses for the address tests. Uniform random addresses
 * almost never have zero groups, so each group is zero half of the time, and a share of the
 * sample starts with a special prefix (link-local, ULA, mapped, NAT64, 6to4, Teredo, ...) so
 * that every type and every zero-run length and position comes up often.
 */

/** mulberry32: a small seeded PRNG, so a failing sample can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Leading groups of interesting ranges. */
const PREFIXES: number[][] = [
  [0xfe80, 0, 0, 0],
  [0xfd00, 0xdead, 0xbeef],
  [0xfc00],
  [0x2001, 0xdb8],
  [0x3fff],
  [0, 0, 0, 0, 0, 0xffff],
  [0, 0, 0, 0, 0xffff, 0],
  [0x64, 0xff9b, 0, 0, 0, 0],
  [0x64, 0xff9b, 1],
  [0x2002],
  [0x2001, 0],
  [0x2001, 2, 0],
  [0x2001, 0x20],
  [0x100, 0, 0, 0],
  [0xfec0],
  [0xff02],
  [0xff05],
  [0xff0e],
  [0xff02, 0, 0, 0, 0, 1, 0xff00],
  [0x2400],
  [0x2a00],
  [0, 0, 0, 0, 0, 0, 0],
  [0, 0, 0, 0, 0, 0, 0, 1],
];

function group(rand: () => number): number {
  if (rand() < 0.5) return 0;
  const digits = 1 + Math.floor(rand() * 4);
  return Math.floor(rand() * 16 ** digits);
}

export function sampleGroups(rand: () => number): number[] {
  const groups = Array.from({ length: 8 }, () => group(rand));
  if (rand() < 0.4) {
    const prefix = PREFIXES[Math.floor(rand() * PREFIXES.length)]!;
    prefix.forEach((g, i) => {
      groups[i] = g;
    });
  }
  return groups;
}

/** One of the many valid ways of writing `groups`: random case, leading zeros and `::` placement. */
export function writeVariant(groups: number[], rand: () => number): string {
  const texts = groups.map((g) => {
    let t = g.toString(16);
    if (rand() < 0.3) t = t.padStart(1 + Math.floor(rand() * 4), '0');
    if (rand() < 0.3) t = t.toUpperCase();
    return t;
  });
  const runs: Array<[number, number]> = [];
  for (let i = 0; i < 8; i++) {
    if (groups[i] !== 0) continue;
    for (let j = i; j < 8 && groups[j] === 0; j++) runs.push([i, j - i + 1]);
  }
  if (runs.length && rand() < 0.7) {
    const [start, length] = runs[Math.floor(rand() * runs.length)]!;
    return `${texts.slice(0, start).join(':')}::${texts.slice(start + length).join(':')}`;
  }
  return texts.join(':');
}

export function sample(seed: number, count: number): Array<{ groups: number[]; text: string }> {
  const rand = prng(seed);
  return Array.from({ length: count }, () => {
    const groups = sampleGroups(rand);
    return { groups, text: writeVariant(groups, rand) };
  });
}

/** The seed for this run: DSLAB_ADDR_SEED when set (to replay a failure), else a fixed one. */
export function sampleSeed(): number {
  const env = process.env['DSLAB_ADDR_SEED'];
  return env ? Number(env) : 0x5952;
}
