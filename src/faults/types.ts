/**
 * The fault model: ways to break a lab's network or DNS on purpose, as validated data (no
 * I/O). A network fault acts on the packets of one node (to or from it), narrowed by family,
 * peer address, protocol and port; a DNS fault changes what the lab's DNS server answers for
 * one name and type. Backends turn faults into nftables rules, tc classes and queue
 * delayers inside the lab's switch namespace (backends/netns/faults.ts); DNS faults go to the
 * lab's DNS server.
 */
import type { Family } from '../lab/topology.js';

/** `pmtud-blackhole`: a router that drops the ICMPv6 Packet Too Big / ICMPv4 fragmentation-needed messages it sends (the classic path-MTU black hole). */
export const NET_FAULT_KINDS = ['blackhole', 'reject', 'delay', 'loss', 'rate', 'pmtud-blackhole'] as const;
export type NetFaultKind = (typeof NET_FAULT_KINDS)[number];
export const FAULT_KINDS = [...NET_FAULT_KINDS, 'dns'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** How a `reject` answers; each family gets its own ICMP type and code (see ruleset.ts). */
export const REJECT_WITH = ['tcp-reset', 'icmp-no-route', 'icmp-admin-prohibited', 'icmp-addr-unreachable', 'icmp-port-unreachable'] as const;
export type RejectWith = (typeof REJECT_WITH)[number];

export const PROTOCOLS = ['tcp', 'udp', 'icmp', 'any'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** Relative to the fault's node: `out` = packets it sends, `in` = packets sent to it. */
export const DIRECTIONS = ['out', 'in', 'both'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** What a DNS fault makes the server do for queries of its name and type. */
export const DNS_ANSWERS = ['servfail', 'nxdomain', 'refused', 'truncate', 'drop', 'delay', 'address'] as const;
export type DnsAnswer = (typeof DNS_ANSWERS)[number];
export const DNS_FAULT_TYPES = ['A', 'AAAA', 'ANY'] as const;
export type DnsFaultType = (typeof DNS_FAULT_TYPES)[number];

export const DELAY_MAX_MS = 60_000;
/** Lowest and highest rate a `rate` fault takes, in bit/s. */
export const RATE_MIN_BPS = 8_000;
export const RATE_MAX_BPS = 10_000_000_000;

interface FaultBase {
  /** `f1`, `f2`, ...: stable for the life of the lab. */
  id: string;
  /** The scenario that added it, if any. */
  scenario?: string;
}

/** A network fault: blackholes, rejects, delays, loses or rate-limits the packets of one node, narrowed by family, peers, protocol, port and direction. */
export interface NetFault extends FaultBase {
  kind: NetFaultKind;
  /** The node whose packets it acts on. */
  node: string;
  /** Undefined: both families. */
  family?: Family;
  /** The peer: packets to (out) or from (in) these addresses only; undefined = any peer. */
  peers?: string[];
  /** What `to:` said (a node name or an address), for display. */
  to?: string;
  proto: Protocol;
  /** Destination port (out) or source port (in); needs tcp or udp. */
  port?: number;
  direction: Direction;
  reject?: RejectWith;
  delayMs?: number;
  jitterMs?: number;
  lossPercent?: number;
  /** bit/s. */
  rateBps?: number;
}

/** A DNS fault: changes what the lab's DNS server answers for one name and query type (an error, a drop, a delay or a wrong address). */
export interface DnsFault extends FaultBase {
  kind: 'dns';
  /** Only this dns node's server; undefined: every DNS server of the lab. */
  node?: string;
  /** Fully qualified, lower case, without the trailing dot. */
  name: string;
  type: DnsFaultType;
  answer: DnsAnswer;
  /** For `delay`. */
  delayMs?: number;
  /** For `address`: the wrong address given instead (its family must fit the type). */
  address?: string;
}

/** A fault: a network fault on one node's packets, or a DNS fault on the lab's DNS answers. */
export type Fault = NetFault | DnsFault;

export function isDnsFault(fault: Fault): fault is DnsFault {
  return fault.kind === 'dns';
}

/** A named set of faults (shipped in data/scenarios.yaml, or a lab file's `scenarios:`). */
export interface Scenario {
  name: string;
  description: string;
  /** The name a client should connect to in this scenario (default dual-ok.local). */
  target: string;
  /** Fault specs as written, validated against a lab when the scenario is used. */
  faults: RawFault[];
  /** Where it came from: `builtin` or the lab file. */
  source: 'builtin' | 'lab';
}

/** A fault as written in a lab file or parsed from a `KIND:key=value,...` spec (keys as in YAML). */
export type RawFault = Record<string, unknown>;
