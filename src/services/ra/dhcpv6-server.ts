/**
 * The DHCPv6 server of a router (pure): dnsmasq (Debian's dnsmasq-base) with DNS off. On networks
 * with `autoconf: dhcpv6` it leases addresses `::1000`-`::1fff` of the network's /64 on the
 * router's interface there, for ever (the lab's clients ask once); on `slaac+dhcpv6` networks it
 * leases nothing and answers Information-requests (stateless DHCPv6, RFC 8415 §6.1). Both hand
 * out the lab's DNS servers (option 23, RFC 3646). Every exchange is logged (`--log-dhcp`).
 */
import { dnsServerAddresses, usesDhcpv6, type Node, type Topology } from '../../lab/topology.js';
import { advertisedAttachments } from './radvd-config.js';

/** The first and last address dnsmasq leases in each DHCPv6 network (offsets in the /64). */
export const LEASE_RANGE = { first: '::1000', last: '::1fff' };

export function dnsmasqArgs(router: Node, topology: Topology, leaseFile: string): string[] {
  const dns = dnsServerAddresses(topology, 6);
  const args = ['--keep-in-foreground', '--log-facility=-', '--log-dhcp', '--port=0', '--no-resolv', '--no-hosts', '--conf-file=/dev/null', '--bind-interfaces', '--user=root', `--dhcp-leasefile=${leaseFile}`, '--pid-file='];
  for (const a of advertisedAttachments(router, topology, usesDhcpv6)) {
    const stateless = topology.networks.find((n) => n.name === a.network)!.autoconf === 'slaac+dhcpv6';
    // stateless: no addresses, an answer to every Information-request on the interface (dnsmasq(8) "static")
    args.push(`--interface=${a.ifname}`, stateless ? `--dhcp-range=::,constructor:${a.ifname},static` : `--dhcp-range=${LEASE_RANGE.first},${LEASE_RANGE.last},constructor:${a.ifname},64,infinite`);
  }
  if (dns.length > 0) args.push(`--dhcp-option=option6:dns-server,${dns.map((d) => `[${d}]`).join(',')}`);
  return args;
}
