/**
 * The shapes the Happy Eyeballs connector speaks in: options, candidates, attempts, trace
 * events and the result. Pure types; the behaviour lives in the modules that use them.
 */
import type { Socket } from 'node:net';
import type { PolicyTable } from './policy-table.js';

/** An IP address family: 4 for IPv4, 6 for IPv6. */
export type Family = 4 | 6;

/** `happy`: RFC 8305; `sequential`: the seed client (IPv6, then IPv4, 2 s each); or one family only. */
export type ConnectMode = 'happy' | 'sequential' | 'ipv4' | 'ipv6';

/** Which address-selection policy table sorts the candidates. */
export type PolicyChoice = 'system' | 'glibc' | 'rfc6724' | PolicyTable;

/** Options of a Happy Eyeballs connection: the host and port to reach, plus the timing, policy, cache, DNS and TLS settings. */
export interface HappyOptions {
  host: string;
  port: number;
  signal?: AbortSignal;
  mode?: ConnectMode;
  /** Connection Attempt Delay (RFC 8305 §5), default 250 ms; < 10 rejected, < 100 warned, > 2000 capped. */
  connectionAttemptDelayMs?: number;
  /** Resolution Delay (RFC 8305 §3), default 50 ms. */
  resolutionDelayMs?: number;
  /** First Address Family Count (RFC 8305 §4), default 1. */
  firstAddressFamilyCount?: number;
  /** Overall deadline for resolution plus connection, default 10 s (`sequential`: 30 s, as it waits out a lost DNS answer). */
  timeoutMs?: number;
  /** Per-attempt timeout; default none in `happy`, 2000 ms in `sequential`. */
  attemptTimeoutMs?: number;
  /** Address selection policy, default `system` (/etc/gai.conf, else glibc's built-in table). */
  policy?: PolicyChoice;
  /** Use and fill the per-process winner cache (default true), or use this cache instead. */
  cache?: boolean | import('./cache.js').HappyCache;
  /** Derive the Connection Attempt Delay from the RTT history of the cache (RFC 8305 §5), default false. */
  delayFromRtt?: boolean;
  /** Resolver addresses (`1.2.3.4`, `[::1]:5353`); default: the system's /etc/resolv.conf. */
  dnsServers?: string[];
  /** Per-query DNS timeout in ms (c-ares), default 1500. */
  dnsTimeoutMs?: number;
  /** Hosts file to read first, default /etc/hosts; `false` skips it. */
  hostsFile?: string | false;
  /** Upgrade the winning socket to TLS (servername defaults to the host unless it is an IP literal). */
  tls?: boolean | TlsUpgradeOptions;
  /** Collect the sorting explanation (which table and rule decided). */
  explain?: boolean;
}

/** How to upgrade the winning socket to TLS: server name, ALPN protocols, verification and trusted CAs. */
export interface TlsUpgradeOptions {
  servername?: string;
  ALPNProtocols?: string[];
  /** `false` skips certificate verification (like `curl -k`); a warning says so. */
  rejectUnauthorized?: boolean;
  /** Trusted CAs (PEM). As in Node's `tls.connect`, this REPLACES the default store; add `tls.rootCertificates` to keep it. */
  ca?: string | Buffer | Array<string | Buffer>;
}

/** What the TLS handshake on the winner settled: protocol, and whether the certificate was verified. */
export interface TlsInfo {
  protocol: string | null;
  servername: string | null;
  /** The certificate chain was verified against the trusted CAs and the name. */
  authorized: boolean;
  /** Why it was not (e.g. `DEPTH_ZERO_SELF_SIGNED_CERT`), when verification was skipped. */
  authorizationError?: string;
}

/** One destination address the connector may try, with its family, where it came from and its source address. */
export interface Candidate {
  address: string;
  family: Family;
  /** Where it came from: an IP literal, the hosts file, DNS or the winner cache. */
  origin: 'literal' | 'hosts' | 'dns' | 'cache';
  /** Source address the kernel would use (learned without sending); undefined = unusable. */
  source?: string;
}

/** How a connection attempt ended: connected, failed, or cancelled. */
export type AttemptOutcome = 'connected' | 'failed' | 'cancelled';

/** One connection attempt to one address: when it started and ended (ms since the call began), and how it ended. */
export interface AttemptRecord {
  address: string;
  family: Family;
  /** ms since the call began. */
  startMs: number;
  endMs: number | null;
  outcome: AttemptOutcome;
  /** errno code (`ECONNREFUSED`, `ETIMEDOUT`, ...) and message when it failed or was cancelled. */
  error?: { code: string; message: string };
}

/** The kinds of event in a connection's trace: resolution, sorting, attempts, TLS, and how the call ended. */
export type TraceEventType =
  | 'start'
  | 'warning'
  | 'hosts-answer'
  | 'cache-hit'
  | 'query-sent'
  | 'query-answered'
  | 'query-failed'
  | 'query-cancelled'
  | 'resolution-delay-started'
  | 'resolution-delay-expired'
  | 'sorted'
  | 'attempt-started'
  | 'attempt-failed'
  | 'attempt-connected'
  | 'attempt-cancelled'
  | 'tls-connected'
  | 'tls-failed'
  | 'winner'
  | 'timeout'
  | 'aborted'
  | 'all-failed';

/** One timestamped event of a connection's trace, with the family, address, query type or error it concerns. */
export interface TraceEvent {
  /** ms since the call began (performance.now(), sub-ms precision). */
  t: number;
  type: TraceEventType;
  family?: Family;
  address?: string;
  /** Query type for DNS events. */
  qtype?: 'A' | 'AAAA';
  addresses?: string[];
  code?: string;
  message?: string;
}

/** How long a connection took, in ms: overall, the winning handshake, the DNS answers and TLS. */
export interface HappyTimings {
  /** Call to connected (TLS included when asked for): what the user waits for. */
  totalMs: number;
  /** The winning attempt's own TCP handshake time. */
  handshakeMs: number;
  /** ms since the call when the AAAA / A answers arrived (null: none, or not asked). */
  aaaaMs: number | null;
  aMs: number | null;
  tlsMs?: number;
}

/** Where the addresses came from, and the AAAA and A answers: their addresses, arrival time in ms and error. */
export interface ResolutionSummary {
  /** `literal`, `hosts`, `dns` (or `cache` when the cached winner won before DNS answered). */
  source: 'literal' | 'hosts' | 'dns' | 'cache';
  aaaa: { addresses: string[]; ms: number | null; error?: string };
  a: { addresses: string[]; ms: number | null; error?: string };
}

/** The outcome of a successful Happy Eyeballs connection: the connected socket, the winner, and the candidates, attempts, timings and trace that led to it. */
export interface HappyResult {
  socket: Socket;
  host: string;
  port: number;
  mode: ConnectMode;
  address: string;
  family: Family;
  /** The Connection Attempt Delay that was used (after bounds and RTT derivation). */
  delayMs: number;
  fromCache: boolean;
  resolution: ResolutionSummary;
  /** The candidate list in the order it was tried (sorted, interleaved, later answers merged). */
  candidates: Candidate[];
  attempts: AttemptRecord[];
  timings: HappyTimings;
  trace: TraceEvent[];
  warnings: string[];
  /** Present when TLS was asked for. */
  tls?: TlsInfo;
  explain?: import('./explain.js').SortExplanation;
}
