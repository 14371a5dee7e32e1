/**
 * Validates connector options once, up front, and fills in the RFC 8305 defaults. Bad values
 * are rejected with DSLAB_E_BAD_OPTION naming the option, the value and what would be valid;
 * values the RFC allows but discourages come back as warnings.
 */
import net from 'node:net';
import { DslabError } from '../errors.js';
import type { ConnectMode, HappyOptions, PolicyChoice, TlsUpgradeOptions } from './types.js';

/** RFC 8305 §5: "MUST NOT be less than 10 ms" (the floor), 100 ms recommended minimum, 2 s maximum. */
export const DELAY_FLOOR_MS = 10;
/** RFC 8305 §5's recommended minimum Connection Attempt Delay, 100 ms: shorter delays are allowed with a warning. */
export const DELAY_RECOMMENDED_MIN_MS = 100;
/** RFC 8305 §5's maximum Connection Attempt Delay, 2000 ms: longer delays are capped to it with a warning. */
export const DELAY_MAX_MS = 2000;
/** The default Connection Attempt Delay, 250 ms (RFC 8305 §5's recommended value). */
export const DEFAULT_CONNECTION_ATTEMPT_DELAY_MS = 250;
/** RFC 8305 §3: recommended Resolution Delay. */
export const DEFAULT_RESOLUTION_DELAY_MS = 50;
export const DEFAULT_TIMEOUT_MS = 10_000;
/**
 * Overall deadline in `sequential` mode: like getaddrinfo, it waits for both DNS answers, so
 * a lost answer costs the resolver's whole timeout (c-ares: 1500 ms for the first try, then
 * retries on each nameserver with longer timeouts: 9 s measured with the lab's two
 * nameservers), and 10 s would cut it short.
 */
export const SEQUENTIAL_TIMEOUT_MS = 30_000;
/** The seed client's per-attempt timeout in `sequential` mode. */
export const SEQUENTIAL_ATTEMPT_TIMEOUT_MS = 2000;
/** How long the winner cache keeps an entry by default: 10 minutes, in ms. */
export const CACHE_TTL_MS = 10 * 60 * 1000;

const MODES: readonly ConnectMode[] = ['happy', 'sequential', 'ipv4', 'ipv6'];

/** Connector options after validation, with every default filled in and the warnings about discouraged values. */
export interface NormalizedOptions {
  host: string;
  port: number;
  mode: ConnectMode;
  delayMs: number;
  resolutionDelayMs: number;
  firstAddressFamilyCount: number;
  timeoutMs: number;
  attemptTimeoutMs: number | null;
  policy: PolicyChoice;
  cache: boolean | import('./cache.js').HappyCache;
  delayFromRtt: boolean;
  dnsServers: string[] | undefined;
  dnsTimeoutMs: number;
  hostsFile: string | false;
  tls: TlsUpgradeOptions | null;
  explain: boolean;
  signal: AbortSignal | undefined;
  warnings: string[];
}

function bad(field: string, value: unknown, message: string, hint: string): DslabError {
  return new DslabError('DSLAB_E_BAD_OPTION', message, { field, value, hint });
}

function number(field: string, value: unknown, { min, max, integer }: { min: number; max: number; integer?: boolean }): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    throw bad(
      field,
      value,
      `Invalid ${field}: ${JSON.stringify(value)}. Must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}.`,
      `Give ${field} a value between ${min} and ${max}.`,
    );
  }
  return value;
}

/**
 * The Connection Attempt Delay after RFC 8305 §5's bounds: under 10 ms is an error, under
 * 100 ms is allowed with a warning, over 2 s is capped with a warning.
 */
export function boundDelay(value: unknown, warnings: string[], field = 'connectionAttemptDelayMs'): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw bad(field, value, `Invalid ${field}: ${JSON.stringify(value)}. Must be a number of milliseconds.`, `Use a delay from ${DELAY_FLOOR_MS} to ${DELAY_MAX_MS} ms (RFC 8305 recommends 250).`);
  }
  if (value < DELAY_FLOOR_MS) {
    throw bad(
      field,
      value,
      `Invalid ${field}: ${value} ms is below RFC 8305's floor of ${DELAY_FLOOR_MS} ms (§5: the delay MUST NOT be less than 10 ms).`,
      `Use at least ${DELAY_FLOOR_MS} ms; ${DELAY_RECOMMENDED_MIN_MS} ms or more is recommended, 250 ms is the default.`,
    );
  }
  if (value < DELAY_RECOMMENDED_MIN_MS) {
    warnings.push(`${field} ${value} ms is below RFC 8305's recommended minimum of ${DELAY_RECOMMENDED_MIN_MS} ms; extra connection attempts may load the network.`);
  }
  if (value > DELAY_MAX_MS) {
    warnings.push(`${field} ${value} ms is above RFC 8305's maximum of ${DELAY_MAX_MS} ms; using ${DELAY_MAX_MS} ms.`);
    return DELAY_MAX_MS;
  }
  return value;
}

/** A DNS host name (letters, digits, `-`, `_`, dots) or an IP literal (IPv6 may be in brackets). */
export function normalizeHost(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw bad('host', value, `Invalid host: ${JSON.stringify(value)}. Must be a host name or an IP address.`, 'Give a name such as dual-ok.local or an address such as 172.30.0.10.');
  }
  let host = value.trim();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (net.isIP(host) !== 0) return host;
  if (host.length > 253 || !/^[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\.?$/.test(host)) {
    throw bad('host', value, `Invalid host: ${JSON.stringify(value)} is neither an IP address nor a valid DNS name.`, 'Use letters, digits, "-" and dots (labels up to 63 characters), or an IPv4/IPv6 address.');
  }
  return host;
}

/**
 * Validates connection options and fills in the defaults (mode `happy`, 250 ms attempt delay,
 * 50 ms resolution delay, 10 s timeout (30 s in `sequential`), policy `system`, /etc/hosts, ...); throws
 * DSLAB_E_BAD_OPTION for an invalid value.
 */
export function normalizeOptions(options: HappyOptions): NormalizedOptions {
  if (options === null || typeof options !== 'object') {
    throw bad('options', options, 'Invalid options: expected an object with at least host and port.', 'Call connect({ host, port }).');
  }
  const warnings: string[] = [];
  const host = normalizeHost(options.host);
  const port = number('port', options.port, { min: 1, max: 65535, integer: true });
  const mode = options.mode ?? 'happy';
  if (!MODES.includes(mode)) {
    throw bad('mode', mode, `Invalid mode: ${JSON.stringify(mode)}. Must be one of ${MODES.join(', ')}.`, 'Use happy (RFC 8305), sequential (IPv6 then IPv4, 2 s each), ipv4 or ipv6.');
  }
  const delayMs = boundDelay(options.connectionAttemptDelayMs ?? DEFAULT_CONNECTION_ATTEMPT_DELAY_MS, warnings);
  const resolutionDelayMs = number('resolutionDelayMs', options.resolutionDelayMs ?? DEFAULT_RESOLUTION_DELAY_MS, { min: 0, max: DELAY_MAX_MS });
  const firstAddressFamilyCount = number('firstAddressFamilyCount', options.firstAddressFamilyCount ?? 1, { min: 1, max: 64, integer: true });
  const timeoutMs = number('timeoutMs', options.timeoutMs ?? (mode === 'sequential' ? SEQUENTIAL_TIMEOUT_MS : DEFAULT_TIMEOUT_MS), { min: 1, max: 3_600_000 });
  const attemptTimeoutMs =
    options.attemptTimeoutMs !== undefined
      ? number('attemptTimeoutMs', options.attemptTimeoutMs, { min: 1, max: 3_600_000 })
      : mode === 'sequential'
        ? SEQUENTIAL_ATTEMPT_TIMEOUT_MS
        : null;
  const policy = options.policy ?? 'system';
  if (typeof policy === 'string' && !['system', 'glibc', 'rfc6724'].includes(policy)) {
    throw bad('policy', policy, `Invalid policy: ${JSON.stringify(policy)}. Must be system, glibc, rfc6724 or a policy table.`, 'Use system (the machine\'s /etc/gai.conf or glibc\'s table), glibc or rfc6724.');
  }
  if (typeof policy === 'object' && (!Array.isArray(policy.labels) || !Array.isArray(policy.precedences))) {
    throw bad('policy', policy, 'Invalid policy table: it needs labels and precedences.', 'Build one with customTable(), parseGaiConf() or rfc6724Table().');
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw bad('signal', options.signal, 'Invalid signal: expected an AbortSignal.', 'Pass AbortSignal.timeout(ms) or an AbortController\'s signal.');
  }
  let dnsServers: string[] | undefined;
  if (options.dnsServers !== undefined) {
    if (!Array.isArray(options.dnsServers) || options.dnsServers.length === 0 || options.dnsServers.some((s) => typeof s !== 'string' || s === '')) {
      throw bad('dnsServers', options.dnsServers, 'Invalid dnsServers: expected a non-empty list of addresses.', 'Give addresses such as 127.0.0.1, [::1]:5353 or 127.0.0.1:5353.');
    }
    dnsServers = [...options.dnsServers];
  }
  const dnsTimeoutMs = number('dnsTimeoutMs', options.dnsTimeoutMs ?? 1500, { min: 1, max: 60_000, integer: true });
  const hostsFile = options.hostsFile === undefined ? '/etc/hosts' : options.hostsFile;
  if (hostsFile !== false && (typeof hostsFile !== 'string' || hostsFile === '')) {
    throw bad('hostsFile', hostsFile, 'Invalid hostsFile: expected a path or false.', 'Give a path such as /etc/hosts, or false to skip it.');
  }
  const tls = options.tls === undefined || options.tls === false ? null : options.tls === true ? {} : options.tls;
  if (tls !== null && typeof tls !== 'object') {
    throw bad('tls', options.tls, 'Invalid tls: expected true, false or an options object.', 'Use tls: true or tls: { servername }.');
  }
  if (tls !== null && tls.rejectUnauthorized === false) {
    warnings.push('TLS certificate verification is off (--insecure / rejectUnauthorized: false): anyone on the path could pose as the server. Trust its CA with --ca FILE instead.');
  }
  return {
    host,
    port,
    mode,
    delayMs,
    resolutionDelayMs,
    firstAddressFamilyCount,
    timeoutMs,
    attemptTimeoutMs,
    policy,
    cache: options.cache ?? true,
    delayFromRtt: options.delayFromRtt ?? false,
    dnsServers,
    dnsTimeoutMs,
    hostsFile,
    tls,
    explain: options.explain ?? false,
    signal: options.signal,
    warnings,
  };
}
