/**
 * The server's data, indexed once at start-up: for a question (name, type) it says what an
 * authoritative server answers, without any wire format. Semantics:
 * - a name in none of the zones → REFUSED (no recursion, no forwarding);
 * - a name in a zone that has no records and no records below it → NXDOMAIN, SOA in authority;
 * - a name that exists without the asked type (incl. empty non-terminals, RFC 8020) →
 *   NOERROR with no answer (NODATA), SOA in authority;
 * - SOA and NS are answered at each zone apex; ANY returns every record the name has.
 * Delay and drop apply to queries of exactly the record's name and type.
 *
 * In the `coredns-hosts` style (a Corefile's server) it answers as CoreDNS's hosts plugin does
 * (plugin/hosts/hosts.go), with nothing after it in the chain that could answer:
 * - a name in none of the zones → REFUSED (no server block matches);
 * - A or AAAA of a listed name → its addresses, authoritative, the block's `ttl`;
 * - another type (MX, TXT, ANY, SOA...) of a name listed with A or AAAA → NOERROR, authoritative,
 *   no answer and no SOA (the plugin has none);
 * - a name it does not list (also a zone apex, also a name that has only names below it) →
 *   SERVFAIL: the plugin's own answer without `fallthrough`, and what the next plugin gives with
 *   it (CoreDNS's `forward` fails in a lab that has no way out; dslab does not forward);
 * - PTR of an address of the entries → every name listed with that address, in file order,
 *   the block's `ttl` (none with `no_reverse`); of any other address → SERVFAIL.
 */
import type { DnsRecord } from '../../lab/topology.js';
import type { DnsServerConfig } from './config.js';
import { canonicalName, reverseName } from './config.js';

export type ZoneRcode = 'NOERROR' | 'NXDOMAIN' | 'REFUSED' | 'SERVFAIL';

/** A resource record ready for dns-packet, minus the owner name (the asked name is used). */
export interface ZoneRecord {
  type: 'A' | 'AAAA' | 'PTR' | 'SOA' | 'NS';
  ttl: number;
  data: string | { mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number };
}

export interface ZoneAnswer {
  rcode: ZoneRcode;
  /** False for REFUSED (the name is not ours) and SERVFAIL. */
  authoritative: boolean;
  answers: ZoneRecord[];
  /** The zone's SOA (negative TTL) for NXDOMAIN and NODATA. */
  authority: { name: string; record: ZoneRecord } | undefined;
  delayMs: number;
  drop: boolean;
}

interface NameEntry {
  zone: string;
  byType: Map<string, ZoneRecord[]>;
  delayMs: Map<string, number>;
  drop: Set<string>;
}

const REFRESH = 7200;
const RETRY = 3600;
const EXPIRE = 1209600;

function inZone(name: string, zone: string): boolean {
  return zone === '' || name === zone || name.endsWith('.' + zone);
}

export class ZoneTable {
  readonly #zones: string[];
  readonly #names = new Map<string, NameEntry>();
  /** Names that own nothing but have descendants: they exist (NODATA, not NXDOMAIN). */
  readonly #emptyNonTerminals = new Set<string>();
  readonly #soa = new Map<string, ZoneRecord>();
  readonly #negativeSoa = new Map<string, ZoneRecord>();
  readonly #refused: ZoneAnswer = { rcode: 'REFUSED', authoritative: false, answers: [], authority: undefined, delayMs: 0, drop: false };
  readonly #servfail: ZoneAnswer = { rcode: 'SERVFAIL', authoritative: false, answers: [], authority: undefined, delayMs: 0, drop: false };
  readonly #hosts: boolean;

  constructor(config: DnsServerConfig) {
    // longest zone first, so a name falls in its most specific zone
    this.#zones = [...config.zones].sort((a, b) => b.length - a.length);
    this.#hosts = config.style === 'coredns-hosts';
    const { soa } = config;
    for (const zone of this.#hosts ? [] : this.#zones) {
      const data = { mname: soa.mname, rname: soa.rname, serial: soa.serial, refresh: REFRESH, retry: RETRY, expire: EXPIRE, minimum: soa.minimum };
      const record: ZoneRecord = { type: 'SOA', ttl: soa.ttl, data };
      this.#soa.set(zone, record);
      this.#negativeSoa.set(zone, { ...record, ttl: Math.min(soa.ttl, soa.minimum) });
      const apex = this.#entry(zone, zone);
      apex.byType.set('SOA', [record]);
      apex.byType.set('NS', [{ type: 'NS', ttl: soa.ttl, data: soa.mname }]);
    }
    for (const r of config.records) this.#addRecord(r);
    for (const p of config.ptr) {
      const name = reverseName(p.address);
      const zone = this.zoneOf(name);
      if (zone === undefined) continue; // a PTR outside every zone would never be asked for
      this.#add(zone, name, { type: 'PTR', ttl: p.ttl ?? 3600, data: p.name }, 0, false);
    }
  }

  /** The most specific zone holding `name` (canonical form), or undefined. */
  zoneOf(name: string): string | undefined {
    for (const z of this.#zones) if (inZone(name, z)) return z;
    return undefined;
  }

  /** What to answer for `name` (any case, with or without trailing dot) and `type`. */
  lookup(qname: string, type: string): ZoneAnswer {
    const name = canonicalName(qname);
    const entry = this.#names.get(name);
    const zone = entry?.zone ?? this.zoneOf(name);
    if (zone === undefined) return this.#refused;
    if (this.#hosts) return this.#hostsLookup(entry, type);
    if (entry === undefined) {
      const rcode = this.#emptyNonTerminals.has(name) ? 'NOERROR' : 'NXDOMAIN';
      return { rcode, authoritative: true, answers: [], authority: this.#authority(zone), delayMs: 0, drop: false };
    }
    const answers = type === 'ANY' ? [...entry.byType.values()].flat() : (entry.byType.get(type) ?? []);
    return {
      rcode: 'NOERROR',
      authoritative: true,
      answers,
      authority: answers.length === 0 ? this.#authority(zone) : undefined,
      delayMs: entry.delayMs.get(type) ?? 0,
      drop: entry.drop.has(type),
    };
  }

  /** CoreDNS's hosts plugin: see the module comment. */
  #hostsLookup(entry: NameEntry | undefined, type: string): ZoneAnswer {
    if (entry === undefined) return this.#servfail;
    const listed = entry.byType.has('A') || entry.byType.has('AAAA');
    const answers = type === 'A' || type === 'AAAA' || type === 'PTR' ? (entry.byType.get(type) ?? []) : [];
    if (answers.length === 0 && (type === 'PTR' || !listed)) return this.#servfail;
    return { rcode: 'NOERROR', authoritative: true, answers, authority: undefined, delayMs: entry.delayMs.get(type) ?? 0, drop: entry.drop.has(type) };
  }

  #authority(zone: string): { name: string; record: ZoneRecord } {
    return { name: zone, record: this.#negativeSoa.get(zone)! };
  }

  #addRecord(r: DnsRecord): void {
    const name = canonicalName(r.name);
    const zone = this.zoneOf(name);
    if (zone === undefined) return; // not ours to answer; the lab validator reports such records
    this.#add(zone, name, { type: r.type, ttl: r.ttl, data: r.address }, r.delayMs, r.drop);
  }

  #add(zone: string, name: string, record: ZoneRecord, delayMs: number, drop: boolean): void {
    const entry = this.#entry(name, zone);
    const list = entry.byType.get(record.type) ?? [];
    if (!list.some((x) => x.data === record.data)) list.push(record);
    entry.byType.set(record.type, list);
    if (delayMs > 0) entry.delayMs.set(record.type, Math.max(delayMs, entry.delayMs.get(record.type) ?? 0));
    if (drop) entry.drop.add(record.type);
  }

  #entry(name: string, zone: string): NameEntry {
    let entry = this.#names.get(name);
    if (!entry) {
      entry = { zone, byType: new Map(), delayMs: new Map(), drop: new Set() };
      this.#names.set(name, entry);
      // every ancestor between the name and its zone apex exists too
      let parent = name;
      while (parent !== zone && parent.includes('.')) {
        parent = parent.slice(parent.indexOf('.') + 1);
        if (parent === zone) break;
        this.#emptyNonTerminals.add(parent);
      }
    }
    return entry;
  }
}
