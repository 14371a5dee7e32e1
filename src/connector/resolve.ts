/**
 * Asynchronous dual-family resolution (RFC 8305 §3): the AAAA query goes out first and the A
 * query right after, on one c-ares channel (which reads the system's /etc/resolv.conf), and
 * each answer is handed over the moment it arrives. The hosts file is read first; a hit
 * answers without DNS. `cancel()` stops whatever is still outstanding.
 */
import { promises as dnsPromises } from 'node:dns';
import type { Family } from './types.js';

export interface FamilyAnswer {
  family: Family;
  addresses: string[];
  /** errno-style code (ENODATA, ENOTFOUND, ETIMEOUT, ECANCELLED, ...) when the query failed. */
  error?: string;
}

export interface DnsQueryOptions {
  servers?: string[];
  timeoutMs: number;
}

export class DualQuery {
  #resolver: dnsPromises.Resolver;
  #cancelled = false;

  constructor(options: DnsQueryOptions) {
    this.#resolver = new dnsPromises.Resolver({ timeout: options.timeoutMs, tries: 2 });
    if (options.servers) this.#resolver.setServers(options.servers);
  }

  /**
   * Sends the queries for `families` in the given order (AAAA first for [6, 4]) and calls
   * `onSent` / `onAnswer` per family as things happen.
   */
  start(host: string, families: readonly Family[], onSent: (family: Family) => void, onAnswer: (answer: FamilyAnswer) => void): void {
    for (const family of families) {
      const query = family === 6 ? this.#resolver.resolve6(host) : this.#resolver.resolve4(host);
      onSent(family);
      query.then(
        (addresses) => {
          if (!this.#cancelled) onAnswer({ family, addresses });
        },
        (err: NodeJS.ErrnoException) => {
          if (!this.#cancelled) onAnswer({ family, addresses: [], error: String(err.code ?? err.message) });
        },
      );
    }
  }

  cancel(): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    this.#resolver.cancel();
  }
}
