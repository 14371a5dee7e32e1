/**
 * SLAAC and DHCPv6 in `up`: waits until every node on a network with `autoconf: slaac` has
 * formed its address from its router's Router Advertisement (the kernel's address, read back
 * with `ip -j addr`, no longer tentative: DAD passed) and, where the node asks for them, a
 * temporary address (RFC 8981); on a network with `autoconf: dhcpv6` it runs Debian's dhcpcd
 * once in the node (in a private mount namespace, with tmpfs over dhcpcd's own folders, so that
 * no lease or DUID file is left on the machine) and waits for the leased /128; on a network with
 * `autoconf: slaac+dhcpv6` the node forms its address by SLAAC and dhcpcd sends one
 * Information-request for the DNS servers (stateless DHCPv6), which `up` waits for too. The formed addresses go into the topology's attachments, so that the
 * journal, `dslab status`, the lab's DNS (`<node>.<zone>`) and the experiments see them.
 */
import { DslabError } from '../../errors.js';
import ipaddr from 'ipaddr.js';
import { nodeNamespace } from '../../lab/names.js';
import { join } from 'node:path';
import { formsBySlaac, usesDhcpv6, type Autoconf, type Node, type Topology } from '../../lab/topology.js';
import { writeOwnFile } from '../../util/private-fs.js';
import { findProgram } from '../../util/find-program.js';
import type { Access } from './access.js';
import { inNetns } from './ip.js';
import { addressesOf, type IpJsonAddr } from '../../util/ip-json.js';

/** dhcpcd's configuration: DHCPv6 only, an address (IA_NA) unless stateless, and the DNS servers; no RS (the kernel handles RAs). */
const dhcpcdConf = (stateless: boolean) => ['# dhcpcd.conf written by dslab up', 'ipv6only', 'noipv6rs', ...(stateless ? [] : ['ia_na']), 'option dhcp6_name_servers', ''].join('\n');

/** dhcpcd's only hook: on a lease (BOUND6) or an Information-request's reply (INFORM6) it prints the DNS servers it was given. */
const DHCPCD_HOOK = ['#!/bin/sh', '# dhcpcd hook written by dslab up', 'case "$reason" in BOUND6|INFORM6) echo "dslab-dhcp6-dns $new_dhcp6_name_servers";; esac', ''].join('\n');
const HOOK_LINE = /^dslab-dhcp6-dns ?(.*)$/m;

/** RAs come at once on a Router Solicitation (radvd waits up to 0.5 s) or every 3-4 s. */
export const SLAAC_TIMEOUT_MS = 10_000;

/** An address a node formed by SLAAC or was leased by DHCPv6, as `up` read it back from the kernel. */
export interface FormedAddress {
  node: string;
  ifname: string;
  network: string;
  /** The stable (EUI-64 or stable-privacy) address, or the DHCPv6 lease (a /128). */
  address: string;
  /** RFC 8981 temporary addresses, when the node asked for them. */
  temporary: string[];
  /** When it was seen formed, in ms since the wait began. */
  ms: number;
  /** The DNS servers the node's DHCPv6 client was given (a lease's, or stateless DHCPv6's answer). */
  dnsServers?: string[];
}


/** The global addresses of one interface as the kernel has them now. */
async function globalAddresses(access: Access, ns: string, ifname: string, signal?: AbortSignal): Promise<IpJsonAddr[]> {
  const r = await inNetns(access, ns, ['ip', '-j', '-6', 'addr', 'show', 'dev', ifname, 'scope', 'global'], { ...(signal ? { signal } : {}) });
  return addressesOf(r.stdout).filter((a) => a.family === 'inet6');
}

/** A node's attachment to a SLAAC or DHCPv6 network. */
export interface AutoconfAttachment {
  node: Node;
  ifname: string;
  network: string;
  prefix: string;
  autoconf: Autoconf;
}

/** Every attachment of the lab whose address forms by itself (SLAAC or DHCPv6): the node, the network's prefix and how. */
export function slaacAttachments(topology: Topology): AutoconfAttachment[] {
  const out: AutoconfAttachment[] = [];
  for (const node of topology.nodes) {
    for (const a of node.attachments) {
      if (a.autoconf === undefined) continue;
      const net = topology.networks.find((n) => n.name === a.network)!;
      out.push({ node, ifname: a.ifname, network: a.network, prefix: net.ipv6!.cidr, autoconf: a.autoconf });
    }
  }
  return out;
}

/** Waits for every SLAAC or DHCPv6 address of the lab (starting the DHCPv6 clients); throws DSLAB_E_SLAAC_TIMEOUT naming those that did not form. No client outlives the wait. */
export async function waitForSlaac(access: Access, topology: Topology, stateDir: string, signal?: AbortSignal): Promise<FormedAddress[]> {
  const wanted = slaacAttachments(topology);
  const t0 = performance.now();
  const dhcp = wanted.filter((w) => usesDhcpv6(w.autoconf));
  const clientErrors: string[] = [];
  const given = new Map<string, string[]>();
  let clients: Array<Promise<void>> = [];
  if (dhcp.length > 0) {
    if (!findProgram('dhcpcd')) {
      throw new DslabError('DSLAB_E_TOOL_MISSING', 'The lab has a DHCPv6 network, whose nodes need the DHCPv6 client dhcpcd, which is not installed.', {
        field: 'networks[].ipv6.autoconf',
        value: dhcp[0]!.autoconf,
        hint: 'Install it (apt-get install -y --no-install-recommends dhcpcd-base), then run "dslab up" again.',
      });
    }
    const hook = join(stateDir, 'dhcpcd-hook.sh');
    writeOwnFile(hook, DHCPCD_HOOK, 0o700);
    const confs = { stateful: join(stateDir, 'dhcpcd.conf'), stateless: join(stateDir, 'dhcpcd-stateless.conf') };
    if (dhcp.some((w) => w.autoconf === 'dhcpv6')) writeOwnFile(confs.stateful, dhcpcdConf(false));
    if (dhcp.some((w) => w.autoconf === 'slaac+dhcpv6')) writeOwnFile(confs.stateless, dhcpcdConf(true));
    // each client asks once (-1) in the foreground; the lease is infinite, so nothing renews it;
    // a stateless client sends an Information-request (--inform6) and asks for no address
    clients = dhcp.map((w) => {
      const stateless = w.autoconf === 'slaac+dhcpv6';
      const script = `for d in /var/lib/dhcpcd /run/dhcpcd; do if [ -d "$d" ]; then mount -t tmpfs -o mode=0755 dslab-dhcpcd "$d" || exit 1; fi; done; exec dhcpcd -6 -1 -B -q ${stateless ? '--inform6 ' : ''}-f '${stateless ? confs.stateless : confs.stateful}' -c '${hook}' ${w.ifname}`;
      return inNetns(access, nodeNamespace(topology.name, w.node.name), ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', script], { allowFailure: true, timeoutMs: SLAAC_TIMEOUT_MS, ...(signal ? { signal } : {}) })
        .then((r) => {
          const dns = HOOK_LINE.exec(r.stdout);
          if (dns) given.set(`${w.node.name}/${w.ifname}`, dns[1]!.split(/\s+/).filter(Boolean));
          if (r.code !== 0) clientErrors.push(`${w.node.name}: dhcpcd exit ${r.code}: ${(r.stderr.trim().split('\n').pop() ?? '').slice(0, 200)}`);
          else if (stateless && !dns) clientErrors.push(`${w.node.name}: dhcpcd got no reply to its Information-request`);
        })
        .catch((err: unknown) => {
          clientErrors.push(`${w.node.name}: ${(err as Error).message}`);
        });
    });
  }
  let formed: FormedAddress[];
  try {
    formed = await pollFormed(access, topology, wanted, t0, clientErrors, signal);
  } finally {
    // dhcpcd -1 exits once it has its lease or answer; on a timeout or abort its own timeout ends it
    await Promise.allSettled(clients);
  }
  const unanswered = dhcp.filter((w) => w.autoconf === 'slaac+dhcpv6' && !given.has(`${w.node.name}/${w.ifname}`));
  if (unanswered.length > 0) {
    throw new DslabError('DSLAB_E_SLAAC_TIMEOUT', `No stateless DHCPv6 answer (the DNS servers) on ${unanswered.length} interface(s): ${unanswered.slice(0, 3).map((w) => `${w.node.name} ${w.ifname} on ${w.network} (${clientErrors.find((e) => e.startsWith(`${w.node.name}:`)) ?? 'no reply'})`).join(', ')}${unanswered.length > 3 ? `, and ${unanswered.length - 3} more` : ''}.`, {
      details: { unanswered: unanswered.map((w) => ({ node: w.node.name, ifname: w.ifname, network: w.network })) },
      hint: 'Check the router\'s DHCPv6 server log ("dslab logs dhcpv6"), then run "dslab up" again.',
    });
  }
  return formed.map((f) => {
    const dns = given.get(`${f.node}/${f.ifname}`);
    return dns ? { ...f, dnsServers: dns } : f;
  });
}

/** Polls the kernel every 25 ms until every wanted address is formed and out of DAD. */
async function pollFormed(access: Access, topology: Topology, wanted: AutoconfAttachment[], t0: number, clientErrors: string[], signal?: AbortSignal): Promise<FormedAddress[]> {
  const prefixes = new Map(wanted.map((w) => [w.prefix, ipaddr.parseCIDR(w.prefix)]));
  const formed = new Map<string, FormedAddress>();
  const last = new Map<string, IpJsonAddr[]>();
  while (formed.size < wanted.length) {
    await Promise.all(
      wanted.map(async (w) => {
        const key = `${w.node.name}/${w.ifname}`;
        if (formed.has(key)) return;
        const prefix = prefixes.get(w.prefix)!;
        const length = formsBySlaac(w.autoconf) ? 64 : 128;
        const mine = (await globalAddresses(access, nodeNamespace(topology.name, w.node.name), w.ifname, signal)).filter((a) => a.prefixlen === length && ipaddr.parse(a.local).match(prefix));
        last.set(key, mine);
        const ready = (a: IpJsonAddr) => !a.tentative && !a.dadfailed;
        const stable = mine.find((a) => ready(a) && !a.temporary);
        const temporary = mine.filter((a) => ready(a) && a.temporary).map((a) => a.local);
        if (!stable || (formsBySlaac(w.autoconf) && w.node.slaac?.temporary && temporary.length === 0)) return;
        formed.set(key, { node: w.node.name, ifname: w.ifname, network: w.network, address: stable.local, temporary, ms: Math.round(performance.now() - t0) });
      }),
    );
    if (formed.size === wanted.length) break;
    if (performance.now() - t0 > SLAAC_TIMEOUT_MS || signal?.aborted) {
      const missing = wanted.filter((w) => !formed.has(`${w.node.name}/${w.ifname}`));
      const first = missing.slice(0, 3).map((w) => {
        const seen = last.get(`${w.node.name}/${w.ifname}`) ?? [];
        const client = clientErrors.find((e) => e.startsWith(`${w.node.name}:`));
        const why = client ?? (seen.some((a) => a.dadfailed) ? 'DAD failed: the address is a duplicate' : seen.some((a) => a.tentative) ? 'still tentative (DAD not finished)' : w.autoconf === 'dhcpv6' ? 'no lease from the DHCPv6 server' : 'no address from the prefix: no Router Advertisement arrived');
        return `${w.node.name} ${w.ifname} on ${w.network} (${why})`;
      });
      throw new DslabError('DSLAB_E_SLAAC_TIMEOUT', `No address formed (SLAAC) or leased (DHCPv6) within ${SLAAC_TIMEOUT_MS / 1000} s on ${missing.length} interface(s): ${first.join(', ')}${missing.length > 3 ? `, and ${missing.length - 3} more` : ''}.`, {
        details: { missing: missing.map((w) => ({ node: w.node.name, ifname: w.ifname, network: w.network, addresses: last.get(`${w.node.name}/${w.ifname}`) ?? [] })) },
        hint: 'Check the router\'s logs ("dslab logs radvd", "dslab logs dhcpv6"), and that the network\'s prefix is a /64.',
      });
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return [...formed.values()];
}

/** The topology with the formed addresses in its attachments (the attachments keep `autoconf: slaac`). */
export function withFormedAddresses(topology: Topology, formed: readonly FormedAddress[]): Topology {
  return {
    ...topology,
    nodes: topology.nodes.map((n) => ({
      ...n,
      attachments: n.attachments.map((a) => {
        const f = formed.find((x) => x.node === n.name && x.ifname === a.ifname);
        return f ? { ...a, ipv6: f.address } : a;
      }),
    })),
  };
}
