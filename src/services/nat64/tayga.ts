/**
 * The NAT64 translator of a `role: nat64` node (pure): Tayga (Debian's tayga, a userspace
 * stateless translator on a tun device, RFC 7915) maps each IPv6 client to an address of its
 * IPv4 pool and translates to and from the NAT64 prefix (RFC 6052); an nftables masquerade
 * rule then rewrites the pool to the translator's own IPv4 address on its IPv4 network, which
 * together make stateful NAT64 (RFC 6146): IPv4 servers see one address, the translator's.
 * Everything lives in the node's namespace (the tun device, its routes, the nft table) and goes
 * with it at `down`.
 */
import ipaddr from 'ipaddr.js';
import { join } from 'node:path';
import { embedIpv4, WELL_KNOWN_PREFIX } from '../../addr/nat64.js';
import type { Node } from '../../lab/topology.js';

/** The tun device's name inside the translator's namespace. */
export const TUN_DEVICE = 'nat64';
/** The nftables table dslab adds in the translator's namespace. */
export const NFT_TABLE = 'dslab_nat64';

export interface TaygaFiles {
  conf: string;
  nft: string;
  script: string;
}

/** Tayga's own IPv4 address: the pool's first usable one (Tayga takes it out of the pool). */
export function taygaIpv4(pool: string): string {
  const [net] = ipaddr.IPv4.parseCIDR(pool);
  const b = net.toByteArray();
  b[3]! += 1;
  return ipaddr.fromByteArray(b).toString();
}

/** tayga.conf, the nft rules and the shell script that sets up the tun device and runs Tayga in the foreground. */
export function taygaFiles(node: Node, dataDir: string, dir: string): { files: TaygaFiles; texts: Record<keyof TaygaFiles, string> } {
  const n = node.nat64!;
  const v6 = node.attachments.find((a) => a.ipv6 !== undefined)!;
  const own4 = taygaIpv4(n.pool);
  // with the Well-Known Prefix and a private own address, Tayga needs an IPv6 address of its own
  // (RFC 6052 §3.1 keeps private IPv4 out of the WKP): the translator's IPv6 network + ::6464
  const own6 = n.prefix === WELL_KNOWN_PREFIX ? ipv6InNetwork(v6.ipv6!, '::6464') : embedIpv4(n.prefix, own4);
  const files: TaygaFiles = { conf: join(dir, 'tayga.conf'), nft: join(dir, 'nat64.nft'), script: join(dir, 'nat64.sh') };
  const conf = [`# tayga.conf for ${node.name}, written by dslab up`, `tun-device ${TUN_DEVICE}`, `ipv4-addr ${own4}`, ...(n.prefix === WELL_KNOWN_PREFIX ? [`ipv6-addr ${own6}`] : []), `prefix ${n.prefix}`, `dynamic-pool ${n.pool}`, `data-dir ${dataDir}`, ''].join('\n');
  const nft = [`table ip ${NFT_TABLE} {`, '  chain postrouting {', '    type nat hook postrouting priority srcnat;', `    ip saddr ${n.pool} oifname "${n.ifname}" masquerade`, '  }', '}', ''].join('\n');
  const script = [
    'set -e',
    `mkdir -p '${dataDir}'`,
    `tayga --mktun -c '${files.conf}'`,
    `ip link set ${TUN_DEVICE} up`,
    `ip addr add ${n.ipv4} dev ${TUN_DEVICE}`,
    `ip -6 addr add ${v6.ipv6} dev ${TUN_DEVICE}`,
    `ip route add ${n.pool} dev ${TUN_DEVICE}`,
    `ip -6 route add ${n.prefix} dev ${TUN_DEVICE}`,
    ...(n.prefix === WELL_KNOWN_PREFIX ? [`ip -6 route add ${own6}/128 dev ${TUN_DEVICE}`] : []),
    `nft -f '${files.nft}'`,
    // Tayga's messages go to stdout, block-buffered on a pipe: line-buffered to stderr, where daemon-main reads its ready line
    `exec stdbuf -oL tayga -d -c '${files.conf}' 1>&2`,
    '',
  ].join('\n');
  return { files, texts: { conf, nft, script } };
}

function ipv6InNetwork(address: string, suffix: string): string {
  const a = ipaddr.IPv6.parse(address).toByteArray();
  const s = ipaddr.IPv6.parse(suffix).toByteArray();
  return ipaddr.fromByteArray([...a.slice(0, 8), ...s.slice(8)]).toString();
}
