/**
 * The routing checks of `dslab run`, for labs with routers: made from the host through LabAccess, after the client's
 * own experiments (one of them takes a SLAAC address away and watches it come back).
 * - traceroute shows the router hops to the web node in both families, and tracepath finds the
 *   path MTU the lab file gives the networks on the way;
 * - every SLAAC address is the one its mode makes: prefix + modified EUI-64 of the interface's
 *   MAC (the same code as `dslab addr`), or a stable-privacy ID that does not contain the MAC,
 *   with temporary addresses where the node asked for them;
 * - the SLAAC sequence, observed in a real capture: a node's address is removed, the node sends
 *   a Router Solicitation (rdisc6), the router's Router Advertisement comes back, the kernel
 *   forms the address again and probes it with DAD (a Neighbor Solicitation from :: to the
 *   solicited-node multicast group) before it uses it;
 * - the RDNSS option of the router's RA (RFC 8106) lists the DNS servers of the node's
 *   resolv.conf, and every DHCPv6 lease is in the DHCPv6 server's log;
 * - stateless DHCPv6: the RA has the O flag and not the M flag, the server's log has the node's
 *   Information-request (by its MAC) and the DNS servers it sent back are resolv.conf's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ipaddr from 'ipaddr.js';
import { eui64 } from '../addr/eui64.js';
import { decodePcap, type Packet } from '../measure/packets.js';
import { startCaptureWith } from '../measure/capture.js';
import { addressesOf } from '../util/ip-json.js';
import { formsBySlaac, forwards, type Autoconf, type Family, type Node, type Topology } from '../lab/topology.js';
import type { LabAccess } from './lab-access.js';
import { inNodeCommand } from './node/check.js';
import { parseTracepath, parseTraceroute } from './node/parse-traceroute.js';
import { findTool } from './node/tools.js';
import type { CheckResult, NodeEvent, RunPlan } from './types.js';
import { runPlannedChecks, skippedCheck, type CheckBody, type HostCheckContext, type PlannedCheck } from './host-check-runner.js';

type Emit = (e: NodeEvent) => void;

const stateful = (autoconf: Autoconf | undefined) => autoconf === 'dhcpv6';
const stateless = (autoconf: Autoconf | undefined) => autoconf === 'slaac+dhcpv6';

/** The IPv6 nameservers of a resolv.conf text. */
const ipv6Nameservers = (text: string): string[] => [...text.matchAll(/^nameserver\s+(\S+)/gm)].map((m) => m[1]!).filter((s) => s.includes(':'));

/** Whether two address lists hold the same addresses (order aside), and at least one. */
const sameServers = (a: readonly string[], b: readonly string[]): boolean => a.length > 0 && a.length === b.length && a.every((s) => b.includes(s));
type Planned = PlannedCheck;
type Context = HostCheckContext;

const DEFAULT_MTU = 1500;

/** The node the plan's client is, and the web node. */
function endpoints(ctx: Context): { client: Node; web: Node } | undefined {
  const client = ctx.topology.nodes.find((n) => n.name === ctx.plan.client.name);
  const web = ctx.topology.nodes.find((n) => n.name === ctx.plan.web.name);
  return client && web ? { client, web } : undefined;
}

/** The node and network an address of the lab belongs to. */
function ownerOf(topology: Topology, address: string): { node: Node; network: string } | undefined {
  for (const node of topology.nodes) {
    for (const a of node.attachments) if (a.ipv4 === address || a.ipv6 === address) return { node, network: a.network };
  }
  return undefined;
}

/** The lab's attachments whose address formed by itself, of the kinds `which` accepts. */
const autoconfAttachments = (topology: Topology, which: (autoconf: Autoconf | undefined) => boolean) =>
  topology.nodes.flatMap((node) => node.attachments.filter((a) => which(a.autoconf) && a.ipv6 !== undefined).map((a) => ({ node, a, net: topology.networks.find((n) => n.name === a.network)! })));

/** The checks this lab gets (none without a router: the flat article lab is unchanged). */
function planned(ctx: Context): Planned[] {
  const { topology } = ctx;
  if (!topology.nodes.some(forwards)) return [];
  const out: Planned[] = [];
  const ends = endpoints(ctx);
  const routed = ends && ends.client.attachments[0]?.network !== ends.web.attachments[0]?.network;
  if (ends && routed) {
    for (const family of [4, 6] as const) out.push({ id: `routing.traceroute.v${family}`, run: () => traceroute(ctx, ends.web, family) });
    out.push({ id: 'routing.pmtu.v6', run: () => pathMtu(ctx, ends.client, ends.web) });
  }
  const slaac = autoconfAttachments(topology, formsBySlaac);
  if (slaac.length > 0) {
    out.push({ id: 'routing.slaac.addresses', run: () => slaacAddresses(ctx) });
    out.push({ id: 'routing.slaac.sequence', run: () => slaacSequence(ctx) });
    out.push({ id: 'routing.rdnss', run: () => rdnss(ctx) });
  }
  if (autoconfAttachments(topology, stateful).length > 0) out.push({ id: 'routing.dhcpv6.leases', run: () => dhcpv6Leases(ctx) });
  if (autoconfAttachments(topology, stateless).length > 0) out.push({ id: 'routing.dhcpv6.stateless', run: () => statelessDhcpv6(ctx) });
  return out;
}

/** How many checks runRoutingChecks reports for this lab, for the live view's section count. */
export function routingCheckCount(topology: Topology, plan: RunPlan, access: LabAccess): number {
  return planned({ topology, plan, access }).length;
}

/** Runs the routing checks one check after another (startMs relative to `t0`, the experiments' start). */
export function runRoutingChecks(topology: Topology, plan: RunPlan, access: LabAccess, emit: Emit, t0: number, signal?: AbortSignal): Promise<CheckResult[]> {
  return runPlannedChecks('routing', planned({ topology, plan, access, ...(signal ? { signal } : {}) }), emit, t0);
}

async function traceroute(ctx: Context, web: Node, family: Family): Promise<CheckBody> {
  const target = family === 4 ? ctx.plan.web.ipv4 : ctx.plan.web.ipv6;
  const title = `traceroute over IPv${family} shows the router hops to ${web.name}`;
  const expectation = 'every hop before the last is a router of the lab, at least one, and the last is the web node';
  if (!target) return { title, tool: 'traceroute', expectation, observed: `${web.name} has no IPv${family} address`, status: 'n/a', reason: `the web node has no IPv${family} address`, commands: [] };
  if (!(family === 4 ? ctx.plan.client.ipv4 : ctx.plan.client.ipv6)) return { title, tool: 'traceroute', expectation, observed: `the client has no IPv${family} address`, status: 'n/a', reason: `the client has no IPv${family} address (an IPv${family === 4 ? '6' : '4'}-only network)`, commands: [] };
  const argv = ['traceroute', `-${family}`, '-n', '-q', '1', '-w', '1', '-m', '8', target];
  const commands = [inNodeCommand(ctx.topology.name, ctx.plan.client.name, argv.join(' '))];
  if (!findTool('traceroute')) return skippedCheck(title, 'traceroute', expectation, commands, 'traceroute');
  const r = await ctx.access.runInNode(ctx.plan.client.name, argv, { allowFailure: true, timeoutMs: 15_000, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  const hops = parseTraceroute(r.stdout);
  const named = hops.map((h) => ({ ...h, owner: h.address ? ownerOf(ctx.topology, h.address) : undefined }));
  const last = named[named.length - 1];
  const before = named.slice(0, -1);
  const ok = r.code === 0 && last?.address === target && before.length > 0 && before.every((h) => h.owner !== undefined && forwards(h.owner.node));
  const path = named.map((h) => `${h.address ?? '*'}${h.owner ? ` (${h.owner.node.name})` : ''}`).join(' -> ');
  return {
    title,
    tool: 'traceroute',
    expectation,
    observed: path || `no hops (exit ${r.code})`,
    status: ok ? 'pass' : 'fail',
    ...(ok ? {} : { reason: r.code !== 0 ? `traceroute exit ${r.code}: ${r.stderr.trim().split('\n').pop() ?? ''}` : 'the hops are not routers followed by the web node' }),
    commands,
    output: r.stdout.trimEnd(),
    outputSource: { kind: 'command', command: argv.join(' ') },
    data: { hops: named.map((h) => ({ ttl: h.ttl, address: h.address, node: h.owner?.node.name })) },
  };
}

async function pathMtu(ctx: Context, client: Node, web: Node): Promise<CheckBody> {
  const target = ctx.plan.web.ipv6;
  const title = `tracepath finds the IPv6 path MTU to ${web.name}`;
  const expectation = "the smallest MTU of the networks on the path (from the lab file), learned from the routers' ICMPv6 Packet Too Big";
  if (!target) return { title, tool: 'tracepath', expectation, observed: 'no IPv6 address', status: 'n/a', reason: 'the web node has no IPv6 address', commands: [] };
  const argv = ['tracepath', '-6', '-n', '-m', '8', target];
  const commands = [inNodeCommand(ctx.topology.name, client.name, argv.join(' '))];
  if (!findTool('tracepath')) return skippedCheck(title, 'tracepath', expectation, commands, 'tracepath');
  const r = await ctx.access.runInNode(client.name, argv, { allowFailure: true, timeoutMs: 15_000, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  const found = parseTracepath(r.stdout);
  // the networks the path crosses: the client's, each answering hop's, the web node's
  const hopNets = r.stdout
    .split('\n')
    .map((l) => /^\s*\d+:\s+(\S+)/.exec(l)?.[1])
    .filter((a): a is string => a !== undefined && a !== 'no')
    .map((a) => ownerOf(ctx.topology, a)?.network);
  const nets = new Set([client.attachments[0]!.network, ...hopNets.filter((n): n is string => n !== undefined), web.attachments[0]!.network]);
  const mtus = [...nets].map((n) => ({ network: n, mtu: ctx.topology.networks.find((x) => x.name === n)?.mtu ?? DEFAULT_MTU }));
  const want = Math.min(...mtus.map((m) => m.mtu));
  const ok = found.reached && found.pmtu === want;
  return {
    title,
    tool: 'tracepath',
    expectation: `${expectation}: ${want} (${mtus.map((m) => `${m.network} ${m.mtu}`).join(', ')})`,
    observed: found.pmtu !== undefined ? `pmtu ${found.pmtu}, ${found.reached ? 'reached' : 'not reached'}${found.hops !== undefined ? ` in ${found.hops} hops` : ''}` : `no pmtu (exit ${r.code})`,
    status: ok ? 'pass' : 'fail',
    ...(ok ? {} : { reason: found.reached ? `tracepath found ${found.pmtu ?? 'no'} pmtu, the lab file gives ${want}` : 'tracepath did not reach the web node' }),
    commands,
    output: r.stdout.trimEnd(),
    outputSource: { kind: 'command', command: argv.join(' ') },
    data: { pmtu: found.pmtu, expected: want, networks: mtus },
  };
}

/** The kernel's view of one interface: its MAC and its global IPv6 addresses. */
async function interfaceState(ctx: Context, node: string, ifname: string): Promise<{ mac?: string; addrs: ReturnType<typeof addressesOf> }> {
  const opts = { allowFailure: true, timeoutMs: 5000, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  const [link, addr] = await Promise.all([
    ctx.access.runInNode(node, ['ip', '-j', 'link', 'show', 'dev', ifname], opts),
    ctx.access.runInNode(node, ['ip', '-j', '-6', 'addr', 'show', 'dev', ifname, 'scope', 'global'], opts),
  ]);
  const mac = (JSON.parse(link.stdout || '[]') as Array<{ address?: string }>)[0]?.address;
  return { ...(mac ? { mac } : {}), addrs: addressesOf(addr.stdout).filter((a) => a.family === 'inet6') };
}

function iidOf(address: string): string {
  return ipaddr.IPv6.parse(address).parts.slice(4).map((p) => p.toString(16)).join(':');
}

async function slaacAddresses(ctx: Context): Promise<CheckBody> {
  const rows = await Promise.all(
    autoconfAttachments(ctx.topology, formsBySlaac).map(async ({ node, a, net }) => {
      const mode = node.slaac?.addrGenMode ?? 'eui64';
      const st = await interfaceState(ctx, node.name, a.ifname);
      const formed = a.ipv6!;
      const held = st.addrs.some((x) => x.local === formed && !x.tentative && !x.dadfailed);
      const temporary = st.addrs.filter((x) => x.temporary && !x.tentative).map((x) => x.local);
      const fromMac = st.mac ? eui64(st.mac, net.ipv6!.cidr).slaac!.address : undefined;
      const problems: string[] = [];
      if (!held) problems.push(`the kernel does not hold ${formed}`);
      if (mode === 'eui64' && formed !== fromMac) problems.push(`${formed} is not prefix + EUI-64 (${fromMac ?? 'no MAC'})`);
      if (mode === 'stable-privacy' && fromMac && iidOf(formed) === iidOf(fromMac)) problems.push(`${formed} carries the MAC (an EUI-64 ID), not a stable-privacy ID`);
      if (node.slaac?.temporary && temporary.length === 0) problems.push('no temporary address');
      const how = mode === 'eui64' ? `= ${net.ipv6!.cidr} + EUI-64 of ${st.mac ?? '?'} (${fromMac ? iidOf(fromMac) : '?'})` : `stable-privacy ID ${iidOf(formed)} (EUI-64 would be ${fromMac ? iidOf(fromMac) : '?'})`;
      return { node: node.name, ifname: a.ifname, prefix: net.ipv6!.cidr, mode, mac: st.mac, address: formed, expected: fromMac, temporary, problems, line: `${node.name} ${a.ifname}: ${formed} ${how}${temporary.length ? `; temporary ${temporary.join(', ')}` : ''}` };
    }),
  );
  const bad = rows.filter((r) => r.problems.length > 0);
  return {
    title: 'SLAAC addresses are prefix + interface ID as each node asked',
    tool: 'ip',
    expectation: 'EUI-64 nodes: prefix + modified EUI-64 of the MAC, as "dslab addr MAC --prefix P" computes; stable-privacy nodes: an ID without the MAC (RFC 7217); temporary addresses where asked (RFC 8981)',
    observed: rows.map((r) => `${r.node}: ${r.address} (${r.mode})`).join('; '),
    status: bad.length === 0 ? 'pass' : 'fail',
    ...(bad.length ? { reason: bad.map((r) => `${r.node}: ${r.problems.join(', ')}`).join('; ') } : {}),
    commands: rows.flatMap((r) => [inNodeCommand(ctx.topology.name, r.node, `ip -6 addr show dev ${r.ifname}`), ...(r.mac ? [`dslab addr ${r.mac} --prefix ${r.prefix}`] : [])]),
    output: rows.map((r) => r.line).join('\n'),
    outputSource: { kind: 'dslab', what: "each SLAAC address as the kernel holds it (ip -j addr/link in the node), next to dslab addr's EUI-64 computation" },
    data: { nodes: rows.map(({ line: _line, ...r }) => r) },
  };
}

/** The solicited-node multicast group of an address (RFC 4291 §2.7.1): ff02::1:ff + its low 24 bits. */
export function solicitedNode(address: string): string {
  const p = ipaddr.IPv6.parse(address).parts;
  return ipaddr.IPv6.parse(`ff02::1:ff${(p[6]! & 0xff).toString(16).padStart(2, '0')}:${p[7]!.toString(16)}`).toString();
}

async function slaacSequence(ctx: Context): Promise<CheckBody> {
  const all = autoconfAttachments(ctx.topology, formsBySlaac);
  // a node without temporary addresses, not the client if another will do: its address comes back the same
  const pick = all.find((x) => !x.node.slaac?.temporary && x.node.name !== ctx.plan.client.name) ?? all.find((x) => !x.node.slaac?.temporary) ?? all[0]!;
  const { node, a } = pick;
  const address = a.ipv6!;
  const title = `the SLAAC sequence of ${node.name}, seen in a capture (RS, RA, DAD)`;
  const expectation = `after ${address} is removed: a Router Solicitation, the router's Router Advertisement, then DAD (a Neighbor Solicitation from :: for ${address} to ${solicitedNode(address)}), and the address back, no longer tentative`;
  const argv = (x: string) => inNodeCommand(ctx.topology.name, node.name, x);
  const commands = [argv(`tcpdump -n -i ${a.ifname} icmp6`), argv(`ip -6 addr del ${address}/64 dev ${a.ifname}`), argv(`rdisc6 -1 ${a.ifname}`), argv(`ip -6 addr show dev ${a.ifname}`)];
  for (const tool of ['tcpdump', 'tshark', 'rdisc6']) if (!findTool(tool)) return skippedCheck(title, 'tcpdump', expectation, commands, tool === 'rdisc6' ? 'ndisc6' : tool);
  const dir = await mkdtemp(join(tmpdir(), 'dslab-slaac-'));
  const opts = { allowFailure: true, timeoutMs: 5000, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  try {
    const file = join(dir, 'slaac.pcap');
    const capture = await startCaptureWith((x) => ctx.access.nodeCommand(node.name, x), file, ctx.signal);
    const t0 = Date.now();
    let backMs: number | undefined;
    try {
      await ctx.access.runInNode(node.name, ['ip', '-6', 'addr', 'del', `${address}/64`, 'dev', a.ifname], opts);
      const rs = ctx.access.runInNode(node.name, ['rdisc6', '-1', '-q', a.ifname], opts);
      for (let i = 0; i < 200 && backMs === undefined; i++) {
        const st = await interfaceState(ctx, node.name, a.ifname);
        if (st.addrs.some((x) => x.local === address && !x.tentative)) backMs = Date.now() - t0;
        else await new Promise((r) => setTimeout(r, 20));
      }
      await rs;
    } finally {
      await capture.stop();
    }
    const packets = (await decodePcap(file, t0)).filter((p) => p.family === 6 && p.proto === 'icmp');
    const rsP = packets.find((p) => p.icmpType === 133);
    const raP = packets.find((p) => p.icmpType === 134 && (!rsP || p.t >= rsP.t));
    const dad = packets.find((p) => p.icmpType === 135 && p.src === '::' && p.ndTarget === address);
    // a defence is another node's advertisement of this very address, to all nodes (the probe came from ::), while it was tentative;
    // the node's other advertisements (its link-local answering the router, say) are not
    const defended = Boolean(dad) && packets.some((p) => p.icmpType === 136 && p.naTarget === address && p.dst === 'ff02::1' && p.t >= dad!.t && (backMs === undefined || p.t <= backMs));
    const ordered = rsP && raP && dad && rsP.t <= raP.t && raP.t <= dad.t;
    const ok = Boolean(ordered && dad!.dst === solicitedNode(address) && backMs !== undefined && !defended);
    const at = (p: Packet | undefined) => (p ? `${p.t.toFixed(1)} ms` : 'not seen');
    const lines = [
      `   0.0 ms  ip -6 addr del ${address}/64 dev ${a.ifname}`,
      `${at(rsP).padStart(10)}  Router Solicitation ${rsP ? `${rsP.src} -> ${rsP.dst}` : ''}`,
      `${at(raP).padStart(10)}  Router Advertisement ${raP ? `${raP.src} -> ${raP.dst}` : ''}`,
      `${at(dad).padStart(10)}  DAD: Neighbor Solicitation ${dad ? `${dad.src} -> ${dad.dst}, who has ${dad.ndTarget}` : ''}`,
      `${(backMs !== undefined ? `${backMs.toFixed(1)} ms` : 'not back').padStart(10)}  ${address} preferred again (not tentative)${defended ? ' — but a Neighbor Advertisement defended it' : ''}`,
    ];
    return {
      title,
      tool: 'tcpdump',
      expectation,
      observed: `RS ${at(rsP)}, RA ${at(raP)}, DAD NS ${at(dad)}, address back ${backMs !== undefined ? `at ${backMs} ms` : 'never'}`,
      status: ok ? 'pass' : 'fail',
      ...(ok ? {} : { reason: !rsP ? 'no Router Solicitation captured' : !raP ? 'no Router Advertisement came back' : !dad ? 'no DAD probe for the address was captured' : backMs === undefined ? 'the address did not come back within 4 s' : defended ? 'another node defended the address' : 'the packets came in an unexpected order or to the wrong group' }),
      commands,
      output: lines.join('\n'),
      outputSource: { kind: 'dslab', what: `dslab's timeline of the ICMPv6 packets tcpdump captured in ${node.name} (decoded by tshark), times since the address was removed` },
      data: { node: node.name, address, rsMs: rsP?.t, raMs: raP?.t, dadMs: dad?.t, dadGroup: dad?.dst, backMs, packets: packets.map((p) => ({ t: p.t, src: p.src, dst: p.dst, type: p.icmpType })) },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function rdnss(ctx: Context): Promise<CheckBody> {
  const { node, a } = autoconfAttachments(ctx.topology, formsBySlaac)[0]!;
  const title = `the router's RDNSS reaches ${node.name}'s resolv.conf`;
  const expectation = 'the Recursive DNS Servers of the Router Advertisement (RFC 8106, seen by rdisc6) are the IPv6 nameservers of /etc/resolv.conf';
  const commands = [inNodeCommand(ctx.topology.name, node.name, `rdisc6 -1 ${a.ifname}`), inNodeCommand(ctx.topology.name, node.name, 'cat /etc/resolv.conf')];
  if (!findTool('rdisc6')) return skippedCheck(title, 'rdisc6', expectation, commands, 'ndisc6');
  const opts = { allowFailure: true, timeoutMs: 5000, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  const [ra, conf] = await Promise.all([ctx.access.runInNode(node.name, ['rdisc6', '-1', a.ifname], opts), ctx.access.runInNode(node.name, ['cat', '/etc/resolv.conf'], opts)]);
  const advertised = [...ra.stdout.matchAll(/Recursive DNS server\s*:\s*(\S+)/g)].map((m) => m[1]!);
  const listed = ipv6Nameservers(conf.stdout);
  const ok = sameServers(advertised, listed);
  return {
    title,
    tool: 'rdisc6',
    expectation: `${expectation} (dslab writes resolv.conf from the lab's DNS servers, the same list radvd advertises; no rdnssd runs)`,
    observed: `RDNSS ${advertised.join(', ') || 'none'}; resolv.conf ${listed.join(', ') || 'no IPv6 nameserver'}`,
    status: ok ? 'pass' : 'fail',
    ...(ok ? {} : { reason: advertised.length === 0 ? `no RDNSS in the RA (rdisc6 exit ${ra.code})` : 'the lists differ' }),
    commands,
    output: ra.stdout.trimEnd(),
    outputSource: { kind: 'command', command: `rdisc6 -1 ${a.ifname}` },
    data: { advertised, listed },
  };
}

async function dhcpv6Leases(ctx: Context): Promise<CheckBody> {
  const leased = autoconfAttachments(ctx.topology, stateful);
  const title = 'every DHCPv6 lease is in the server\'s log';
  const expectation = "for each DHCPv6 node, a DHCPREPLY with its leased address in its router's dnsmasq log";
  const commands = [`dslab logs --lab ${ctx.topology.name} dhcpv6`];
  if (!ctx.access.serviceLogs) return { title, tool: 'dslab', expectation, observed: 'not run', status: 'skip', reason: "this backend does not keep the services' logs", commands };
  const logs = await ctx.access.serviceLogs('dhcpv6');
  const rows = leased.map(({ node, a, net }) => {
    const router = net.router?.node;
    const log = logs.find((l) => l.node === router)?.text ?? '';
    const line = log.split('\n').find((l) => new RegExp(`DHCPREPLY\\([^)]*\\) ${a.ipv6!.replace(/[.:]/g, '\\$&')}\\b`).test(l));
    return { node: node.name, address: a.ipv6!, router, line };
  });
  const missing = rows.filter((r) => !r.line);
  return {
    title,
    tool: 'dslab',
    expectation,
    observed: rows.map((r) => `${r.node}: ${r.address}${r.line ? ' (logged)' : ' (not in the log)'}`).join('; '),
    status: missing.length === 0 ? 'pass' : 'fail',
    ...(missing.length ? { reason: missing.map((r) => `${r.node}'s lease ${r.address} is not in ${r.router ?? 'the router'}'s dhcpv6 log`).join('; ') } : {}),
    commands,
    output: rows.map((r) => r.line?.trim() ?? `(${r.node}: no line)`).join('\n'),
    outputSource: { kind: 'dslab', what: "the DHCPREPLY lines of the dnsmasq log for each lease, as dnsmasq wrote them in this run (dslab logs dhcpv6)" },
    data: { leases: rows },
  };
}

/** The dnsmasq log's exchanges (lines grouped by transaction id) that carry `mac`'s Information-request. */
export function informationRequests(log: string, mac: string): Array<{ xid: string; lines: string[]; dnsServers: string[] }> {
  const byXid = new Map<string, string[]>();
  for (const line of log.split('\n')) {
    const m = /dnsmasq-dhcp\[\d+\]: (\d+) (.*)$/.exec(line);
    if (m) byXid.set(m[1]!, [...(byXid.get(m[1]!) ?? []), m[2]!.trim()]);
  }
  return [...byXid]
    .filter(([, lines]) => lines.some((l) => l.startsWith('DHCPINFORMATION-REQUEST')) && lines.some((l) => l.toLowerCase() === `client mac address: ${mac.toLowerCase()}`))
    .map(([xid, lines]) => ({ xid, lines, dnsServers: lines.flatMap((l) => /option: *23 dns-server\s+(.+)$/.exec(l)?.[1]?.split(/[\s,]+/).filter(Boolean) ?? []) }));
}

async function statelessDhcpv6(ctx: Context): Promise<CheckBody> {
  const nodes = autoconfAttachments(ctx.topology, stateless);
  const title = 'stateless DHCPv6: the RA says "other configuration by DHCPv6" and the answer reaches resolv.conf';
  const expectation = "the RA has the O flag and not the M flag (rdisc6); the router's dnsmasq log has each node's Information-request (by its MAC) and the DNS servers it sent (option 23) are the IPv6 nameservers of the node's /etc/resolv.conf";
  const commands = nodes.flatMap(({ node, a }) => [inNodeCommand(ctx.topology.name, node.name, `rdisc6 -1 ${a.ifname}`), inNodeCommand(ctx.topology.name, node.name, 'cat /etc/resolv.conf')]).concat(`dslab logs --lab ${ctx.topology.name} dhcpv6`);
  if (!findTool('rdisc6')) return skippedCheck(title, 'rdisc6', expectation, commands, 'ndisc6');
  if (!ctx.access.serviceLogs) return { title, tool: 'dslab', expectation, observed: 'not run', status: 'skip', reason: "this backend does not keep the services' logs", commands };
  const logs = await ctx.access.serviceLogs('dhcpv6');
  const opts = { allowFailure: true, timeoutMs: 5000, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  const rows = await Promise.all(
    nodes.map(async ({ node, a, net }) => {
      const [ra, conf, st] = await Promise.all([ctx.access.runInNode(node.name, ['rdisc6', '-1', a.ifname], opts), ctx.access.runInNode(node.name, ['cat', '/etc/resolv.conf'], opts), interfaceState(ctx, node.name, a.ifname)]);
      const flag = (name: string) => new RegExp(`${name}\\s*:\\s*(Yes|No)`).exec(ra.stdout)?.[1];
      const m = flag('Stateful address conf\\.');
      const o = flag('Stateful other conf\\.');
      const log = logs.find((l) => l.node === net.router?.node)?.text ?? '';
      const asked = st.mac ? informationRequests(log, st.mac) : [];
      const sent = asked.at(-1)?.dnsServers ?? [];
      const listed = ipv6Nameservers(conf.stdout);
      const problems: string[] = [];
      if (o !== 'Yes' || m !== 'No') problems.push(`the RA's flags are M=${m ?? '?'} O=${o ?? '?'} (rdisc6 exit ${ra.code})`);
      if (asked.length === 0) problems.push(`no Information-request from ${st.mac ?? 'its MAC'} in ${net.router?.node ?? 'the router'}'s dhcpv6 log`);
      else if (!sameServers(sent, listed)) problems.push(`the server sent ${sent.join(', ') || 'no DNS server'}, resolv.conf lists ${listed.join(', ') || 'no IPv6 nameserver'}`);
      return { node: node.name, ifname: a.ifname, mac: st.mac, m, o, sent, listed, exchange: asked.at(-1)?.lines ?? [], problems };
    }),
  );
  const bad = rows.filter((r) => r.problems.length > 0);
  return {
    title,
    tool: 'rdisc6',
    expectation,
    observed: rows.map((r) => `${r.node}: M=${r.m ?? '?'} O=${r.o ?? '?'}, Information-request answered with ${r.sent.join(', ') || 'nothing'}; resolv.conf ${r.listed.join(', ') || '-'}`).join('; '),
    status: bad.length === 0 ? 'pass' : 'fail',
    ...(bad.length ? { reason: bad.map((r) => `${r.node}: ${r.problems.join('; ')}`).join('; ') } : {}),
    commands,
    output: rows.map((r) => [`${r.node} (${r.mac ?? '?'}):`, ...r.exchange.map((l) => `  ${l}`)].join('\n')).join('\n'),
    outputSource: { kind: 'dslab', what: "each node's Information-request exchange from the router's dnsmasq log in this run (dslab logs dhcpv6), the lines of one transaction" },
    data: { nodes: rows.map(({ exchange: _e, ...r }) => r) },
  };
}
