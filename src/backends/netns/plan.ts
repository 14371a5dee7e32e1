/**
 * What `up` will create, as data: the namespaces, the sysctls of each, and the `ip -batch`
 * scripts for the switch (bridges, gateways, veth pairs) and for every node (addresses
 * without DAD, loopback, default routes). Pure functions of the topology, no I/O.
 */
import { routesOf } from '../../lab/routes.js';
import { forwards, type Family, type Node, type Topology } from '../../lab/topology.js';
import { bridgeName, nodeNamespace, switchNamespace, switchPortName } from '../../lab/names.js';

/** Sysctls every lab namespace gets: IPv6 on, and no duplicate-address-detection delay. */
const COMMON_SYSCTLS = [
  'net.ipv6.conf.all.disable_ipv6=0',
  'net.ipv6.conf.default.disable_ipv6=0',
  'net.ipv6.conf.all.accept_dad=0',
  'net.ipv6.conf.default.accept_dad=0',
  'net.ipv6.conf.all.accept_ra=0',
  'net.ipv6.conf.default.accept_ra=0',
];

/**
 * Nodes that run a service may bind addresses not configured yet, so that `up` can start the
 * services while it is still creating the links (the addresses are there before `up` returns).
 */
const SERVICE_SYSCTLS = [...COMMON_SYSCTLS, 'net.ipv4.ip_nonlocal_bind=1', 'net.ipv6.ip_nonlocal_bind=1'];

/**
 * The switch and the routers forward both families: routers between their networks, the
 * switch so that its `unreachable` default routes answer off-lab destinations with ICMP
 * unreachable at once (with forwarding off the kernel drops them silently).
 */
const FORWARDING_SYSCTLS = [...COMMON_SYSCTLS, 'net.ipv4.ip_forward=1', 'net.ipv6.conf.all.forwarding=1'];

/**
 * A node that forms SLAAC addresses: it takes Router Advertisements and autoconfigures, with
 * real DAD, but the timers set short for the lab (one DAD probe; its first Router Solicitation
 * at once instead of after up to 1 s; the router's RAs set a RetransTimer of 100 ms instead of
 * 1 s, see radvd-config.ts), so that `up` has the addresses within about a second.
 */
export function slaacSysctls(node: Node): string[] {
  const mode = node.slaac?.addrGenMode === 'stable-privacy' ? 3 : 0;
  const temp = node.slaac?.temporary ? 2 : 0;
  return [
    'net.ipv6.conf.all.accept_dad=1',
    'net.ipv6.conf.default.accept_dad=1',
    'net.ipv6.conf.default.dad_transmits=1',
    'net.ipv6.conf.all.accept_ra=1',
    'net.ipv6.conf.default.accept_ra=1',
    'net.ipv6.conf.default.autoconf=1',
    'net.ipv6.conf.default.router_solicitation_delay=0',
    'net.ipv6.conf.default.router_solicitation_interval=1',
    `net.ipv6.conf.default.addr_gen_mode=${mode}`,
    `net.ipv6.conf.default.use_tempaddr=${temp}`,
  ];
}

function nodeSysctls(n: Node): string[] {
  const base = forwards(n) ? FORWARDING_SYSCTLS : n.role === 'dns' || n.web ? SERVICE_SYSCTLS : COMMON_SYSCTLS;
  return n.attachments.some((a) => a.autoconf !== undefined) ? [...base, ...slaacSysctls(n)] : base;
}

/** A node whose sysctls may wait until its links are in: it runs no service, does not forward and forms no address itself. */
// (nodeSysctls returns COMMON_SYSCTLS itself exactly for such a node)
function plainNode(n: Node): boolean {
  return nodeSysctls(n) === COMMON_SYSCTLS;
}

/** COMMON_SYSCTLS's `default` settings for one interface that exists already (it took the defaults when it was made). */
function interfaceSysctls(ifname: string): string[] {
  return COMMON_SYSCTLS.filter((s) => s.includes('.conf.default.')).map((s) => s.replace('.conf.default.', `.conf.${ifname}.`));
}

/** The /proc/sys file of a sysctl key (`net.ipv6.conf.all.accept_dad`). */
export function sysctlPath(key: string): string {
  return `/proc/sys/${key.replaceAll('.', '/')}`;
}

/**
 * A shell script that writes `settings` (sysctl `key=value`) through /proc/sys with the shell's
 * own redirections (no sysctl process), then runs `ip -batch -` on its standard input.
 */
export function sysctlsThenIpBatch(settings: readonly string[]): string {
  const writes = settings.map((kv) => {
    const [key, value] = kv.split('=') as [string, string];
    return `echo ${value} > ${sysctlPath(key)}`;
  });
  return [...writes, 'exec ip -batch -'].join(' && ');
}

export interface LabPlan {
  lab: string;
  switchNs: string;
  /** Every namespace, switch first. */
  namespaces: string[];
  /** `sysctl -w` arguments per namespace, set before the switch moves the links in. */
  sysctls: Array<{ ns: string; settings: string[] }>;
  /** `ip -batch` lines run in the switch namespace. */
  switchBatch: string[];
  /**
   * `ip -batch` lines per node namespace (after the switch batch moved eth* in). A plain node
   * (no service, no forwarding, no SLAAC) has its sysctls here instead of in `sysctls`, for its
   * interfaces too, written by the same process just before its lines: one process per node
   * instead of two, which is what a large lab's time goes on.
   */
  nodeBatches: Array<{ node: string; ns: string; lines: string[]; sysctls?: string[] }>;
  /** An `nft -f` script for the switch namespace, only where a network has STATIC_NEIGHBOURS_FROM or more nodes (see mldFilter). */
  mldFilter?: string;
  /** `bridge -batch` lines for the switch namespace (after switchBatch): the static forwarding entries of those networks' ports (see staticFdb). */
  fdbBatch?: string[];
}

/** `netnsRef` says how `ip link ... netns X` names a namespace (its name as root, a holder PID rootless). */
export function planLab(topology: Topology, netnsRef: (ns: string) => string = (ns) => ns): LabPlan {
  const lab = topology.name;
  const switchNs = switchNamespace(lab);
  const nodeNs = topology.nodes.map((n) => nodeNamespace(lab, n.name));
  const macs = staticMacs(topology);
  return {
    lab,
    switchNs,
    namespaces: [switchNs, ...nodeNs],
    sysctls: [
      { ns: switchNs, settings: FORWARDING_SYSCTLS },
      ...topology.nodes.filter((n) => !plainNode(n)).map((n) => ({ ns: nodeNamespace(lab, n.name), settings: nodeSysctls(n) })),
    ],
    switchBatch: switchBatch(topology, netnsRef, macs),
    ...staticPortPlan(staticPorts(topology, macs)),
    nodeBatches: topology.nodes.map((n) => ({
      node: n.name,
      ns: nodeNamespace(lab, n.name),
      lines: nodeBatch(n, topology, macs),
      ...(plainNode(n) ? { sysctls: [...COMMON_SYSCTLS, ...n.attachments.flatMap((a) => interfaceSysctls(a.ifname))] } : {}),
    })),
  };
}

function prefixOf(topology: Topology, network: string, family: Family): number | undefined {
  const net = topology.networks.find((n) => n.name === network);
  return family === 4 ? net?.ipv4?.prefixLength : net?.ipv6?.prefixLength;
}

/**
 * From this many nodes on one network, its switch and nodes know each other's link-layer
 * addresses from the start (see staticMacs): otherwise every neighbour solicitation the IPv6
 * check sends is flooded to every port, a cost that grows as the square of the node count.
 */
export const STATIC_NEIGHBOURS_FROM = 64;

/**
 * Fixed MAC addresses for the networks of STATIC_NEIGHBOURS_FROM or more nodes (locally
 * administered, 02:d4 for a bridge, 02:d5 for a node's interface, numbered in lab order), so
 * that `up` can enter permanent neighbour entries both ways between the switch and its nodes.
 * Empty for a smaller lab, whose links keep the kernel's random addresses and resolve
 * neighbours as any network does.
 */
export function staticMacs(topology: Topology): { bridge: Map<string, string>; port: Map<string, string> } {
  const hex = (n: number, bytes: number) => n.toString(16).padStart(bytes * 2, '0').match(/../g)!.join(':');
  const bridge = new Map<string, string>();
  const port = new Map<string, string>();
  topology.networks.forEach((net, i) => {
    const count = topology.nodes.filter((n) => n.attachments.some((a) => a.network === net.name)).length;
    if (count >= STATIC_NEIGHBOURS_FROM) bridge.set(net.name, `02:d4:${hex(i, 4)}`);
  });
  let k = 0;
  for (const node of topology.nodes) {
    for (const a of node.attachments) {
      k++;
      if (bridge.has(a.network)) port.set(`${node.name}/${a.ifname}`, `02:d5:${hex(k, 4)}`);
    }
  }
  return { bridge, port };
}

/** The nftables table (bridge family, in the switch namespace) of mldFilter. */
export const MLD_FILTER_TABLE = 'dslab_mld';

/**
 * An nftables script that drops, at the switch, the multicast listener reports and dones
 * (MLD, RFC 3810) that the nodes of the large networks send (the ports staticMacs numbered).
 * Each node sends about four when its link comes up. The lab has no multicast querier, so the
 * bridge floods every report to every port: about 4 million frames at 1,000 nodes, a cost
 * that grows as the square of the node count and took half of `up`'s time. No one in the lab
 * needs them: without a querier the bridge floods all multicast to every port whatever it
 * learnt from the reports. The ports are matched by name, as a set (this kernel's nftables
 * has no bridge-name match), so a smaller network in the same lab keeps its reports.
 */
export function mldFilter(ports: ReadonlyArray<{ name: string }>): string {
  return [
    `table bridge ${MLD_FILTER_TABLE} {`,
    '  set ports {',
    '    type ifname',
    `    elements = { ${ports.map((p) => `"${p.name}"`).join(', ')} }`,
    '  }',
    '  chain reports {',
    '    type filter hook prerouting priority -300; policy accept;',
    '    iifname @ports icmpv6 type { mld-listener-report, mld2-listener-report, mld-listener-done } counter drop',
    '  }',
    '}',
    '',
  ].join('\n');
}

/**
 * Static forwarding entries (`bridge fdb`) for the ports that staticMacs numbered: which port
 * each node's MAC is behind. A bridge learns that from the frames a node sends, and the first
 * frames a node sends are the listener reports that mldFilter drops before the bridge learns
 * from them, so without these entries every first frame to a node (the IPv6 check's, 1,000 at
 * 1,000 nodes) would be flooded to every port as unknown unicast.
 */
function staticFdb(ports: ReadonlyArray<{ name: string; mac: string }>): string[] {
  return ports.map((p) => `fdb replace ${p.mac} dev ${p.name} master static`);
}

/** The switch ports that staticMacs gave a node's MAC: the port's name in the switch namespace, and that MAC. */
function staticPorts(topology: Topology, macs: ReturnType<typeof staticMacs>): Array<{ name: string; mac: string }> {
  return topology.nodes.flatMap((n) =>
    n.attachments.flatMap((a) => {
      const mac = macs.port.get(`${n.name}/${a.ifname}`);
      return mac ? [{ name: switchPortName(n.name, a.ifname), mac }] : [];
    }),
  );
}

/** The plan's mldFilter and fdbBatch, where there are such ports. */
function staticPortPlan(ports: ReadonlyArray<{ name: string; mac: string }>): Pick<LabPlan, 'mldFilter' | 'fdbBatch'> {
  return ports.length > 0 ? { mldFilter: mldFilter(ports), fdbBatch: staticFdb(ports) } : {};
}

function switchBatch(topology: Topology, netnsRef: (ns: string) => string, macs: ReturnType<typeof staticMacs>): string[] {
  const lines = ['link set lo up'];
  for (const net of topology.networks) {
    const br = bridgeName(net.name);
    const brMac = macs.bridge.get(net.name);
    lines.push(`link add ${br}${net.mtu ? ` mtu ${net.mtu}` : ''}${brMac ? ` address ${brMac}` : ''} type bridge`);
    if (net.ipv4 && net.gateway4) lines.push(`addr add ${net.gateway4}/${net.ipv4.prefixLength} broadcast + dev ${br}`);
    if (net.ipv6 && net.gateway6) lines.push(`addr add ${net.gateway6}/${net.ipv6.prefixLength} dev ${br} nodad`);
    lines.push(`link set ${br} up`);
  }
  // Anything that leaves the lab ends here, answered at once with ICMP unreachable.
  lines.push('route add unreachable 0.0.0.0/0', 'route add unreachable ::/0');
  const lab = topology.name;
  for (const node of topology.nodes) {
    for (const a of node.attachments) {
      const port = switchPortName(node.name, a.ifname);
      const mtu = topology.networks.find((n) => n.name === a.network)?.mtu;
      const m = mtu ? ` mtu ${mtu}` : '';
      const mac = macs.port.get(`${node.name}/${a.ifname}`);
      lines.push(`link add ${port}${m} type veth peer name ${a.ifname}${m}${mac ? ` address ${mac}` : ''} netns ${netnsRef(nodeNamespace(lab, node.name))}`);
      lines.push(`link set ${port} master ${bridgeName(a.network)} up`);
      if (mac) {
        const net = topology.networks.find((n) => n.name === a.network);
        if (a.ipv4 && net?.gateway4) lines.push(`neigh add ${a.ipv4} lladdr ${mac} dev ${bridgeName(a.network)} nud permanent`);
        if (a.ipv6 && net?.gateway6) lines.push(`neigh add ${a.ipv6} lladdr ${mac} dev ${bridgeName(a.network)} nud permanent`);
      }
    }
  }
  return lines;
}

function nodeBatch(node: Node, topology: Topology, macs: ReturnType<typeof staticMacs>): string[] {
  const lines = ['link set lo up'];
  for (const a of node.attachments) {
    const p4 = prefixOf(topology, a.network, 4);
    const p6 = prefixOf(topology, a.network, 6);
    if (a.ipv4 && p4 !== undefined) lines.push(`addr add ${a.ipv4}/${p4} broadcast + dev ${a.ifname}`);
    if (a.ipv6 && p6 !== undefined) lines.push(`addr add ${a.ipv6}/${p6} dev ${a.ifname} nodad`);
    lines.push(`link set ${a.ifname} up`);
    const brMac = macs.bridge.get(a.network);
    const net = topology.networks.find((n) => n.name === a.network);
    // the switch's gateway addresses, known from the start on a large network (staticMacs)
    if (brMac && net?.gateway4) lines.push(`neigh add ${net.gateway4} lladdr ${brMac} dev ${a.ifname} nud permanent`);
    if (brMac && net?.gateway6) lines.push(`neigh add ${net.gateway6} lladdr ${brMac} dev ${a.ifname} nud permanent`);
  }
  // Default routes on both families (Docker's bridge gives both): without an IPv6 default
  // route, real clients decide IPv6 is unavailable and never ask for AAAA. Through the
  // network's router where it has one (src/lab/routes.ts), else the switch.
  for (const r of routesOf(node, topology)) lines.push(`route add ${r.destination} via ${r.via} dev ${r.ifname}`);
  return lines;
}
