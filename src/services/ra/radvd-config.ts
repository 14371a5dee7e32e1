/**
 * The radvd configuration of a router on SLAAC networks (pure): one `interface` block per
 * network with `autoconf: slaac`, advertising its /64 as on-link and autonomous (RFC 4861,
 * RFC 4862) and, when the lab has DNS servers with IPv6 addresses, those as RDNSS (RFC 8106).
 * RA intervals are radvd's shortest without Mobile IPv6 (3-4 s, radvd.conf(5)), so that a node
 * that missed the first advertisement gets the next one soon; the RAs' RetransTimer is 100 ms
 * (RFC 4861 §6.2.1 AdvRetransTimer; the kernel's default is 1 s), so that DAD of a formed address
 * takes 0.1 s, and neighbour discovery of a missing address fails after ~0.3 s on these nodes.
 */
import { dnsServerAddresses, formsBySlaac, usesDhcpv6, type Attachment, type Autoconf, type Node, type Topology } from '../../lab/topology.js';

/** The attachments of `router` on networks whose nodes configure themselves (all kinds, or those `which` accepts). */
export function advertisedAttachments(router: Node, topology: Topology, which?: (autoconf: Autoconf) => boolean): Attachment[] {
  return router.attachments.filter((a) => {
    const autoconf = topology.networks.find((n) => n.name === a.network)?.autoconf;
    return autoconf !== undefined && (which === undefined || which(autoconf));
  });
}

export function radvdConfig(router: Node, topology: Topology): string {
  const rdnss = dnsServerAddresses(topology, 6);
  const blocks = advertisedAttachments(router, topology).map((a) => {
    const net = topology.networks.find((n) => n.name === a.network)!;
    const lines = [
      `interface ${a.ifname} {`,
      '  AdvSendAdvert on;',
      '  IgnoreIfMissing on;',
      '  MinRtrAdvInterval 3;',
      '  MaxRtrAdvInterval 4;',
      '  AdvRetransTimer 100;',
      // DHCPv6 (RFC 4861 §4.2): M, addresses by DHCPv6; O, other configuration (the DNS servers) by DHCPv6
      ...(net.autoconf === 'dhcpv6' ? ['  AdvManagedFlag on;'] : []),
      ...(usesDhcpv6(net.autoconf) ? ['  AdvOtherConfigFlag on;'] : []),
      ...(net.mtu ? [`  AdvLinkMTU ${net.mtu};`] : []),
      `  prefix ${net.ipv6!.cidr} {`,
      '    AdvOnLink on;',
      `    AdvAutonomous ${formsBySlaac(net.autoconf) ? 'on' : 'off'};`,
      '  };',
      // RFC 8106 §5.1: the lifetime SHOULD be at least 3 x MaxRtrAdvInterval (radvd's default here was 4 s)
      ...(rdnss.length > 0 ? [`  RDNSS ${rdnss.join(' ')} {`, '    AdvRDNSSLifetime 12;', '  };'] : []),
      '};',
    ];
    return lines.join('\n');
  });
  return `# radvd.conf for router ${router.name} of lab ${topology.name}, written by dslab up\n${blocks.join('\n')}\n`;
}
