/**
 * DNS records and zones of a lab file. A record entry is an object `{ name, a, aaaa, ttl,
 * delay_ms, drop }` or a hosts-file line `ADDRESS NAME [NAME...]` as in CoreDNS's hosts
 * block. An A record holds IPv4 only and AAAA IPv6 only; the address need not belong to a
 * node (dual-badv6 points at an address nobody has, on purpose). Zones default to the
 * parent domains of the record names.
 */
import { labProblem, type LabPath } from './problem.js';
import { checkAddress } from './validate-nodes.js';
import { DEFAULT_TTL, DNS_NAME_HINT, checkDnsName } from './rules.js';
import type { RawRecord } from './schema.js';
import type { DnsRecord, RecordType } from './topology.js';

const HOSTS_HINT = 'Write a hosts-file line as "ADDRESS NAME [NAME...]", e.g. "172.30.0.10 dual-ok.local".';

function recordName(text: string, path: LabPath): string {
  const checked = checkDnsName(text, 2);
  if ('problem' in checked) throw labProblem('DSLAB_E_LAB_NAME', path, `is not a usable DNS name: it ${checked.problem}`, { value: text, hint: DNS_NAME_HINT });
  return checked.name;
}

function fromHostsLine(line: string, i: number): DnsRecord[] {
  const path = ['records', i];
  const tokens = line.replace(/#.*$/, '').trim().split(/\s+/).filter((t) => t !== '');
  const [first, ...names] = tokens;
  if (first === undefined || names.length === 0) {
    throw labProblem('DSLAB_E_LAB_RECORD', path, 'is not a hosts-file line (it needs an address and at least one name)', { value: line, hint: HOSTS_HINT });
  }
  const addr = checkAddress(first, undefined, path, 'an address first');
  const type: RecordType = addr.family === 4 ? 'A' : 'AAAA';
  return names.map((n) => ({ name: recordName(n, path), type, address: addr.text, ttl: DEFAULT_TTL, delayMs: 0, drop: false }));
}

function perType<T>(value: T | { a?: T; aaaa?: T } | undefined, type: RecordType, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'object' && value !== null) return (type === 'A' ? (value as { a?: T }).a : (value as { aaaa?: T }).aaaa) ?? fallback;
  return value as T;
}

function fromObject(raw: RawRecord, i: number): DnsRecord[] {
  const name = recordName(raw.name, ['records', i, 'name']);
  if (raw.a === undefined && raw.aaaa === undefined) {
    throw labProblem('DSLAB_E_LAB_RECORD', ['records', i], `(${name}) has no address`, { hint: 'Give it an a (IPv4) and/or aaaa (IPv6) address, e.g. a: 172.30.0.10.' });
  }
  const drop = raw.drop === undefined ? [] : raw.drop === true ? ['a', 'aaaa'] : raw.drop === false ? [] : raw.drop;
  const out: DnsRecord[] = [];
  for (const [key, type, family] of [['a', 'A', 4], ['aaaa', 'AAAA', 6]] as const) {
    const value = raw[key];
    const list = value === undefined ? [] : typeof value === 'string' ? [value] : value;
    const has = (k: string, v: unknown) => typeof v === 'object' && v !== null && k in v;
    if (list.length === 0) {
      const stray = Array.isArray(raw.drop) && raw.drop.includes(key) ? 'drop' : has(key, raw.delay_ms) ? 'delay_ms' : undefined;
      if (stray) {
        throw labProblem('DSLAB_E_LAB_RECORD', ['records', i, stray], `asks for ${type} queries of ${name}, which has no ${type} address`, {
          hint: `Give the record an ${key} address, or remove ${key} from ${stray}.`,
        });
      }
      continue;
    }
    list.forEach((text, j) => {
      const path = typeof value === 'string' ? ['records', i, key] : ['records', i, key, j];
      const addr = checkAddress(text, family, path, `an IPv${family} address (${type} record)`);
      out.push({
        name,
        type,
        address: addr.text,
        ttl: raw.ttl ?? DEFAULT_TTL,
        delayMs: perType(raw.delay_ms, type, 0),
        drop: drop.includes(key),
      });
    });
  }
  return out;
}

/** One RRset (name + type) has one TTL and one behaviour: entries that share it must agree. */
function checkConsistency(records: readonly DnsRecord[], origins: readonly number[]): void {
  const seen = new Map<string, number>();
  records.forEach((r, k) => {
    const i = origins[k] as number;
    const exact = `${r.name} ${r.type} ${r.address}`;
    const twin = seen.get(exact);
    if (twin !== undefined) {
      throw labProblem('DSLAB_E_LAB_DUPLICATE', ['records', i], `repeats ${r.type} ${r.address} for ${r.name} (already in records[${origins[twin]}])`, {
        value: r.address,
        hint: 'List each address of a name once.',
      });
    }
    seen.set(exact, k);
    const first = records.findIndex((o) => o.name === r.name && o.type === r.type);
    const f = records[first] as DnsRecord;
    if (f.ttl !== r.ttl || f.delayMs !== r.delayMs || f.drop !== r.drop) {
      throw labProblem('DSLAB_E_LAB_RECORD', ['records', i], `gives ${r.name} ${r.type} a ttl, delay_ms or drop different from records[${origins[first]}]`, {
        value: { ttl: r.ttl, delay_ms: r.delayMs, drop: r.drop },
        hint: `Put all ${r.type} addresses of ${r.name} in one entry (a list), so they share one ttl, delay_ms and drop.`,
      });
    }
  });
}

function inZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/** The parent domains of the record names, without those inside another one. */
function defaultZones(records: readonly DnsRecord[]): string[] {
  const parents = [...new Set(records.map((r) => r.name.slice(r.name.indexOf('.') + 1)))];
  return parents.filter((z) => !parents.some((o) => o !== z && inZone(z, o))).sort();
}

function checkZones(raw: readonly string[], records: readonly DnsRecord[], origins: readonly number[]): string[] {
  const zones: string[] = [];
  raw.forEach((text, i) => {
    const checked = checkDnsName(text, 1);
    if ('problem' in checked) throw labProblem('DSLAB_E_LAB_NAME', ['zones', i], `is not a usable zone name: it ${checked.problem}`, { value: text, hint: 'Use a domain such as "local" or "lab.example".' });
    if (zones.includes(checked.name)) throw labProblem('DSLAB_E_LAB_DUPLICATE', ['zones', i], 'is listed twice', { value: text, hint: 'List each zone once.' });
    zones.push(checked.name);
  });
  records.forEach((r, k) => {
    if (!zones.some((z) => inZone(r.name, z))) {
      throw labProblem('DSLAB_E_LAB_RECORD', ['records', origins[k] as number], 'is in none of the zones', {
        value: r.name,
        hint: `Add its zone to "zones" (now: ${zones.join(', ') || 'none'}), or leave "zones" out to derive them from the record names.`,
      });
    }
  });
  return zones;
}

export function validateRecords(raw: ReadonlyArray<string | RawRecord>, rawZones: readonly string[] | undefined): { records: DnsRecord[]; zones: string[] } {
  const records: DnsRecord[] = [];
  const origins: number[] = [];
  raw.forEach((entry, i) => {
    const made = typeof entry === 'string' ? fromHostsLine(entry, i) : fromObject(entry, i);
    for (const r of made) {
      records.push(r);
      origins.push(i);
    }
  });
  checkConsistency(records, origins);
  const zones = rawZones === undefined ? defaultZones(records) : checkZones(rawZones, records, origins);
  return { records, zones };
}
