/**
 * RFC 8305 §4 family interleaving: after sorting, take First Address Family Count addresses
 * of the first address's family, then alternate families one by one; when one family runs
 * out, the rest of the other follows in order.
 */
import type { Family } from './types.js';

/**
 * Reorders a sorted candidate list as RFC 8305 §4 says: the first `firstAddressFamilyCount`
 * (default 1) addresses of the first address's family, then the families alternate.
 */
export function interleaveFamilies<T extends { family: Family }>(sorted: readonly T[], firstAddressFamilyCount = 1): T[] {
  if (sorted.length === 0) return [];
  const firstFamily = sorted[0]!.family;
  const preferred = sorted.filter((c) => c.family === firstFamily);
  const other = sorted.filter((c) => c.family !== firstFamily);
  const out: T[] = preferred.splice(0, Math.max(1, firstAddressFamilyCount));
  let takeOther = true;
  while (preferred.length > 0 || other.length > 0) {
    const from: T[] = (takeOther && other.length > 0) || preferred.length === 0 ? other : preferred;
    out.push(from.shift()!);
    takeOther = from !== other;
  }
  return out;
}
