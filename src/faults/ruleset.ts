/**
 * What a set of network faults becomes inside the lab's switch namespace, as text for the
 * real tools (pure, no I/O):
 * - an nftables script (bridge table `dslab`, chain `faults`) that matches each fault's
 *   packets on the node's switch ports and drops them (blackhole, loss) or marks them for a
 *   delay queue, a rate class or a reject; plus an `inet` table `dslab` whose `rejects` chain
 *   answers marked packets with the fault's TCP reset or ICMP/ICMPv6 error. The script
 *   replaces both tables in one transaction, so a change is atomic.
 * - `iptables-nft-restore` input per family: NFQUEUE rules sending marked packets to the
 *   fault's delayer (this kernel's nftables has no `queue` expression, iptables' NFQUEUE
 *   target works through the xt compatibility layer).
 * - `tc -batch` lines: an HTB class per rate fault on every switch port, chosen by a
 *   classic-BPF classifier on the packet mark (no netem here: delay is done by the delayer).
 * - the delayers to run: one per delay fault (its delay and jitter), and one with no delay
 *   when there are rejects (an ICMP error sent while the sender's socket is still locked in
 *   connect() is dropped by its kernel; a round trip through the queue makes it arrive later).
 *
 * Marks: bits 0-7 rate class, 8-15 delay queue, 16-22 reject number, 23 "reject".
 * ND and ARP are never touched: a fault breaks paths, not the link.
 */
import { switchPortName } from '../lab/names.js';
import type { Family, Topology } from '../lab/topology.js';
import { isDnsFault, type Fault, type NetFault, type RejectWith } from './types.js';

export const BRIDGE_TABLE = 'dslab';
export const REJECT_QUEUE = 255;
export const MAX_DELAY_QUEUES = 254;
export const MAX_RATE_CLASSES = 250;
export const MAX_REJECTS = 127;

const REJECT_BIT = 0x800000;

/** A network fault with the resources it got: its delay queue, rate class or reject number. */
export interface PlacedFault {
  fault: NetFault;
  queue?: number;
  rateClass?: number;
  rejectIndex?: number;
}

export interface Delayer {
  /** The fault it serves, or `reject` for the shared zero-delay queue of rejects. */
  id: string;
  queue: number;
  delayMs: number;
  jitterMs: number;
}

export interface Ruleset {
  placed: PlacedFault[];
  nft: string;
  /** The same for both families (iptables-nft-restore and ip6tables-nft-restore). */
  iptables: string;
  /** `tc -batch` lines that clear every port (errors ignored: a port may have no qdisc). */
  tcClear: string[];
  /** `tc -batch` lines that add the rate classes (empty without rate faults). */
  tcSet: string[];
  delayers: Delayer[];
}

/** Each family's ICMP answer for a reject, as nft writes it. */
export const REJECT_ICMP: Record<Exclude<RejectWith, 'tcp-reset'>, { 4: string; 6: string }> = {
  'icmp-no-route': { 4: 'icmp type net-unreachable', 6: 'icmpv6 type no-route' },
  'icmp-admin-prohibited': { 4: 'icmp type admin-prohibited', 6: 'icmpv6 type admin-prohibited' },
  'icmp-addr-unreachable': { 4: 'icmp type host-unreachable', 6: 'icmpv6 type addr-unreachable' },
  'icmp-port-unreachable': { 4: 'icmp type port-unreachable', 6: 'icmpv6 type port-unreachable' },
};

/** Every switch port of a lab (one per node attachment). */
export function switchPorts(topology: Topology): string[] {
  return topology.nodes.flatMap((n) => n.attachments.map((a) => switchPortName(n.name, a.ifname)));
}

/**
 * Gives each fault its queue / class / reject number: kept from `previous` when the fault
 * was there before (so its delayer keeps running), else the lowest free one.
 */
export function placeFaults(faults: readonly Fault[], previous: readonly PlacedFault[] = []): PlacedFault[] {
  const net = faults.filter((f): f is NetFault => !isDnsFault(f));
  const before = new Map(previous.map((p) => [p.fault.id, p]));
  const used = { queue: new Set<number>(), rateClass: new Set<number>(), rejectIndex: new Set<number>() };
  const placed: PlacedFault[] = net.map((fault) => {
    const old = before.get(fault.id);
    const p: PlacedFault = { fault };
    if (fault.kind === 'delay' && old?.queue !== undefined) p.queue = old.queue;
    if (fault.kind === 'rate' && old?.rateClass !== undefined) p.rateClass = old.rateClass;
    if (fault.kind === 'reject' && old?.rejectIndex !== undefined) p.rejectIndex = old.rejectIndex;
    if (p.queue !== undefined) used.queue.add(p.queue);
    if (p.rateClass !== undefined) used.rateClass.add(p.rateClass);
    if (p.rejectIndex !== undefined) used.rejectIndex.add(p.rejectIndex);
    return p;
  });
  const free = (set: Set<number>, max: number): number => {
    for (let i = 1; i <= max; i++) if (!set.has(i)) return set.add(i), i;
    throw new RangeError('too many faults of one kind');
  };
  for (const p of placed) {
    if (p.fault.kind === 'delay' && p.queue === undefined) p.queue = free(used.queue, MAX_DELAY_QUEUES);
    if (p.fault.kind === 'rate' && p.rateClass === undefined) p.rateClass = free(used.rateClass, MAX_RATE_CLASSES);
    if (p.fault.kind === 'reject' && p.rejectIndex === undefined) p.rejectIndex = free(used.rejectIndex, MAX_REJECTS);
  }
  return placed;
}

const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
const list = (items: readonly string[]): string => (items.length === 1 ? items[0]! : `{ ${items.join(', ')} }`);
const quoted = (items: readonly string[]): string => list(items.map((i) => `"${i}"`));

/** The nft match of a fault for one direction and family (without the action). */
function matches(topology: Topology, fault: NetFault, dir: 'out' | 'in', family: Family): string {
  const node = topology.nodes.find((n) => n.name === fault.node)!;
  const ports = node.attachments.map((a) => switchPortName(node.name, a.ifname));
  const parts = [`${dir === 'out' ? 'iifname' : 'oifname'} ${quoted(ports)}`, `ether type ${family === 4 ? 'ip' : 'ip6'}`];
  const peers = (fault.peers ?? []).filter((p) => (family === 4 ? !p.includes(':') : p.includes(':')));
  if (peers.length > 0) parts.push(`${family === 4 ? 'ip' : 'ip6'} ${dir === 'out' ? 'daddr' : 'saddr'} ${list(peers)}`);
  if (fault.kind === 'pmtud-blackhole') {
    parts.push(family === 4 ? 'icmp type destination-unreachable icmp code frag-needed' : 'icmpv6 type packet-too-big');
    return parts.join(' ');
  }
  if (fault.proto === 'icmp') parts.push(`meta l4proto ${family === 4 ? 'icmp' : 'ipv6-icmp'}`);
  const portKey = dir === 'out' ? 'dport' : 'sport';
  if (fault.port !== undefined) {
    if (fault.proto === 'tcp' || fault.proto === 'udp') parts.push(`${fault.proto} ${portKey} ${fault.port}`);
    else parts.push(`meta l4proto { tcp, udp } th ${portKey} ${fault.port}`);
  } else if (fault.proto === 'tcp' || fault.proto === 'udp') {
    parts.push(`meta l4proto ${fault.proto}`);
  }
  return parts.join(' ');
}

function action(p: PlacedFault): string {
  const f = p.fault;
  const tag = 'counter';
  switch (f.kind) {
    case 'blackhole':
    case 'pmtud-blackhole':
      return `${tag} drop`;
    case 'loss':
      return `numgen random mod 100 < ${f.lossPercent} ${tag} drop`;
    case 'delay':
      return `${tag} meta mark set meta mark & 0xffff00ff | ${hex(p.queue! << 8)}`;
    case 'rate':
      return `${tag} meta mark set meta mark & 0xffffff00 | ${hex(p.rateClass!)}`;
    case 'reject':
      return `${tag} meta mark set meta mark & 0xff00ffff | ${hex(REJECT_BIT | (p.rejectIndex! << 16))}`;
  }
}

function familiesOf(topology: Topology, f: NetFault): Family[] {
  if (f.family) return [f.family];
  const node = topology.nodes.find((n) => n.name === f.node)!;
  return ([4, 6] as const).filter((fam) => node.attachments.some((a) => (fam === 4 ? a.ipv4 : a.ipv6)));
}

function nftScript(topology: Topology, placed: readonly PlacedFault[]): string {
  const lines: string[] = [];
  // "add" then "delete" makes the delete succeed whether or not the table is there
  for (const family of ['bridge', 'inet']) lines.push(`add table ${family} ${BRIDGE_TABLE}`, `delete table ${family} ${BRIDGE_TABLE}`);
  if (placed.length === 0) return lines.join('\n') + '\n';
  lines.push(`table bridge ${BRIDGE_TABLE} {`, '  chain faults {', '    type filter hook forward priority -200; policy accept;');
  // a fault breaks a path, not the link: neighbour discovery always goes through
  lines.push('    icmpv6 type { nd-router-solicit, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert, nd-redirect } accept');
  for (const p of placed) {
    const dirs: Array<'out' | 'in'> = p.fault.direction === 'both' ? ['out', 'in'] : [p.fault.direction];
    for (const dir of dirs) for (const family of familiesOf(topology, p.fault)) lines.push(`    ${matches(topology, p.fault, dir, family)} ${action(p)} comment "${p.fault.id}"`);
  }
  lines.push('  }', '}');
  const rejects = placed.filter((p) => p.fault.kind === 'reject');
  if (rejects.length > 0) {
    lines.push(`table inet ${BRIDGE_TABLE} {`, '  chain rejects {', '    type filter hook forward priority 10; policy accept;');
    for (const p of rejects) {
      const mark = `meta mark & 0x00ff0000 == ${hex(REJECT_BIT | (p.rejectIndex! << 16))}`;
      const tag = `comment "${p.fault.id}"`;
      if (p.fault.reject === 'tcp-reset') lines.push(`    ${mark} meta l4proto tcp counter reject with tcp reset ${tag}`);
      else {
        const icmp = REJECT_ICMP[p.fault.reject!];
        lines.push(`    ${mark} meta nfproto ipv4 counter reject with ${icmp[4]} ${tag}`, `    ${mark} meta nfproto ipv6 counter reject with ${icmp[6]} ${tag}`);
      }
    }
    lines.push('  }', '}');
  }
  return lines.join('\n') + '\n';
}

function iptablesRestore(placed: readonly PlacedFault[]): string {
  const lines = ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]'];
  for (const p of placed) {
    if (p.queue !== undefined) lines.push(`-A FORWARD -m mark --mark ${hex(p.queue << 8)}/0x0000ff00 -j NFQUEUE --queue-num ${p.queue} --queue-bypass`);
  }
  if (placed.some((p) => p.fault.kind === 'reject')) lines.push(`-A FORWARD -m mark --mark ${hex(REJECT_BIT)}/${hex(REJECT_BIT)} -j NFQUEUE --queue-num ${REJECT_QUEUE} --queue-bypass`);
  lines.push('COMMIT');
  return lines.join('\n') + '\n';
}

/** cBPF: load the packet mark, keep bits 0-7, match `rateClass` (tc's bytecode form). */
export function markClassifier(rateClass: number): string {
  const SKF_AD_MARK = 0xfffff000 + 20;
  return `5,32 0 0 ${SKF_AD_MARK},84 0 0 255,21 0 1 ${rateClass},6 0 0 4294967295,6 0 0 0`;
}

function tcLines(topology: Topology, placed: readonly PlacedFault[]): { clear: string[]; set: string[] } {
  const ports = switchPorts(topology);
  const rates = placed.filter((p) => p.rateClass !== undefined);
  const clear = ports.map((port) => `qdisc del dev ${port} root`);
  const set: string[] = [];
  if (rates.length === 0) return { clear, set };
  for (const port of ports) {
    // no default class: unmarked traffic is sent directly, unshaped
    set.push(`qdisc add dev ${port} root handle 1: htb`);
    for (const p of rates) {
      const rate = p.fault.rateBps!;
      set.push(`class add dev ${port} parent 1: classid 1:${p.rateClass! + 1} htb rate ${rate}bit ceil ${rate}bit`);
      set.push(`filter add dev ${port} parent 1: protocol all prio ${p.rateClass} bpf bytecode "${markClassifier(p.rateClass!)}" classid 1:${p.rateClass! + 1}`);
    }
  }
  return { clear, set };
}

export function buildRuleset(topology: Topology, faults: readonly Fault[], previous: readonly PlacedFault[] = []): Ruleset {
  const placed = placeFaults(faults, previous);
  const delayers: Delayer[] = placed
    .filter((p) => p.queue !== undefined)
    .map((p) => ({ id: p.fault.id, queue: p.queue!, delayMs: p.fault.delayMs!, jitterMs: p.fault.jitterMs ?? 0 }));
  if (placed.some((p) => p.fault.kind === 'reject')) delayers.push({ id: 'reject', queue: REJECT_QUEUE, delayMs: 0, jitterMs: 0 });
  const tc = tcLines(topology, placed);
  return { placed, nft: nftScript(topology, placed), iptables: iptablesRestore(placed), tcClear: tc.clear, tcSet: tc.set, delayers };
}
