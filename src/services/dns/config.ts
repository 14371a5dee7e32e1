/**
 * The DNS server's configuration: what it answers for (zones, records, PTRs, SOA) and where it
 * listens. `buildDnsConfig` derives it from a topology; `parseDnsConfig` checks a JSON value
 * (the file `main.ts` reads) and rejects bad input with the field, the value and the fix.
 *
 * Built from a topology, the server is authoritative for:
 * - the lab's forward zones (`local` by default), holding the lab's records plus, as an extra,
 *   `<node>.<first zone>` A/AAAA for every node address (unless the lab defines that name);
 * - the reverse zones of the lab's subnets (`0.30.172.in-addr.arpa`, the nibble zone of the
 *   /64), holding a PTR `<node>.<first zone>` for every node address.
 */
import ipaddr from 'ipaddr.js';
import { DslabError } from '../../errors.js';
import { DEFAULT_TTL } from '../../lab/rules.js';
import type { DnsRecord, Node, Subnet, Topology } from '../../lab/topology.js';
import { nodeAddresses } from '../../lab/topology.js';
import { toBigInt } from '../../addr/bits.js';
import { reverseName as reverseOf } from '../../addr/reverse.js';
import { IPV4ONLY_ARPA } from '../../addr/nat64.js';
import { ipv4onlyRecords, type Dns64Rule } from './dns64.js';

export interface DnsSoa {
  /** Primary server name (also the zone's NS), e.g. `dns.local`. */
  mname: string;
  /** Responsible mailbox in DNS form, e.g. `hostmaster.local`. */
  rname: string;
  serial: number;
  /** TTL of the SOA and NS records. */
  ttl: number;
  /** Negative-caching TTL (RFC 2308): NXDOMAIN/NODATA answers carry min(ttl, minimum). */
  minimum: number;
}

export interface DnsPtr {
  /** Canonical address text. */
  address: string;
  /** Target name, fully qualified without trailing dot. */
  name: string;
  /** TTL of the PTR answer (default 3600). */
  ttl?: number;
}

/**
 * How the server answers what it has no record for: `authoritative` (the lab file's server:
 * SOA and NS at each apex, NXDOMAIN and NODATA with the SOA, ANY answered) or `coredns-hosts`
 * (a Corefile's server, as CoreDNS's hosts plugin answers: no SOA or NS, SERVFAIL for a name it
 * does not list, NOERROR without answer for another type of a name it lists; see zone.ts).
 */
export type DnsStyle = 'authoritative' | 'coredns-hosts';

export interface DnsListen {
  address: string;
  /** 0 picks a free port (the same one for UDP and TCP). */
  port: number;
}

export interface DnsServerConfig {
  /** Zones the server is authoritative for, lower case, without trailing dot. */
  zones: string[];
  records: DnsRecord[];
  ptr: DnsPtr[];
  listen: DnsListen[];
  soa: DnsSoa;
  /** Default `authoritative`. */
  style?: DnsStyle;
  /** One log line per query (default true; a Corefile without `log` sets it false). */
  logQueries?: boolean;
  /** DNS64 (RFC 6147) for the clients of these prefixes; see dns64.ts. */
  dns64?: Dns64Rule[];
}

const SOA_TTL = 3600;
const NEGATIVE_TTL = 60;

/** Lower case, no trailing dot: the form every name is compared in. */
export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** `172.30.0.10` → `10.0.30.172.in-addr.arpa`; IPv6 → the 32-nibble `ip6.arpa` name. */
export function reverseName(address: string): string {
  const addr = ipaddr.parse(address);
  return reverseOf(toBigInt(addr), addr.kind());
}

/**
 * The reverse zone covering a subnet. Reverse names split on octet (IPv4) or nibble (IPv6)
 * boundaries, so the prefix is rounded down to one: a /24 gives `0.30.172.in-addr.arpa`.
 */
export function reverseZone(subnet: Subnet): string {
  const full = reverseName(subnet.address).split('.');
  const step = subnet.family === 4 ? 8 : 4;
  const labels = Math.floor(subnet.prefixLength / step);
  const addressLabels = full.length - 2; // the rest is in-addr.arpa / ip6.arpa
  return full.slice(addressLabels - labels).join('.');
}

/**
 * The config for the DNS server running on `node`: it listens on each of the node's
 * addresses (both families) on `port`.
 */
export function buildDnsConfig(topology: Topology, node: Node, port = 53): DnsServerConfig {
  const forward = topology.zones.map(canonicalName);
  const first = forward[0] ?? 'local';
  const reverse: string[] = [];
  for (const net of topology.networks) {
    for (const subnet of [net.ipv4, net.ipv6]) {
      if (subnet) {
        const zone = reverseZone(subnet);
        if (!reverse.includes(zone)) reverse.push(zone);
      }
    }
  }
  const records: DnsRecord[] = topology.records.map((r) => ({ ...r, name: canonicalName(r.name) }));
  const defined = new Set(records.map((r) => r.name));
  const ptr: DnsPtr[] = [];
  for (const n of topology.nodes) {
    const host = `${n.name}.${first}`;
    for (const address of nodeAddresses(n)) {
      ptr.push({ address, name: host });
      if (!defined.has(host)) {
        const type = ipaddr.parse(address).kind() === 'ipv4' ? 'A' : 'AAAA';
        records.push({ name: host, type, address, ttl: DEFAULT_TTL, delayMs: 0, drop: false });
      }
    }
  }
  // DNS64 for each dns64 network's clients; ipv4only.arpa (RFC 7050, RFC 8880) answered so that they find the prefix
  const dns64: Dns64Rule[] = topology.networks.filter((n) => n.dns64 && n.ipv6).map((n) => ({ clients: n.ipv6!.cidr, prefix: n.dns64!.prefix }));
  const special = dns64.length > 0 && !forward.includes(IPV4ONLY_ARPA) ? [IPV4ONLY_ARPA] : [];
  if (special.length > 0) records.push(...ipv4onlyRecords(DEFAULT_TTL));
  return {
    zones: [...forward, ...special, ...reverse],
    records,
    ptr,
    ...(dns64.length > 0 ? { dns64 } : {}),
    listen: nodeAddresses(node).map((address) => ({ address, port })),
    soa: { mname: `${node.name}.${first}`, rname: `hostmaster.${first}`, serial: 1, ttl: SOA_TTL, minimum: NEGATIVE_TTL },
  };
}

function configError(field: string, value: unknown, message: string, hint: string): DslabError {
  return new DslabError('DSLAB_E_DNS_CONFIG', `Invalid DNS server config: ${field} ${message}.`, { field, value, hint });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function expectArray(v: unknown, field: string): unknown[] {
  if (!Array.isArray(v)) throw configError(field, v, 'must be a list', `Write ${field} as a JSON array.`);
  return v;
}

function expectInt(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw configError(field, v, `must be a whole number from ${min} to ${max}`, `Set ${field} to a number in that range.`);
  }
  return v;
}

function expectBool(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') throw configError(field, v, 'must be true or false', `Set ${field} to true or false.`);
  return v;
}

function expectName(v: unknown, field: string): string {
  // a name is at most 253 characters in text form; labels 1-63 characters
  if (typeof v !== 'string' || v.length > 254 || !canonicalName(v).split('.').every((l) => l.length > 0 && l.length <= 63)) {
    throw configError(field, v, 'must be a DNS name such as "dual-ok.local"', `Use dot-separated labels of 1 to 63 characters.`);
  }
  return canonicalName(v);
}

function expectAddress(v: unknown, field: string, family?: 4 | 6): string {
  if (typeof v !== 'string' || !ipaddr.isValid(v) || v.includes('%')) {
    throw configError(field, v, 'must be an IPv4 or IPv6 address', `Write an address such as "172.30.0.10" or "fd00:dead:beef::10".`);
  }
  const addr = ipaddr.parse(v);
  const kind = addr.kind() === 'ipv4' ? 4 : 6;
  if (family !== undefined && kind !== family) {
    throw configError(field, v, `must be an IPv${family} address`, family === 4 ? 'A records hold IPv4 addresses; use AAAA for IPv6.' : 'AAAA records hold IPv6 addresses; use A for IPv4.');
  }
  return addr.toString();
}

/** Checks a parsed JSON value and returns it as a config with canonical names and addresses. */
export function parseDnsConfig(value: unknown): DnsServerConfig {
  if (!isObject(value)) throw configError('(root)', value, 'must be a JSON object', 'Build the file with buildDnsConfig().');
  const zones = expectArray(value.zones, 'zones').map((z, i) => (z === '' || z === '.' ? '' : expectName(z, `zones.${i}`)));
  if (zones.length === 0) throw configError('zones', value.zones, 'must name at least one zone', 'Add a zone such as "local".');
  const records = expectArray(value.records, 'records').map((r, i): DnsRecord => {
    const f = `records.${i}`;
    if (!isObject(r)) throw configError(f, r, 'must be an object', 'Give name, type, address, ttl, delayMs and drop.');
    if (r.type !== 'A' && r.type !== 'AAAA') throw configError(`${f}.type`, r.type, 'must be "A" or "AAAA"', 'Use A for IPv4 and AAAA for IPv6 addresses.');
    return {
      name: expectName(r.name, `${f}.name`),
      type: r.type,
      address: expectAddress(r.address, `${f}.address`, r.type === 'A' ? 4 : 6),
      ttl: expectInt(r.ttl ?? DEFAULT_TTL, `${f}.ttl`, 0, 2147483647),
      delayMs: expectInt(r.delayMs ?? 0, `${f}.delayMs`, 0, 600000),
      drop: expectBool(r.drop ?? false, `${f}.drop`),
    };
  });
  const ptr = expectArray(value.ptr ?? [], 'ptr').map((p, i): DnsPtr => {
    if (!isObject(p)) throw configError(`ptr.${i}`, p, 'must be an object', 'Give address and name.');
    return { address: expectAddress(p.address, `ptr.${i}.address`), name: expectName(p.name, `ptr.${i}.name`), ...(p.ttl !== undefined ? { ttl: expectInt(p.ttl, `ptr.${i}.ttl`, 0, 2147483647) } : {}) };
  });
  const listen = expectArray(value.listen, 'listen').map((l, i): DnsListen => {
    if (!isObject(l)) throw configError(`listen.${i}`, l, 'must be an object', 'Give address and port.');
    return { address: expectAddress(l.address, `listen.${i}.address`), port: expectInt(l.port, `listen.${i}.port`, 0, 65535) };
  });
  if (listen.length === 0) throw configError('listen', value.listen, 'must name at least one address', 'Add {"address": "127.0.0.1", "port": 53}.');
  const s = value.soa;
  if (!isObject(s)) throw configError('soa', s, 'must be an object', 'Give mname, rname, serial, ttl and minimum.');
  const soa: DnsSoa = {
    mname: expectName(s.mname, 'soa.mname'),
    rname: expectName(s.rname, 'soa.rname'),
    serial: expectInt(s.serial ?? 1, 'soa.serial', 0, 4294967295),
    ttl: expectInt(s.ttl ?? SOA_TTL, 'soa.ttl', 0, 2147483647),
    minimum: expectInt(s.minimum ?? NEGATIVE_TTL, 'soa.minimum', 0, 2147483647),
  };
  if (value.style !== undefined && value.style !== 'authoritative' && value.style !== 'coredns-hosts') {
    throw configError('style', value.style, 'must be "authoritative" or "coredns-hosts"', 'Leave style out for the lab\'s authoritative server.');
  }
  const style = value.style as DnsStyle | undefined;
  const logQueries = value.logQueries === undefined ? undefined : expectBool(value.logQueries, 'logQueries');
  const dns64 = expectArray(value.dns64 ?? [], 'dns64').map((d, i): Dns64Rule => {
    const f = `dns64.${i}`;
    if (!isObject(d)) throw configError(f, d, 'must be an object', 'Give clients and prefix (both CIDRs).');
    const flags: Pick<Dns64Rule, 'translateAll' | 'coredns'> = {};
    if (d.translateAll !== undefined) flags.translateAll = expectBool(d.translateAll, `${f}.translateAll`);
    if (d.coredns !== undefined) flags.coredns = expectBool(d.coredns, `${f}.coredns`);
    return { clients: expectCidr(d.clients, `${f}.clients`), prefix: expectCidr(d.prefix, `${f}.prefix`, 6), ...flags };
  });
  return { zones, records, ptr, listen, soa, ...(style ? { style } : {}), ...(logQueries !== undefined ? { logQueries } : {}), ...(dns64.length > 0 ? { dns64 } : {}) };
}

function expectCidr(v: unknown, field: string, family?: 4 | 6): string {
  if (typeof v !== 'string' || !ipaddr.isValidCIDR(v) || (family === 6 && ipaddr.parseCIDR(v)[0].kind() !== 'ipv6')) {
    throw configError(field, v, `must be an ${family ? `IPv${family} ` : ''}prefix such as "fd00:64::/96"`, 'Write ADDRESS/LENGTH.');
  }
  const [net, len] = ipaddr.parseCIDR(v);
  return `${net.toString()}/${len}`;
}

/** The file main.ts reads: one config, or a list of them (a Corefile's blocks on several ports). */
export function parseDnsConfigs(value: unknown): DnsServerConfig[] {
  if (!Array.isArray(value)) return [parseDnsConfig(value)];
  if (value.length === 0) throw configError('(root)', value, 'is an empty list', 'Give one config object or a list of them.');
  return value.map((v) => parseDnsConfig(v));
}
