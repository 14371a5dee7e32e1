/**
 * Reads a CoreDNS Corefile: the subset the article uses (server blocks, `hosts` entries with
 * `fallthrough`, `no_reverse` and `ttl`, `log`, `errors`) and the `dns64` plugin (prefix,
 * `translate_all`, `allow_ipv4`), so that dslab's DNS server can take CoreDNS's
 * command line (`-conf FILE`) and `dslab up` can take a Corefile's records. `forward` is
 * accepted and reported as not followed: the lab never sends queries out of itself.
 * Anything else is a `DSLAB_E_COREFILE` error naming the line.
 */
import ipaddr from 'ipaddr.js';
import { DslabError } from '../../errors.js';
import type { DnsRecord } from '../../lab/topology.js';
import { IPV4ONLY_ARPA, NAT64_PREFIX_LENGTHS, WELL_KNOWN_PREFIX } from '../../addr/nat64.js';
import type { DnsServerConfig } from './config.js';
import { ipv4onlyRecords, type Dns64Rule } from './dns64.js';

/** The TTL CoreDNS's hosts plugin gives its answers unless `ttl` says otherwise. */
export const HOSTS_DEFAULT_TTL = 3600;

export interface CorefileHostsEntry {
  address: string;
  names: string[];
  line: number;
}

export interface CorefileNotFollowed {
  line: number;
  directive: string;
  text: string;
  reason: string;
}

/** A block's `dns64` plugin, as CoreDNS's setup reads it. */
export interface CorefileDns64 {
  /** The NAT64 prefix, CIDR (default the Well-Known Prefix 64:ff9b::/96). */
  prefix: string;
  /** `translate_all`: synthesise even when the name has AAAA records. */
  translateAll: boolean;
  /** `allow_ipv4`: also for queries that came in over IPv4 (default: IPv6 only). */
  allowIpv4: boolean;
  line: number;
}

export interface CorefileServer {
  /** Zones of the block, lower case without trailing dot; the root `.` is `''`. */
  zones: string[];
  port: number;
  log: boolean;
  errors: boolean;
  fallthrough: boolean;
  /** The hosts option `no_reverse`: no PTR answers from the entries. */
  noReverse: boolean;
  ttl: number;
  hosts: CorefileHostsEntry[];
  /** The block's `dns64` plugin, if it has one. */
  dns64?: CorefileDns64;
  /** Whether the block has a `forward` line (read, not followed). */
  forwards: boolean;
  line: number;
}

export interface Corefile {
  source: string;
  servers: CorefileServer[];
  /** Directives that were read but are not carried out (`forward`). */
  notFollowed: CorefileNotFollowed[];
}

interface Line {
  number: number;
  text: string;
  words: string[];
}

const SUBSET = 'dslab reads server blocks with log, errors, hosts { ADDRESS NAME..., fallthrough, no_reverse, ttl N }, dns64 [PREFIX] { prefix PREFIX, translate_all, allow_ipv4 } and forward (not followed)';

function lineError(source: string, line: Line | undefined, message: string, hint: string): DslabError {
  const where = line ? `${source}:${line.number}` : source;
  return new DslabError('DSLAB_E_COREFILE', `${where}: ${message}`, {
    field: where,
    value: line?.text,
    hint,
  });
}

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const hash = raw.indexOf('#');
    const body = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    if (body === '') return;
    out.push({ number: i + 1, text: raw.trim(), words: body.split(/\s+/) });
  });
  return out;
}

/** `.`, `local`, `local.`, `dns://local:53` → zone and port. */
function parseServerKey(source: string, line: Line, key: string): { zone: string; port: number } {
  let rest = key.startsWith('dns://') ? key.slice('dns://'.length) : key;
  let port = 53;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    const p = rest.slice(colon + 1);
    if (!/^\d{1,5}$/.test(p) || Number(p) < 1 || Number(p) > 65535) {
      throw lineError(source, line, `the port "${p}" of server block "${key}" is not a port number.`, 'Write ZONE:PORT with a port from 1 to 65535, or leave the port out for 53.');
    }
    port = Number(p);
    rest = rest.slice(0, colon);
  }
  const zone = rest === '.' ? '' : rest.toLowerCase().replace(/\.$/, '');
  if (zone !== '' && !zone.split('.').every((l) => /^[a-z0-9_-]{1,63}$/.test(l))) {
    throw lineError(source, line, `"${key}" is not a zone name.`, 'Start a server block with "." or a zone such as "local", followed by "{".');
  }
  return { zone, port };
}

function parseAddress(source: string, line: Line, text: string): string {
  if (!ipaddr.isValid(text) || text.includes('%')) {
    throw lineError(source, line, `"${text}" is not an IPv4 or IPv6 address.`, 'Write hosts entries as "ADDRESS NAME [NAME...]", e.g. "172.30.0.10 dual-ok.local".');
  }
  return ipaddr.parse(text).toString();
}

function parseName(source: string, line: Line, text: string): string {
  const name = text.toLowerCase().replace(/\.$/, '');
  if (!name.split('.').every((l) => /^[a-z0-9_-]{1,63}$/.test(l)) || name.length > 253) {
    throw lineError(source, line, `"${text}" is not a host name.`, 'Use dot-separated labels of letters, digits and "-", e.g. "dual-ok.local".');
  }
  return name;
}

/** Parses a Corefile's text; `source` names it in errors (a path, or `Corefile`). */
export function parseCorefile(text: string, source = 'Corefile'): Corefile {
  const lines = splitLines(text);
  const servers: CorefileServer[] = [];
  const notFollowed: CorefileNotFollowed[] = [];
  let i = 0;
  const next = (): Line | undefined => lines[i++];

  while (i < lines.length) {
    const open = next()!;
    if (open.words.at(-1) !== '{' || open.words.length < 2) {
      throw lineError(source, open, `expected a server block such as ". {", found "${open.text}".`, SUBSET + '.');
    }
    const keys = open.words.slice(0, -1).map((k) => parseServerKey(source, open, k));
    const ports = new Set(keys.map((k) => k.port));
    if (ports.size > 1) throw lineError(source, open, 'the zones of one server block use different ports.', 'Give every zone of a block the same port, or split the block.');
    const server: CorefileServer = {
      zones: keys.map((k) => k.zone),
      port: keys[0]!.port,
      log: false,
      errors: false,
      fallthrough: false,
      noReverse: false,
      ttl: HOSTS_DEFAULT_TTL,
      hosts: [],
      forwards: false,
      line: open.number,
    };
    let closed = false;
    while (i < lines.length) {
      const line = next()!;
      const [directive, ...args] = line.words as [string, ...string[]];
      if (directive === '}' && args.length === 0) {
        closed = true;
        break;
      }
      switch (directive) {
        case 'log':
        case 'errors':
          if (args.length > 0) throw lineError(source, line, `"${directive}" takes no arguments here.`, `Write "${directive}" alone on its line.`);
          server[directive] = true;
          break;
        case 'forward':
          if (args.length < 2 || args.includes('{')) {
            throw lineError(source, line, '"forward" needs FROM and at least one TO address, without a block.', 'Write e.g. "forward . 1.1.1.1", or remove the line.');
          }
          server.forwards = true;
          notFollowed.push({ line: line.number, directive, text: line.text, reason: 'the lab never sends queries outside itself, so names the hosts entries do not list get SERVFAIL at once, as CoreDNS answers when forward cannot reach its upstreams' });
          break;
        case 'hosts':
          if (args.length !== 1 || args[0] !== '{') {
            throw lineError(source, line, '"hosts" is read only in the form "hosts {" (no file or zone arguments).', 'Write "hosts {", then one "ADDRESS NAME..." entry per line, then "}".');
          }
          i = parseHostsBlock(source, lines, i, server);
          break;
        case 'dns64':
          if (server.dns64) throw lineError(source, line, `this block already has "dns64" on line ${server.dns64.line}.`, 'Give a server block one "dns64" line (or block).');
          i = parseDns64(source, lines, i, line, args, server);
          break;
        default:
          throw lineError(source, line, `"${directive}" is outside the Corefile subset dslab reads.`, SUBSET + '.');
      }
    }
    if (!closed) throw lineError(source, open, 'this server block has no closing "}".', 'Close the block with "}" on a line of its own.');
    // CoreDNS refuses to start when two blocks serve the same zone on the same port
    for (const zone of server.zones) {
      const earlier = servers.find((s) => s.port === server.port && s.zones.includes(zone));
      if (earlier) {
        throw lineError(source, open, `zone "${zone || '.'}" on port ${server.port} is already served by the block on line ${earlier.line}.`, 'Merge the two blocks, or give one of them another zone or port (ZONE:PORT).');
      }
    }
    servers.push(server);
  }
  if (servers.length === 0) throw lineError(source, undefined, 'has no server block.', 'Write at least one block such as ". { hosts { ... } }".');
  // dslab serves each port with one DNS64 setting, so the blocks sharing a port must agree on it
  for (const server of servers) {
    const other = servers.find((s) => s.port === server.port && dns64Key(s) !== dns64Key(server));
    if (other) {
      const at = lines.find((l) => l.number === (server.dns64 ?? other.dns64)!.line);
      throw lineError(source, at, `the blocks on lines ${Math.min(server.line, other.line)} and ${Math.max(server.line, other.line)} share port ${server.port} but not their dns64 settings; dslab applies one DNS64 setting per port.`, 'Give every block on that port the same dns64 line, or move the block that differs to another port (ZONE:PORT).');
    }
  }
  return { source, servers, notFollowed };
}

function dns64Key(server: CorefileServer): string {
  const d = server.dns64;
  return d ? `${d.prefix} ${d.translateAll} ${d.allowIpv4}` : '';
}

/** A dns64 prefix as CoreDNS's setup checks it (IPv6, a multiple of 8 from 32 to 96), narrowed to RFC 6052's lengths. */
function parseDns64Prefix(source: string, line: Line, text: string): string {
  const lengths = NAT64_PREFIX_LENGTHS.join(', ');
  if (!ipaddr.isValidCIDR(text) || ipaddr.parseCIDR(text)[0].kind() !== 'ipv6') {
    throw lineError(source, line, `"${text}" is not an IPv6 prefix.`, `Write the NAT64 prefix as ADDRESS/LENGTH, e.g. "64:ff9b::/96" (lengths ${lengths}).`);
  }
  const length = ipaddr.parseCIDR(text)[1];
  if (!(NAT64_PREFIX_LENGTHS as readonly number[]).includes(length)) {
    const coredns = length % 8 === 0 && length >= 32 && length <= 96 ? ' (CoreDNS accepts it, but RFC 6052 §2.2 defines no embedding for it)' : ' (CoreDNS refuses it too)';
    throw lineError(source, line, `the dns64 prefix length /${length} is not one RFC 6052 allows${coredns}.`, `Use a prefix of length ${lengths}, e.g. "64:ff9b::/96".`);
  }
  return `${ipaddr.IPv6.networkAddressFromCIDR(text).toString()}/${length}`;
}

/** Reads `dns64 [PREFIX] [{ ... }]` into `server`; returns the index after it. */
function parseDns64(source: string, lines: Line[], start: number, line: Line, args: string[], server: CorefileServer): number {
  const block = args.at(-1) === '{';
  const plain = block ? args.slice(0, -1) : args;
  if (plain.length > 1) throw lineError(source, line, '"dns64" takes at most one argument, the prefix.', 'Write "dns64", "dns64 PREFIX" or "dns64 {" with prefix, translate_all and allow_ipv4 lines.');
  const dns64: CorefileDns64 = { prefix: plain[0] ? parseDns64Prefix(source, line, plain[0]) : WELL_KNOWN_PREFIX, translateAll: false, allowIpv4: false, line: line.number };
  server.dns64 = dns64;
  if (!block) return start;
  let i = start;
  while (i < lines.length) {
    const inner = lines[i++]!;
    const [word, ...rest] = inner.words as [string, ...string[]];
    if (word === '}' && rest.length === 0) return i;
    if (word === 'prefix' && rest.length === 1) dns64.prefix = parseDns64Prefix(source, inner, rest[0]!);
    else if (word === 'translate_all' && rest.length === 0) dns64.translateAll = true;
    else if (word === 'allow_ipv4' && rest.length === 0) dns64.allowIpv4 = true;
    else throw lineError(source, inner, `"${inner.text}" is not a dns64 option.`, 'Inside "dns64 { }" write "prefix PREFIX", "translate_all" or "allow_ipv4", one per line.');
  }
  throw lineError(source, line, 'this "dns64" block has no closing "}".', 'Close it with "}" on a line of its own.');
}

/** The DNS64 rules of a block's dns64 plugin: every IPv6 client (and IPv4 ones with allow_ipv4), synthesising as CoreDNS does. */
export function corefileDns64Rules(dns64: CorefileDns64): Dns64Rule[] {
  const flags = { coredns: true, ...(dns64.translateAll ? { translateAll: true } : {}) };
  const rules: Dns64Rule[] = [{ clients: '::/0', prefix: dns64.prefix, ...flags }];
  if (dns64.allowIpv4) rules.push({ clients: '0.0.0.0/0', prefix: dns64.prefix, ...flags });
  return rules;
}

/** Reads the lines of a `hosts { ... }` block into `server`; returns the index after its "}". */
function parseHostsBlock(source: string, lines: Line[], start: number, server: CorefileServer): number {
  let i = start;
  while (i < lines.length) {
    const line = lines[i++]!;
    const [first, ...rest] = line.words as [string, ...string[]];
    if (first === '}' && rest.length === 0) return i;
    if (first === 'fallthrough') {
      server.fallthrough = true;
      continue;
    }
    if (first === 'no_reverse' && rest.length === 0) {
      server.noReverse = true;
      continue;
    }
    if (first === 'ttl') {
      const ttl = Number(rest[0]);
      // CoreDNS's hosts plugin refuses a ttl outside 1-65535 ("ttl provided is invalid")
      if (rest.length !== 1 || !Number.isInteger(ttl) || ttl < 1 || ttl > 65535) {
        throw lineError(source, line, '"ttl" needs one whole number of seconds from 1 to 65535 (CoreDNS refuses others).', 'Write e.g. "ttl 60".');
      }
      server.ttl = ttl;
      continue;
    }
    if (ipaddr.isValid(first) || /^[0-9a-f:.%]+$/i.test(first)) {
      const address = parseAddress(source, line, first);
      if (rest.length === 0) throw lineError(source, line, `the hosts entry for ${address} names no host.`, 'Write "ADDRESS NAME [NAME...]".');
      server.hosts.push({ address, names: rest.map((n) => parseName(source, line, n)), line: line.number });
      continue;
    }
    throw lineError(source, line, `"${first}" is not a hosts entry or an option dslab reads.`, 'Inside "hosts { }" write "ADDRESS NAME...", "fallthrough", "no_reverse" or "ttl N".');
  }
  throw lineError(source, lines[start - 1], 'this "hosts" block has no closing "}".', 'Close it with "}" on a line of its own.');
}

/** The A and AAAA records of every hosts entry, in the order written, without duplicates. */
export function corefileRecords(corefile: Corefile): DnsRecord[] {
  const out: DnsRecord[] = [];
  const seen = new Set<string>();
  for (const server of corefile.servers) {
    for (const entry of server.hosts) {
      const type = ipaddr.parse(entry.address).kind() === 'ipv4' ? 'A' : 'AAAA';
      for (const name of entry.names) {
        const key = `${name} ${type} ${entry.address}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ name, type, address: entry.address, ttl: server.ttl, delayMs: 0, drop: false });
      }
    }
  }
  return out;
}

/**
 * The DNS server's config for a Corefile, as CoreDNS would serve it: every zone of every
 * block, the hosts records and their reverse (PTR) names, on all addresses of both families,
 * on the port of the first block. For a Corefile whose blocks use several ports, use
 * corefileServerConfigs (one config per port).
 */
export function corefileServerConfig(corefile: Corefile): DnsServerConfig {
  return configForServers(corefile, corefile.servers);
}

/**
 * One DNS server config per port the Corefile's blocks use, in the order the ports first
 * appear: each serves only the zones and hosts entries of the blocks on its port, as
 * CoreDNS does.
 */
export function corefileServerConfigs(corefile: Corefile): DnsServerConfig[] {
  const ports: number[] = [];
  for (const s of corefile.servers) if (!ports.includes(s.port)) ports.push(s.port);
  return ports.map((port) => configForServers(corefile, corefile.servers.filter((s) => s.port === port)));
}

function configForServers(corefile: Corefile, servers: CorefileServer[]): DnsServerConfig {
  const zones: string[] = [];
  for (const s of servers) for (const z of s.zones) if (!zones.includes(z)) zones.push(z);
  const records = corefileRecords({ ...corefile, servers });
  // PTR: every name of an address, in file order, with its block's ttl (hosts plugin's byAddr)
  const ptr: DnsServerConfig['ptr'] = [];
  for (const server of servers) {
    if (server.noReverse) continue;
    for (const entry of server.hosts) {
      for (const name of entry.names) if (!ptr.some((p) => p.address === entry.address && p.name === name)) ptr.push({ address: entry.address, name, ttl: server.ttl });
    }
  }
  // DNS64 (one setting per port, checked by parseCorefile). A root block that forwards would get
  // ipv4only.arpa's A records (RFC 7050 §2.2 fixes them) from its upstream: answered here instead
  const dns64 = servers.find((s) => s.dns64)?.dns64;
  if (dns64 && servers.some((s) => s.zones.includes('') && s.forwards) && !records.some((r) => r.name === IPV4ONLY_ARPA)) {
    records.push(...ipv4onlyRecords(HOSTS_DEFAULT_TTL));
  }
  const port = servers[0]!.port;
  const named = zones.find((z) => z !== '') ?? records[0]?.name.split('.').slice(1).join('.') ?? 'local';
  const base = named === '' ? 'local' : named;
  return {
    zones,
    records,
    ptr,
    listen: [
      { address: '0.0.0.0', port },
      { address: '::', port },
    ],
    soa: { mname: `dns.${base}`, rname: `hostmaster.${base}`, serial: 1, ttl: 3600, minimum: 60 },
    style: 'coredns-hosts',
    logQueries: servers.some((s) => s.log),
    ...(dns64 ? { dns64: corefileDns64Rules(dns64) } : {}),
  };
}

/** One line per directive that was read but is not carried out, for a warning. */
export function describeNotFollowed(corefile: Corefile): string[] {
  return corefile.notFollowed.map((n) => `${corefile.source}:${n.line}: "${n.text}" is not followed: ${n.reason}.`);
}
