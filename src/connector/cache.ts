/**
 * Per-process memory of which address won for a host and port, and how long the handshake
 * took, for a TTL (default 10 minutes). The next connection tries the winner first and may
 * derive its Connection Attempt Delay from the RTT history (RFC 8305 §5). Everything is
 * forgotten when the machine's addresses change (a fingerprint of the interfaces).
 */
import os from 'node:os';
import type { Family } from './types.js';
import { CACHE_TTL_MS, DELAY_MAX_MS, DELAY_RECOMMENDED_MIN_MS } from './options.js';

/** What the cache keeps for a host and port: the winning address and family, recent handshake times and when it was stored. */
export interface CacheEntry {
  address: string;
  family: Family;
  /** Recent handshake times, newest last (at most 8). */
  rttsMs: number[];
  /** Date.now() when last stored. */
  storedAt: number;
}

const MAX_RTTS = 8;

/** A text that changes when the machine's interface addresses change: every interface name and address, sorted. */
export function interfacesFingerprint(): string {
  const parts: string[] = [];
  for (const [name, list] of Object.entries(os.networkInterfaces())) {
    for (const info of list ?? []) parts.push(`${name}/${info.cidr ?? info.address}`);
  }
  return parts.sort().join(',');
}

/** Remembers the winning address of each host and port and its recent handshake times, for a TTL (default 10 minutes). */
export class HappyCache {
  readonly ttlMs: number;
  #entries = new Map<string, CacheEntry>();
  #fingerprint: string | undefined;
  #now: () => number;
  #fingerprintOf: () => string;

  constructor(options: { ttlMs?: number; now?: () => number; fingerprint?: () => string } = {}) {
    this.ttlMs = options.ttlMs ?? CACHE_TTL_MS;
    this.#now = options.now ?? Date.now;
    this.#fingerprintOf = options.fingerprint ?? interfacesFingerprint;
  }

  /** The cache key of a host (case-insensitive) and port. */
  static key(host: string, port: number): string {
    return `${host.toLowerCase()}|${port}`;
  }

  /** Drops everything when the machine's addresses changed since the last use. */
  #checkInterfaces(): void {
    const fp = this.#fingerprintOf();
    if (this.#fingerprint !== undefined && fp !== this.#fingerprint) this.#entries.clear();
    this.#fingerprint = fp;
  }

  /** The entry for a host and port, or undefined when there is none or it is older than the TTL. */
  get(host: string, port: number): CacheEntry | undefined {
    this.#checkInterfaces();
    const key = HappyCache.key(host, port);
    const entry = this.#entries.get(key);
    if (entry && this.#now() - entry.storedAt > this.ttlMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Stores the winner of a host and port, adding the handshake time to its history (the last 8) when the address is the same. */
  remember(host: string, port: number, address: string, family: Family, rttMs: number): void {
    this.#checkInterfaces();
    const key = HappyCache.key(host, port);
    const old = this.#entries.get(key);
    const rttsMs = old && old.address === address ? [...old.rttsMs, rttMs].slice(-MAX_RTTS) : [rttMs];
    this.#entries.set(key, { address, family, rttsMs, storedAt: this.#now() });
  }

  /** Removes the entry for a host and port. */
  forget(host: string, port: number): void {
    this.#entries.delete(HappyCache.key(host, port));
  }

  /** Removes every entry. */
  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}

/**
 * A Connection Attempt Delay from RTT history: twice the worst recent handshake, kept within
 * RFC 8305's recommended minimum (100 ms) and its maximum (2 s).
 */
export function delayFromRtts(rttsMs: readonly number[]): number | undefined {
  if (rttsMs.length === 0) return undefined;
  const worst = Math.max(...rttsMs);
  return Math.min(DELAY_MAX_MS, Math.max(DELAY_RECOMMENDED_MIN_MS, Math.ceil(worst * 2)));
}

/** The process-wide cache the connector uses unless told otherwise. */
export const defaultCache = new HappyCache();
