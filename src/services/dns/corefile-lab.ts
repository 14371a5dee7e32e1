/**
 * `dslab up --corefile FILE`: a lab whose DNS records (and zones) come from a CoreDNS
 * Corefile's hosts entries instead of its lab file, checked by the same rules as a lab
 * file's records. Nothing is created here: a bad Corefile is a DSLAB_E_COREFILE error naming
 * its line before `up` starts.
 */
import { readFile } from 'node:fs/promises';
import ipaddr from 'ipaddr.js';
import { parseDocument } from 'yaml';
import { DslabError, isDslabError } from '../../errors.js';
import { defaultLabPath, DEFAULT_SOURCE } from '../../lab/load.js';
import { problemPath } from '../../lab/problem.js';
import { DEFAULT_TTL } from '../../lab/rules.js';
import type { RawRecord } from '../../lab/schema.js';
import type { Topology } from '../../lab/topology.js';
import { validateRecords } from '../../lab/validate-records.js';
import { describeNotFollowed, parseCorefile, type Corefile } from './corefile.js';

export interface CorefileLab {
  /** The lab with the Corefile's records and zones. */
  topology: Topology;
  /** One line per directive read but not followed (`forward`). */
  warnings: string[];
  /** The lab file's text with its records and zones replaced: what a client container runs. */
  labText: string;
}

interface Grouped {
  raw: { name: string; a?: string[]; aaaa?: string[]; ttl: number };
  line: number;
}

function corefileError(message: string, field: string, value: unknown, hint: string, cause?: unknown): DslabError {
  return new DslabError('DSLAB_E_COREFILE', message, { field, value, hint, ...(cause !== undefined ? { cause } : {}) });
}

/** One record entry per name (A and AAAA addresses together), remembering the first line of each. */
function groupRecords(corefile: Corefile): Grouped[] {
  const out: Grouped[] = [];
  const ttlOf = new Map<string, { ttl: number; line: number }>();
  for (const server of corefile.servers) {
    for (const entry of server.hosts) {
      const key = ipaddr.parse(entry.address).kind() === 'ipv4' ? 'a' : 'aaaa';
      for (const name of entry.names) {
        // one RRset has one TTL: a name given different ttl values in two blocks is refused
        const rrset = `${name} ${key}`;
        const earlier = ttlOf.get(rrset);
        if (earlier && earlier.ttl !== server.ttl) {
          throw corefileError(
            `${corefile.source}:${entry.line}: ${name} ${key.toUpperCase()} gets ttl ${server.ttl} here but ttl ${earlier.ttl} on line ${earlier.line}.`,
            `${corefile.source}:${entry.line}`,
            name,
            'Give every block that lists this name the same "ttl N" in its hosts block.',
          );
        }
        ttlOf.set(rrset, earlier ?? { ttl: server.ttl, line: entry.line });
        // both families of a name in one entry, as the default lab writes it, when they share a TTL
        let group = out.find((g) => g.raw.name === name && g.raw.ttl === server.ttl);
        if (!group) {
          group = { raw: { name, ttl: server.ttl }, line: entry.line };
          out.push(group);
        }
        const list = (group.raw[key] ??= []);
        if (!list.includes(entry.address)) list.push(entry.address);
      }
    }
  }
  return out;
}

/** The zones the Corefile's blocks name; undefined (derive them from the names) when a block serves the root. */
function corefileZones(corefile: Corefile): string[] | undefined {
  if (corefile.servers.some((s) => s.zones.includes(''))) return undefined;
  const zones: string[] = [];
  for (const s of corefile.servers) for (const z of s.zones) if (!zones.includes(z)) zones.push(z);
  return zones;
}

/** The lab's records and zones replaced by a Corefile's text (`source` names it in errors). */
export function applyCorefileText(topology: Topology, text: string, source: string, labFileText: string): CorefileLab {
  const corefile = parseCorefile(text, source);
  if (!topology.nodes.some((n) => n.role === 'dns')) {
    throw corefileError(`Lab ${topology.name} has no node with role dns to serve the records of ${source}.`, 'corefile', source, 'Use a lab with a dns node (the default lab has one), or leave --corefile out.');
  }
  const entries = groupRecords(corefile);
  if (entries.length === 0) {
    throw corefileError(`${source} has no hosts entries, so the lab would have no DNS records.`, 'corefile', source, 'Add "ADDRESS NAME" lines inside a "hosts { }" block, e.g. "172.30.0.10 dual-ok.local".');
  }
  const single = (list: string[]): string | string[] => (list.length === 1 ? list[0]! : list);
  const raw: RawRecord[] = entries.map(({ raw: r }) => ({
    name: r.name,
    ...(r.a ? { a: single(r.a) } : {}),
    ...(r.aaaa ? { aaaa: single(r.aaaa) } : {}),
    // CoreDNS's hosts default TTL is the lab file's default: written only when it differs
    ...(r.ttl !== DEFAULT_TTL ? { ttl: r.ttl } : {}),
  }));
  let checked: { records: Topology['records']; zones: string[] };
  try {
    checked = validateRecords(raw, corefileZones(corefile));
  } catch (err) {
    if (!isDslabError(err)) throw err;
    // the lab file's rules, said about the Corefile's line
    const index = problemPath(err)?.[1];
    const line = typeof index === 'number' ? entries[index]?.line : undefined;
    const where = line !== undefined ? `${source}:${line}` : source;
    const what = err.message.replace(/^records\[\d+\](\.\w+)?(\[\d+\])?\s*/, '');
    // the lab file's "zones" are the Corefile's server blocks
    const hint = err.hint?.includes('"zones"') ? 'Put the name in the server block of its zone (e.g. "lab.test {"), or serve every zone with ". {".' : (err.hint ?? 'Fix that hosts entry.');
    throw corefileError(`${where}: ${what}`, where, err.value, hint, err);
  }
  const result: Topology = { ...topology, records: checked.records, zones: checked.zones, corefile: { source, text } };
  const doc = parseDocument(labFileText);
  doc.set('records', raw);
  doc.set('zones', checked.zones);
  doc.commentBefore = `records and zones from ${source} (dslab up --corefile)` + (doc.commentBefore ? `\n${doc.commentBefore}` : '');
  return { topology: result, warnings: [...describeNotFollowed(corefile), ...untranslatedDns64(corefile, topology)], labText: doc.toString() };
}

/** A warning for each dns64 prefix no nat64 node of the lab translates: its synthesised addresses lead nowhere. */
function untranslatedDns64(corefile: Corefile, topology: Topology): string[] {
  const translated = topology.nodes.flatMap((n) => (n.nat64 ? [n.nat64.prefix] : []));
  return corefile.servers.flatMap((s) =>
    s.dns64 && !translated.includes(s.dns64.prefix)
      ? [`${corefile.source}:${s.dns64.line}: dns64 synthesises AAAA records under ${s.dns64.prefix}, but no role: nat64 node of lab ${topology.name} translates that prefix, so clients cannot reach those addresses. Add a nat64 node with that prefix (see examples/nat64.yaml), or use its prefix (${translated[0] ?? 'none in this lab'}) in the dns64 line.`]
      : [],
  );
}

/** Reads FILE and applies it to the lab (see applyCorefileText). */
export async function applyCorefile(topology: Topology, file: string): Promise<CorefileLab> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : `cannot be read (${code ?? String(err)})`;
    throw corefileError(`The Corefile ${file} ${why}.`, 'corefile', file, 'Give the path of a CoreDNS Corefile, e.g. --corefile Corefile at the repository root.', err);
  }
  const labFileText = await readFile(topology.source === DEFAULT_SOURCE ? defaultLabPath() : topology.source, 'utf8');
  return applyCorefileText(topology, text, file, labFileText);
}
