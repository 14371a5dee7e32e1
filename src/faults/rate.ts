/**
 * Bandwidth as people write it for tc: a number and a unit in bits per second (`bit`,
 * `kbit`, `mbit`, `gbit`; decimal multiples as tc uses them), or a plain number of bit/s.
 */
const UNITS: Record<string, number> = { bit: 1, kbit: 1e3, mbit: 1e6, gbit: 1e9 };

/** bit/s, or undefined when `text` is not a bandwidth. */
export function parseRate(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text > 0 ? Math.round(text) : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(bit|kbit|mbit|gbit)?\s*$/i.exec(text);
  if (!m) return undefined;
  const bps = Number(m[1]) * UNITS[(m[2] ?? 'bit').toLowerCase()]!;
  return bps > 0 ? Math.round(bps) : undefined;
}

/** 1500000 → `1.5mbit`: the shortest tc-style text. */
export function formatRate(bps: number): string {
  for (const [unit, factor] of [['gbit', 1e9], ['mbit', 1e6], ['kbit', 1e3]] as const) {
    if (bps >= factor) return `${Number((bps / factor).toFixed(3))}${unit}`;
  }
  return `${bps}bit`;
}
