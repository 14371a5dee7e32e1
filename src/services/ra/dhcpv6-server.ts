/**
 * The stateful DHCPv6 server of a router on networks with `autoconf: dhcpv6` (pure): dnsmasq
 * (Debian's dnsmasq-base) with DNS off, leasing addresses `::1000`-`::1fff` of each network's
 * /64 on the router's interface there, for ever (the lab's clients ask once), and handing out
 * the lab's DNS servers (option 23, RFC 3646). Every lease is logged (`--log-dhcp`).
 */
import { dnsServerAddresses, type Node, type Topology } from '../../lab/topology.js';
import { advertisedAttachments } from './radvd-config.js';

/** The first and last address dnsmasq leases in each DHCPv6 network (offsets in the /64). */
export const LEASE_RANGE = { first: '::1000', last: '::1fff' };

export function dnsmasqArgs(router: Node, topology: Topology, leaseFile: string): string[] {
  const dns = dnsServerAddresses(topology, 6);
  const args = ['--keep-in-foreground', '--log-facility=-', '--log-dhcp', '--port=0', '--no-resolv', '--no-hosts', '--conf-file=/dev/null', '--bind-interfaces', '--user=root', `--dhcp-leasefile=${leaseFile}`, '--pid-file='];
  for (const a of advertisedAttachments(router, topology, 'dhcpv6')) {
    args.push(`--interface=${a.ifname}`, `--dhcp-range=${LEASE_RANGE.first},${LEASE_RANGE.last},constructor:${a.ifname},64,infinite`);
  }
  if (dns.length > 0) args.push(`--dhcp-option=option6:dns-server,${dns.map((d) => `[${d}]`).join(',')}`);
  return args;
}
