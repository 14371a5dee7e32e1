/**
 * Learns which source address the kernel would use for a destination, without sending a
 * packet: connect() on a UDP socket only picks a route and a source. A destination with no
 * route (ENETUNREACH, ...) has no source: RFC 6724 rule 1 sorts it last.
 */
import dgram from 'node:dgram';
import os from 'node:os';
import ipaddr from 'ipaddr.js';
import type { Family } from './types.js';

/** The source address the kernel would use for a destination and its prefix length, or the error code when there is none. */
export interface SourceInfo {
  source?: string;
  /** Prefix length of the interface address the source belongs to (for rule 9). */
  prefixLength?: number;
  error?: string;
}

/** Learns the source address the kernel would use for a destination, by connecting a UDP socket (nothing is sent). */
export function learnSource(address: string, family: Family): Promise<SourceInfo> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
    let done = false;
    const finish = (info: SourceInfo): void => {
      if (done) return;
      done = true;
      socket.close();
      resolve(info);
    };
    socket.on('error', (err: NodeJS.ErrnoException) => finish({ error: err.code ?? err.message }));
    try {
      // port 9 (discard): never used, connect() on UDP sends nothing
      // a failed connect() (ENETUNREACH: no route) calls back with the error, and the socket
      // is then only bound to the wildcard address: that is no source, not 0.0.0.0 / ::
      socket.connect(9, address, (err?: Error | null) => {
        if (err) {
          finish({ error: (err as NodeJS.ErrnoException).code ?? err.message });
          return;
        }
        try {
          const source = socket.address().address.split('%')[0]!;
          if (source === '0.0.0.0' || source === '::') {
            finish({ error: 'ENOSOURCE' });
            return;
          }
          finish({ source, prefixLength: prefixLengthOf(source) });
        } catch (err) {
          finish({ error: (err as NodeJS.ErrnoException).code ?? String(err) });
        }
      });
    } catch (err) {
      finish({ error: (err as NodeJS.ErrnoException).code ?? String(err) });
    }
  });
}

export function prefixLengthOf(source: string): number | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(source);
  } catch {
    return undefined;
  }
  for (const list of Object.values(os.networkInterfaces())) {
    for (const info of list ?? []) {
      if (!info.cidr) continue;
      try {
        if (ipaddr.parse(info.address.split('%')[0]!).toString() === parsed.toString()) {
          return Number(info.cidr.split('/')[1]);
        }
      } catch {
        // an address Node reports but ipaddr cannot read: skip it
      }
    }
  }
  return undefined;
}

/** Sources for many destinations at once, in parallel. */
export async function learnSources(targets: ReadonlyArray<{ address: string; family: Family }>): Promise<Map<string, SourceInfo>> {
  const results = await Promise.all(targets.map((t) => learnSource(t.address, t.family)));
  return new Map(targets.map((t, i) => [t.address, results[i]!]));
}
