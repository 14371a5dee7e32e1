/**
 * From a fault as written (lab file entry or parsed spec) to a validated `Fault`, checked
 * against the lab it is for: the shape with zod (keys, types, allowed words), then the
 * meaning (the node exists, the peer is a node's address, values in range, options that fit
 * the kind and protocol). Pure: nothing is read or created. Every rejection has its own
 * `DSLAB_E_FAULT_*` code and names the field.
 */
import * as z from 'zod';
import { DslabError, type ErrorCode } from '../errors.js';
import { problemsFromIssues } from '../lab/issues.js';
import { labProblem, type LabPath } from '../lab/problem.js';
import { checkDnsName, DNS_NAME_HINT } from '../lab/rules.js';
import { checkAddress } from '../lab/validate-nodes.js';
import { findNodeByAddress, nodeAddressesByFamily, type Family, type Node, type Topology } from '../lab/topology.js';
import { parseRate } from './rate.js';
import {
  DELAY_MAX_MS,
  DIRECTIONS,
  DNS_ANSWERS,
  FAULT_KINDS,
  PROTOCOLS,
  RATE_MAX_BPS,
  RATE_MIN_BPS,
  REJECT_WITH,
  type DnsFault,
  type DnsFaultType,
  type Direction,
  type Fault,
  type NetFault,
  type NetFaultKind,
  type RawFault,
} from './types.js';

const number = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)]);

const rawFaultShape = z.strictObject({
  kind: z.enum(FAULT_KINDS),
  node: z.string().optional(),
  family: z.union([z.literal(4), z.literal(6), z.enum(['4', '6', 'ipv4', 'ipv6', 'both'])]).optional(),
  to: z.string().optional(),
  proto: z.enum(PROTOCOLS).optional(),
  port: number.optional(),
  direction: z.enum(DIRECTIONS).optional(),
  with: z.enum(REJECT_WITH).optional(),
  ms: number.optional(),
  jitter_ms: number.optional(),
  percent: number.optional(),
  rate: z.union([z.number(), z.string()]).optional(),
  name: z.string().optional(),
  type: z.enum(['A', 'AAAA', 'ANY', 'a', 'aaaa', 'any']).optional(),
  answer: z.enum(DNS_ANSWERS).optional(),
  address: z.string().optional(),
});
type RawShape = z.infer<typeof rawFaultShape>;

const NUMBER_HINTS: Record<string, string> = {
  ms: 'a whole number of milliseconds, e.g. ms=300',
  jitter_ms: 'a whole number of milliseconds, e.g. jitter_ms=20',
  percent: 'a percentage from 1 to 100, e.g. percent=30',
  port: 'a port number from 1 to 65535, e.g. port=80',
};

/** Which keys each kind takes, besides `kind` (the rest is a DSLAB_E_FAULT_MISMATCH). */
const NET_KEYS = ['node', 'family', 'to', 'proto', 'port', 'direction'] as const;
const KEYS: Record<(typeof FAULT_KINDS)[number], readonly string[]> = {
  blackhole: NET_KEYS,
  reject: [...NET_KEYS, 'with'],
  delay: [...NET_KEYS, 'ms', 'jitter_ms'],
  loss: [...NET_KEYS, 'percent'],
  rate: [...NET_KEYS, 'rate'],
  'pmtud-blackhole': ['node', 'family'],
  dns: ['node', 'name', 'type', 'answer', 'ms', 'address'],
};

/** Default direction per kind: what the classic tool does (a blackhole drops both ways, netem delays egress). */
const DEFAULT_DIRECTION: Record<NetFaultKind, Direction> = { blackhole: 'both', reject: 'out', delay: 'out', loss: 'both', rate: 'in', 'pmtud-blackhole': 'out' };

const FAULT_EXAMPLE = 'e.g. "delay:family=6,ms=300" or { kind: blackhole, family: 6, to: web }';

function problem(code: ErrorCode, path: LabPath, what: string, options: { value?: unknown; hint: string }): DslabError {
  return labProblem(code, path, what, options);
}

/** The shape check, with the first problem re-coded as a fault problem. */
function shapeOf(raw: unknown, path: LabPath): RawShape {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw problem('DSLAB_E_FAULT_INVALID', path, 'is not a fault', { value: raw, hint: `Write a map with at least a kind (${FAULT_KINDS.join(', ')}), ${FAULT_EXAMPLE}.` });
  }
  const parsed = rawFaultShape.safeParse(raw, { reportInput: true });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const key = issue.path[0];
  const value = (raw as Record<string, unknown>)[String(key)];
  if (typeof key === 'string' && NUMBER_HINTS[key] && issue.code !== 'unrecognized_keys') {
    throw problem('DSLAB_E_FAULT_INVALID', [...path, key], 'is not a number', { value, hint: `Write ${NUMBER_HINTS[key]}.` });
  }
  const first = problemsFromIssues(parsed.error.issues.map((i) => ({ ...i, path: [...path, ...i.path] })))[0]!;
  const hint = issue.code === 'unrecognized_keys'
    ? `Allowed keys: kind, ${[...new Set(Object.values(KEYS).flat())].join(', ')} (see docs/faults.md).`
    : key === 'kind' ? `Use one of: ${FAULT_KINDS.join(', ')}.`
    : key === 'with' ? `Use one of: ${REJECT_WITH.join(', ')}.`
    : key === 'answer' ? `Use one of: ${DNS_ANSWERS.join(', ')}.`
    : key === 'proto' ? `Use one of: ${PROTOCOLS.join(', ')}.`
    : key === 'direction' ? `Use one of: ${DIRECTIONS.join(', ')} (relative to the fault's node).`
    : key === 'family' ? 'Use 4, 6 or both.'
    : (first.hint ?? 'See docs/faults.md.');
  throw new DslabError('DSLAB_E_FAULT_INVALID', first.message, { field: first.field, value: first.value, hint: hint, cause: parsed.error, details: first.details });
}

function checkKeys(shape: RawShape, path: LabPath): void {
  const allowed = KEYS[shape.kind];
  for (const key of Object.keys(shape)) {
    if (key === 'kind' || allowed.includes(key)) continue;
    throw problem('DSLAB_E_FAULT_MISMATCH', [...path, key], `does not apply to a ${shape.kind} fault`, {
      value: (shape as Record<string, unknown>)[key],
      hint: `A ${shape.kind} fault takes: ${allowed.join(', ')}. Remove ${key}.`,
    });
  }
}

function inRange(value: number | undefined, min: number, max: number, path: LabPath, unit: string, integer = true): number | undefined {
  if (value === undefined) return undefined;
  if ((integer && !Number.isInteger(value)) || value < min || value > max) {
    throw problem('DSLAB_E_FAULT_RANGE', path, `is out of range`, { value, hint: `Use ${integer ? 'a whole number ' : ''}from ${min} to ${max} ${unit}.` });
  }
  return value;
}

function nodeOf(topology: Topology, name: string | undefined, path: LabPath, roles?: readonly string[]): Node {
  const nodes = roles ? topology.nodes.filter((n) => roles.includes(n.role)) : topology.nodes;
  if (name === undefined) {
    const fallback = roles ? nodes[0] : topology.nodes.find((n) => n.role === 'client');
    if (fallback) return fallback;
    throw problem('DSLAB_E_FAULT_NODE', path, roles ? `needs a node with role ${roles.join(' or ')}, and the lab has none` : 'is missing, and the lab has no client node to default to', {
      hint: roles ? 'Add a dns node to the lab, or drop this fault.' : `Name the node whose packets it acts on, e.g. node=${topology.nodes[0]?.name ?? 'web'}.`,
    });
  }
  const node = nodes.find((n) => n.name === name);
  if (node) return node;
  const known = topology.nodes.some((n) => n.name === name);
  throw problem('DSLAB_E_FAULT_NODE', path, known ? `is not a ${roles?.join(' or ')} node` : `is not a node of the lab "${topology.name}"`, {
    value: name,
    hint: `Use one of: ${nodes.map((n) => n.name).join(', ')}.`,
  });
}

function familyOf(value: RawShape['family']): Family | undefined {
  if (value === undefined || value === 'both') return undefined;
  return value === 4 || value === '4' || value === 'ipv4' ? 4 : 6;
}

/** The peer addresses of `to:` (a node name or a node's address), by family. */
function peersOf(topology: Topology, node: Node, to: string, family: Family | undefined, path: LabPath): { peers: string[]; family: Family | undefined } {
  const byName = topology.nodes.find((n) => n.name === to);
  if (byName) {
    if (byName === node) throw problem('DSLAB_E_FAULT_ADDRESS', path, `is the fault's own node`, { value: to, hint: 'Name the peer: another node (e.g. web) or one of its addresses.' });
    const { ipv4, ipv6 } = nodeAddressesByFamily(byName);
    const peers = family === 4 ? ipv4 : family === 6 ? ipv6 : [...ipv4, ...ipv6];
    if (peers.length === 0) throw problem('DSLAB_E_FAULT_MISMATCH', path, `has no IPv${family} address`, { value: to, hint: `Pick a node that has one, or change family.` });
    return { peers, family };
  }
  if (!/[.:]/.test(to)) {
    throw problem('DSLAB_E_FAULT_NODE', path, `is not a node of the lab "${topology.name}"`, { value: to, hint: `Use a node name (${topology.nodes.map((n) => n.name).join(', ')}) or one of their addresses.` });
  }
  const addr = checkAddress(to, undefined, path, 'a node name or a node\'s address');
  if (family !== undefined && addr.family !== family) {
    throw problem('DSLAB_E_FAULT_MISMATCH', path, `is an IPv${addr.family} address, but the fault is for IPv${family}`, { value: to, hint: `Give an IPv${family} address, or leave family out.` });
  }
  const owner = findNodeByAddress(topology, addr.text);
  if (!owner) {
    const all = topology.nodes.flatMap((n) => nodeAddressesByFamily(n)[addr.family === 4 ? 'ipv4' : 'ipv6']);
    throw problem('DSLAB_E_FAULT_ADDRESS', path, 'is the address of no node in the lab', {
      value: to,
      hint: `Use a node's address (${all.slice(0, 4).join(', ')}${all.length > 4 ? ', ...' : ''}) or a node name. (An address no node has is never answered anyway: see the unassigned-aaaa scenario.)`,
    });
  }
  if (owner === node) throw problem('DSLAB_E_FAULT_ADDRESS', path, `is an address of the fault's own node`, { value: to, hint: 'Name the peer: another node or one of its addresses.' });
  return { peers: [addr.text], family: addr.family };
}

/** A router that swallows its own "packet too big" messages: only the router and the family narrow it. */
function pmtudFault(shape: RawShape, topology: Topology, id: string, path: LabPath): NetFault {
  if (!topology.nodes.some((n) => n.role === 'router')) {
    throw problem('DSLAB_E_FAULT_NODE', [...path, 'node'], 'needs a router node (role: router), and the lab has none', { hint: 'Use a routed lab (e.g. examples/routed.yaml): a path-MTU black hole is a router that drops its Packet Too Big messages.' });
  }
  if (shape.node === undefined) throw problem('DSLAB_E_FAULT_NODE', [...path, 'node'], 'is missing: which router drops its Packet Too Big messages?', { hint: `Add node=ROUTER, e.g. node=${topology.nodes.find((n) => n.role === 'router')!.name}.` });
  const node = nodeOf(topology, shape.node, [...path, 'node'], ['router']);
  const family = familyOf(shape.family);
  const fault: NetFault = { id, kind: 'pmtud-blackhole', node: node.name, proto: 'icmp', direction: 'out' };
  if (family !== undefined) fault.family = family;
  return fault;
}

function netFault(shape: RawShape & { kind: NetFaultKind }, topology: Topology, id: string, path: LabPath): NetFault {
  if (shape.kind === 'pmtud-blackhole') return pmtudFault(shape, topology, id, path);
  const node = nodeOf(topology, shape.node, [...path, 'node']);
  let family = familyOf(shape.family);
  let peers: string[] | undefined;
  if (shape.to !== undefined) ({ peers, family } = peersOf(topology, node, shape.to, family, [...path, 'to']));
  const own = nodeAddressesByFamily(node);
  if (family !== undefined && own[family === 4 ? 'ipv4' : 'ipv6'].length === 0) {
    throw problem('DSLAB_E_FAULT_MISMATCH', [...path, 'family'], `does not fit node "${node.name}", which has no IPv${family} address`, { value: shape.family, hint: 'Pick another family or node.' });
  }
  let proto = shape.proto ?? 'any';
  const port = inRange(shape.port, 1, 65_535, [...path, 'port'], '');
  if (port !== undefined && (proto === 'icmp')) {
    throw problem('DSLAB_E_FAULT_MISMATCH', [...path, 'port'], 'does not fit proto icmp (ICMP has no ports)', { value: port, hint: 'Use proto=tcp or proto=udp with a port, or remove the port.' });
  }
  const fault: NetFault = { id, kind: shape.kind, node: node.name, proto, direction: shape.direction ?? DEFAULT_DIRECTION[shape.kind] };
  if (family !== undefined) fault.family = family;
  if (peers) {
    fault.peers = peers;
    fault.to = shape.to!;
  }
  if (port !== undefined) fault.port = port;
  switch (shape.kind) {
    case 'reject': {
      const withWhat = shape.with ?? 'icmp-port-unreachable';
      if (withWhat === 'tcp-reset') {
        if (proto === 'udp' || proto === 'icmp') {
          throw problem('DSLAB_E_FAULT_MISMATCH', [...path, 'with'], `does not fit proto ${proto}: a TCP reset answers TCP only`, { value: withWhat, hint: 'Use proto=tcp (or leave proto out), or reject with an ICMP error such as icmp-port-unreachable.' });
        }
        proto = 'tcp';
        fault.proto = 'tcp';
      }
      fault.reject = withWhat;
      break;
    }
    case 'delay': {
      if (shape.ms === undefined) throw problem('DSLAB_E_FAULT_INVALID', [...path, 'ms'], 'is missing: a delay fault needs its delay', { hint: 'Add ms=N (milliseconds, 1 to 60000), e.g. delay:family=6,ms=300.' });
      fault.delayMs = inRange(shape.ms, 1, DELAY_MAX_MS, [...path, 'ms'], 'ms')!;
      const jitter = inRange(shape.jitter_ms, 0, fault.delayMs, [...path, 'jitter_ms'], `ms (at most the delay, ${fault.delayMs} ms)`);
      if (jitter) fault.jitterMs = jitter;
      break;
    }
    case 'loss': {
      if (shape.percent === undefined) throw problem('DSLAB_E_FAULT_INVALID', [...path, 'percent'], 'is missing: a loss fault needs its loss rate', { hint: 'Add percent=N (1 to 100), e.g. loss:family=6,percent=30.' });
      fault.lossPercent = inRange(shape.percent, 1, 100, [...path, 'percent'], 'percent')!;
      break;
    }
    case 'rate': {
      if (shape.rate === undefined) throw problem('DSLAB_E_FAULT_INVALID', [...path, 'rate'], 'is missing: a rate fault needs its bandwidth', { hint: 'Add rate=R, e.g. rate=1mbit (bit, kbit, mbit, gbit).' });
      const bps = parseRate(shape.rate);
      if (bps === undefined) throw problem('DSLAB_E_FAULT_INVALID', [...path, 'rate'], 'is not a bandwidth', { value: shape.rate, hint: 'Write a number with a unit: bit, kbit, mbit or gbit (per second), e.g. 1mbit or 512kbit.' });
      if (bps < RATE_MIN_BPS || bps > RATE_MAX_BPS) throw problem('DSLAB_E_FAULT_RANGE', [...path, 'rate'], 'is out of range', { value: shape.rate, hint: 'Use 8kbit to 10gbit.' });
      fault.rateBps = bps;
      break;
    }
    case 'blackhole':
      break;
  }
  return fault;
}

function dnsFault(shape: RawShape, topology: Topology, id: string, path: LabPath): DnsFault {
  const server = nodeOf(topology, shape.node, [...path, 'node'], ['dns']);
  if (shape.name === undefined) throw problem('DSLAB_E_FAULT_INVALID', [...path, 'name'], 'is missing: a DNS fault acts on one name', { hint: 'Add name=NAME, e.g. dns:name=dual-ok.local,type=AAAA,answer=servfail.' });
  const checked = checkDnsName(shape.name, 2);
  if ('problem' in checked) throw problem('DSLAB_E_FAULT_NAME', [...path, 'name'], `is not a usable DNS name: it ${checked.problem}`, { value: shape.name, hint: DNS_NAME_HINT });
  const name = checked.name;
  if (!topology.zones.some((z) => name === z || name.endsWith(`.${z}`))) {
    throw problem('DSLAB_E_FAULT_NAME', [...path, 'name'], `is in none of the lab's zones (${topology.zones.join(', ')}), so its DNS server never answers it`, { value: shape.name, hint: `Use a name of the lab, e.g. ${topology.records[0]?.name ?? `x.${topology.zones[0] ?? 'local'}`}.` });
  }
  if (shape.answer === undefined) throw problem('DSLAB_E_FAULT_INVALID', [...path, 'answer'], 'is missing: what should the server do?', { hint: `Add answer=..., one of: ${DNS_ANSWERS.join(', ')}.` });
  const type = (shape.type ?? 'ANY').toUpperCase() as DnsFaultType;
  const fault: DnsFault = { id, kind: 'dns', name, type, answer: shape.answer };
  if (shape.node !== undefined) fault.node = server.name;
  if (shape.answer === 'delay') {
    if (shape.ms === undefined) throw problem('DSLAB_E_FAULT_INVALID', [...path, 'ms'], 'is missing: a delayed answer needs its delay', { hint: 'Add ms=N (1 to 60000).' });
    fault.delayMs = inRange(shape.ms, 1, DELAY_MAX_MS, [...path, 'ms'], 'ms')!;
  } else if (shape.ms !== undefined) {
    throw problem('DSLAB_E_FAULT_MISMATCH', [...path, 'ms'], `does not apply to answer ${shape.answer}`, { value: shape.ms, hint: 'Only answer=delay takes ms; remove it.' });
  }
  if (shape.answer === 'address') {
    if (type === 'ANY') throw problem('DSLAB_E_FAULT_MISMATCH', [...path, 'type'], 'must be A or AAAA for a wrong address', { value: shape.type ?? 'ANY (the default)', hint: 'Add type=AAAA (or type=A).' });
    if (shape.address === undefined) throw problem('DSLAB_E_FAULT_INVALID', [...path, 'address'], 'is missing: which wrong address should the server give?', { hint: `Add address=..., e.g. address=${type === 'AAAA' ? 'fd00:dead:beef::9999' : '172.30.0.99'}.` });
    fault.address = checkAddress(shape.address, type === 'AAAA' ? 6 : 4, [...path, 'address'], `an IPv${type === 'AAAA' ? 6 : 4} address`).text;
  } else if (shape.address !== undefined) {
    throw problem('DSLAB_E_FAULT_MISMATCH', [...path, 'address'], `does not apply to answer ${shape.answer}`, { value: shape.address, hint: 'Only answer=address takes an address; remove it.' });
  }
  return fault;
}

/** Validates one fault for `topology`; `id` is the id it will have. */
export function validateFault(raw: RawFault | unknown, topology: Topology, id: string, path: LabPath = ['fault']): Fault {
  const shape = shapeOf(raw, path);
  checkKeys(shape, path);
  return shape.kind === 'dns' ? dnsFault(shape, topology, id, path) : netFault(shape as RawShape & { kind: NetFaultKind }, topology, id, path);
}

/** The next free id after `existing` (`f1`, `f2`, ...). */
export function nextFaultId(existing: readonly Fault[]): string {
  const used = existing.map((f) => Number(/^f(\d+)$/.exec(f.id)?.[1] ?? 0));
  return `f${Math.max(0, ...used) + 1}`;
}

/** Validates a list of faults, numbering them after `existing`. */
export function validateFaults(raws: readonly unknown[], topology: Topology, existing: readonly Fault[] = [], path: LabPath = ['faults'], scenario?: string): Fault[] {
  const out: Fault[] = [];
  raws.forEach((raw, i) => {
    const fault = validateFault(raw, topology, nextFaultId([...existing, ...out]), [...path, i]);
    if (scenario !== undefined) fault.scenario = scenario;
    out.push(fault);
  });
  return out;
}
