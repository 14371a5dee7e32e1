/**
 * Address-selection policy tables (RFC 6724 §2.1) and where they come from: RFC 6724's own
 * default, glibc's built-in table (what getaddrinfo uses when /etc/gai.conf sets nothing), and
 * /etc/gai.conf parsed with glibc's semantics. Also the scope of an address (RFC 6724 §3).
 */
import { readFileSync, statSync } from 'node:fs';
import ipaddr from 'ipaddr.js';

/** One row of a label or precedence table: an IPv6 prefix, its length in bits and its value. */
export interface PrefixEntry {
  /** Prefix in text form, IPv6 (IPv4 destinations are matched as ::ffff:a.b.c.d). */
  prefix: string;
  bits: number;
  value: number;
}

/** One row of the IPv4 scope table: an IPv4 network, its prefix length in bits and its scope. */
export interface ScopeV4Entry {
  /** IPv4 network text, e.g. `169.254.0.0`. */
  prefix: string;
  bits: number;
  scope: number;
}

/** An RFC 6724 address-selection policy table: label and precedence rows, IPv4 scopes, and where it came from. */
export interface PolicyTable {
  /** `glibc`, `rfc6724`, `gai.conf` or `custom`. */
  name: string;
  /** One sentence: where the table came from and why it applies. */
  origin: string;
  labels: PrefixEntry[];
  precedences: PrefixEntry[];
  scopesV4: ScopeV4Entry[];
  /** Lines of a gai.conf that were not understood (glibc skips them too). */
  ignoredLines?: string[];
}

/** glibc sysdeps/posix/getaddrinfo.c default_labels (RFC 3484 plus fec0::/10, fc00::/7, 2001::/32). */
const GLIBC_LABELS: PrefixEntry[] = [
  { prefix: '::1', bits: 128, value: 0 },
  { prefix: '2002::', bits: 16, value: 2 },
  { prefix: '::', bits: 96, value: 3 },
  { prefix: '::ffff:0:0', bits: 96, value: 4 },
  { prefix: 'fec0::', bits: 10, value: 5 },
  { prefix: 'fc00::', bits: 7, value: 6 },
  { prefix: '2001::', bits: 32, value: 7 },
  { prefix: '::', bits: 0, value: 1 },
];

/** glibc default_precedence: no ULA row, so fd00::/8 falls to ::/0 (40) above IPv4 (10). */
const GLIBC_PRECEDENCES: PrefixEntry[] = [
  { prefix: '::1', bits: 128, value: 50 },
  { prefix: '2002::', bits: 16, value: 30 },
  { prefix: '::', bits: 96, value: 20 },
  { prefix: '::ffff:0:0', bits: 96, value: 10 },
  { prefix: '::', bits: 0, value: 40 },
];

/** glibc default_scopes and RFC 6724 §3.2: loopback and link-local IPv4 are link-local scope. */
const DEFAULT_SCOPES_V4: ScopeV4Entry[] = [
  { prefix: '169.254.0.0', bits: 16, scope: 2 },
  { prefix: '127.0.0.0', bits: 8, scope: 2 },
  { prefix: '0.0.0.0', bits: 0, scope: 14 },
];

/** RFC 6724 §2.1 default policy table: Prefix, Precedence, Label. */
const RFC6724_ROWS: Array<[string, number, number, number]> = [
  ['::1', 128, 50, 0],
  ['::', 0, 40, 1],
  ['::ffff:0:0', 96, 35, 4],
  ['2002::', 16, 30, 2],
  ['2001::', 32, 5, 5],
  ['fc00::', 7, 3, 13],
  ['::', 96, 1, 3],
  ['fec0::', 10, 1, 11],
  ['3ffe::', 16, 1, 12],
];

/** Why glibc's table puts the lab's IPv6 first: said wherever that table applies. */
const GLIBC_WHY = "RFC 3484 style: no ULA row, IPv6 ULA precedence 40 beats IPv4's 10";

function byLongestPrefix<T extends { bits: number }>(entries: T[]): T[] {
  return [...entries].sort((a, b) => b.bits - a.bits);
}

/** glibc's built-in policy table (no ULA row, so IPv6 ULA precedence 40 beats IPv4's 10); `origin` says why it applies. */
export function glibcTable(origin = `glibc's built-in table (${GLIBC_WHY})`): PolicyTable {
  return {
    name: 'glibc',
    origin,
    labels: byLongestPrefix(GLIBC_LABELS),
    precedences: byLongestPrefix(GLIBC_PRECEDENCES),
    scopesV4: byLongestPrefix(DEFAULT_SCOPES_V4),
  };
}

/** RFC 6724 §2.1's default policy table (ULA fc00::/7 precedence 3, below IPv4's 35). */
export function rfc6724Table(): PolicyTable {
  return {
    name: 'rfc6724',
    origin: "RFC 6724 §2.1's default table (ULA fc00::/7 precedence 3 below IPv4's 35)",
    labels: byLongestPrefix(RFC6724_ROWS.map(([prefix, bits, , label]) => ({ prefix, bits, value: label }))),
    precedences: byLongestPrefix(RFC6724_ROWS.map(([prefix, bits, precedence]) => ({ prefix, bits, value: precedence }))),
    scopesV4: byLongestPrefix(DEFAULT_SCOPES_V4),
  };
}

/**
 * A table from rows of (prefix/bits, precedence, label), e.g. RFC 6724's default plus a
 * site-specific row (§10.6). Prefixes may be IPv6 or IPv4 (mapped to ::ffff:0:0/96).
 */
export function customTable(rows: Array<{ prefix: string; precedence: number; label: number }>, base: PolicyTable = rfc6724Table()): PolicyTable {
  const labels = [...base.labels];
  const precedences = [...base.precedences];
  for (const row of rows) {
    const { prefix, bits } = parsePrefix(row.prefix);
    for (const list of [labels, precedences]) {
      const i = list.findIndex((e) => e.bits === bits && samePrefix(e.prefix, prefix, bits));
      if (i >= 0) list.splice(i, 1);
    }
    labels.push({ prefix, bits, value: row.label });
    precedences.push({ prefix, bits, value: row.precedence });
  }
  return {
    name: 'custom',
    origin: `custom table: ${base.name} plus ${rows.map((r) => `${r.prefix} (precedence ${r.precedence}, label ${r.label})`).join(', ')}`,
    labels: byLongestPrefix(labels),
    precedences: byLongestPrefix(precedences),
    scopesV4: base.scopesV4,
  };
}

function samePrefix(a: string, b: string, bits: number): boolean {
  return ipaddr.IPv6.parse(a).match(ipaddr.IPv6.parse(b), bits);
}

/** Parses `2001:db8::/32` or `10.0.0.0/8` (IPv4 becomes its ::ffff: mapped /96+n form). */
function parsePrefix(text: string): { prefix: string; bits: number } {
  const slash = text.indexOf('/');
  const addrText = slash >= 0 ? text.slice(0, slash) : text;
  const addr = ipaddr.parse(addrText);
  const maxBits = addr.kind() === 'ipv4' ? 32 : 128;
  const bits = slash >= 0 ? Number(text.slice(slash + 1)) : maxBits;
  if (!Number.isInteger(bits) || bits < 0 || bits > maxBits) throw new Error(`bad prefix length in ${text}`);
  if (addr.kind() === 'ipv4') {
    return { prefix: (addr as ipaddr.IPv4).toIPv4MappedAddress().toString(), bits: bits + 96 };
  }
  return { prefix: addr.toString(), bits };
}

/** The IPv6 form used for table lookups: IPv4 becomes ::ffff:a.b.c.d (as glibc does). */
function asIPv6(address: string): ipaddr.IPv6 {
  const a = ipaddr.parse(address);
  return a.kind() === 'ipv4' ? (a as ipaddr.IPv4).toIPv4MappedAddress() : (a as ipaddr.IPv6);
}

function lookup(list: PrefixEntry[], address: string, fallback: number): { value: number; row: string } {
  const a = asIPv6(address);
  for (const e of list) {
    if (a.match(ipaddr.IPv6.parse(e.prefix), e.bits)) return { value: e.value, row: `${e.prefix}/${e.bits}` };
  }
  return { value: fallback, row: '(none)' };
}

/** The label of an address in the table: the value of the first row whose prefix matches it (IPv4 as ::ffff:a.b.c.d). */
export function labelOf(table: PolicyTable, address: string): number {
  // glibc's default for "no row" is INT_MAX; a table with ::/0 always matches
  return lookup(table.labels, address, Number.MAX_SAFE_INTEGER).value;
}

/** The precedence of an address in the table: the value of the first row whose prefix matches it (IPv4 as ::ffff:a.b.c.d), 0 when none does. */
export function precedenceOf(table: PolicyTable, address: string): number {
  return lookup(table.precedences, address, 0).value;
}

/** RFC 6724 §3.1 scope values: 1 interface-local, 2 link-local, 5 site-local, 14 global. */
export function scopeOf(table: PolicyTable, address: string): number {
  const a = ipaddr.parse(address);
  if (a.kind() === 'ipv4') {
    for (const e of table.scopesV4) {
      if ((a as ipaddr.IPv4).match(ipaddr.IPv4.parse(e.prefix), e.bits)) return e.scope;
    }
    return 14;
  }
  const v6 = a as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return scopeOf(table, v6.toIPv4Address().toString());
  const range = v6.range();
  if (range === 'multicast') return v6.parts[0]! & 0x0f;
  if (range === 'loopback' || range === 'linkLocal') return 2;
  if (v6.match(ipaddr.IPv6.parse('fec0::'), 10)) return 5;
  return 14;
}

/** The rows of a parsed gai.conf(5) file, and the lines that were not understood. */
export interface GaiConf {
  labels: PrefixEntry[];
  precedences: PrefixEntry[];
  scopesV4: ScopeV4Entry[];
  ignoredLines: string[];
}

/**
 * Parses gai.conf(5) as glibc does: `label`, `precedence` and `scopev4` lines; comments after
 * `#`; malformed lines are skipped (and reported here).
 */
export function parseGaiConf(text: string): GaiConf {
  const out: GaiConf = { labels: [], precedences: [], scopesV4: [], ignoredLines: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const [cmd, v1, v2] = line.split(/\s+/);
    try {
      if (cmd === 'label' || cmd === 'precedence') {
        const { prefix, bits } = parseV6Prefix(v1);
        const value = parseNonNegative(v2);
        (cmd === 'label' ? out.labels : out.precedences).push({ prefix, bits, value });
      } else if (cmd === 'scopev4') {
        out.scopesV4.push(parseScopeV4(v1, v2));
      } else if (cmd !== 'reload') {
        out.ignoredLines.push(raw.trim());
      }
    } catch {
      out.ignoredLines.push(raw.trim());
    }
  }
  return out;
}

function parseV6Prefix(text: string | undefined): { prefix: string; bits: number } {
  if (!text) throw new Error('missing prefix');
  const [addr, len] = text.split('/');
  if (!addr || !ipaddr.IPv6.isValid(addr)) throw new Error('not IPv6');
  const bits = len === undefined ? 128 : Number(len);
  if (!/^\d+$/.test(len ?? '128') || bits > 128) throw new Error('bad length');
  return { prefix: ipaddr.IPv6.parse(addr).toString(), bits };
}

function parseScopeV4(v1: string | undefined, v2: string | undefined): ScopeV4Entry {
  if (!v1) throw new Error('missing prefix');
  const [addr, len] = v1.split('/');
  const scope = parseNonNegative(v2);
  if (addr && ipaddr.IPv6.isValid(addr)) {
    const a = ipaddr.IPv6.parse(addr);
    const bits = len === undefined ? 128 : Number(len);
    if (!a.isIPv4MappedAddress() || !(bits >= 96 && bits <= 128)) throw new Error('bad scopev4');
    return { prefix: maskV4(a.toIPv4Address().toString(), bits - 96), bits: bits - 96, scope };
  }
  if (!addr || !ipaddr.IPv4.isValidFourPartDecimal(addr)) throw new Error('bad scopev4');
  const bits = len === undefined ? 32 : Number(len);
  if (!/^\d+$/.test(len ?? '32') || bits > 32) throw new Error('bad length');
  return { prefix: maskV4(addr, bits), bits, scope };
}

function maskV4(addr: string, bits: number): string {
  const bytes = ipaddr.IPv4.parse(addr).toByteArray();
  const mask = ipaddr.IPv4.subnetMaskFromPrefixLength(bits).toByteArray();
  return bytes.map((b, i) => b & mask[i]!).join('.');
}

function parseNonNegative(text: string | undefined): number {
  if (!text || !/^\d+$/.test(text)) throw new Error('bad value');
  const n = Number(text);
  if (n > 2 ** 31 - 1) throw new Error('too big');
  return n;
}

/**
 * Applies glibc's semantics: any `label` line replaces the whole label table (plus ::/0 -> 1
 * unless given), any `precedence` line the whole precedence table (plus ::/0 -> 40), any
 * `scopev4` line the scope table (plus 0.0.0.0/0 -> 14).
 */
export function tableFromGaiConf(conf: GaiConf, path: string): PolicyTable {
  const base = glibcTable();
  const parts: string[] = [];
  let labels = base.labels;
  if (conf.labels.length > 0) {
    labels = [...conf.labels];
    if (!labels.some((e) => e.bits === 0)) labels.push({ prefix: '::', bits: 0, value: 1 });
    parts.push(`${conf.labels.length} label line(s) replace glibc's label table`);
  }
  let precedences = base.precedences;
  if (conf.precedences.length > 0) {
    precedences = [...conf.precedences];
    if (!precedences.some((e) => e.bits === 0)) precedences.push({ prefix: '::', bits: 0, value: 40 });
    parts.push(`${conf.precedences.length} precedence line(s) replace glibc's precedence table`);
  }
  let scopesV4 = base.scopesV4;
  if (conf.scopesV4.length > 0) {
    scopesV4 = [...conf.scopesV4];
    if (!scopesV4.some((e) => e.bits === 0)) scopesV4.push({ prefix: '0.0.0.0', bits: 0, scope: 14 });
    parts.push(`${conf.scopesV4.length} scopev4 line(s) replace glibc's IPv4 scope table`);
  }
  if (parts.length === 0) {
    return { ...glibcTable(`${path} sets no label, precedence or scopev4 line, so glibc's built-in table applies (${GLIBC_WHY})`), ignoredLines: conf.ignoredLines };
  }
  return {
    name: 'gai.conf',
    origin: `${path}: ${parts.join('; ')}`,
    labels: byLongestPrefix(labels),
    precedences: byLongestPrefix(precedences),
    scopesV4: byLongestPrefix(scopesV4),
    ignoredLines: conf.ignoredLines,
  };
}

let systemCache: { path: string; mtimeMs: number; size: number; table: PolicyTable } | undefined;

/** The table the machine's getaddrinfo uses: /etc/gai.conf where present, else glibc's built-in one. */
export function systemTable(path = '/etc/gai.conf'): PolicyTable {
  let text: string;
  let mtimeMs: number;
  let size: number;
  try {
    const st = statSync(path);
    ({ mtimeMs, size } = st);
    if (systemCache && systemCache.path === path && systemCache.mtimeMs === mtimeMs && systemCache.size === size) return systemCache.table;
    text = readFileSync(path, 'utf8');
  } catch {
    return glibcTable(`${path} is absent, so glibc's built-in table applies (${GLIBC_WHY})`);
  }
  const table = tableFromGaiConf(parseGaiConf(text), path);
  systemCache = { path, mtimeMs, size, table };
  return table;
}
