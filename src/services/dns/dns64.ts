/**
 * DNS64 (RFC 6147), pure: for a client inside one of the rules' client prefixes, an AAAA query
 * whose name has no usable AAAA record but has A records is answered with AAAA records
 * synthesised from the rule's NAT64 prefix (RFC 6052 embedding). Real AAAA records win
 * (§5.1.1), except those in ::ffff:0:0/96, which §5.1.4 says to exclude by default; a name that
 * does not exist gets no synthesis (§5.1.2); the synthesised TTL is the smaller of the A
 * record's and the SOA's negative TTL (§5.1.7). A records that RFC 6052 §3.1 keeps out of the
 * Well-Known Prefix (non-global IPv4 addresses) are not synthesised under it.
 */
import ipaddr from 'ipaddr.js';
import { embedIpv4, IPV4ONLY_ADDRESSES, IPV4ONLY_ARPA, isGlobalIpv4, WELL_KNOWN_PREFIX } from '../../addr/nat64.js';
import type { DnsRecord } from '../../lab/topology.js';
import type { ZoneRecord } from './zone.js';

/** One DNS64 rule: the clients it serves and the prefix it synthesises from (both CIDRs). */
export interface Dns64Rule {
  clients: string;
  prefix: string;
  /** Synthesise even when the name has real AAAA records (CoreDNS's `translate_all`; breaks §5.1.1). */
  translateAll?: boolean;
  /**
   * Synthesise as CoreDNS's dns64 plugin does rather than as RFC 6147/6052 say: every A record,
   * also a non-global one under the Well-Known Prefix, and any real AAAA (also ::ffff:0:0/96)
   * stops synthesis. Set for a Corefile's `dns64` lines.
   */
  coredns?: boolean;
}

/** The A records of ipv4only.arpa (RFC 7050 §2.2 fixes them), which a DNS64 client asks AAAA of to learn the prefix. */
export function ipv4onlyRecords(ttl: number): DnsRecord[] {
  return IPV4ONLY_ADDRESSES.map((address) => ({ name: IPV4ONLY_ARPA, type: 'A', address, ttl, delayMs: 0, drop: false }));
}

/** The rule for a client address (the first whose client prefix holds it), if any. */
export function dns64RuleFor(rules: readonly Dns64Rule[], client: string): Dns64Rule | undefined {
  if (!ipaddr.isValid(client)) return undefined;
  const addr = ipaddr.process(client);
  return rules.find((r) => {
    const [net, len] = ipaddr.parseCIDR(r.clients);
    return addr.kind() === net.kind() && addr.match(net, len);
  });
}

/** AAAA records §5.1.4 excludes by default: IPv4-mapped addresses. */
export function excludedAaaa(address: string): boolean {
  return ipaddr.IPv6.parse(address).range() === 'ipv4Mapped';
}

/** Whether the real AAAA answers of a name leave room for synthesis under `rule` (§5.1.1, §5.1.4). */
export function wantsSynthesis(rule: Dns64Rule, aaaa: readonly ZoneRecord[]): boolean {
  if (rule.translateAll) return true;
  return aaaa.every((r) => typeof r.data === 'string' && !rule.coredns && excludedAaaa(r.data));
}

/** The AAAA records synthesised from A records under the rule's prefix (each with the A address it came from), TTL capped at `negativeTtl`. */
export function synthesise(rule: Dns64Rule, a: readonly ZoneRecord[], negativeTtl: number): Array<{ record: ZoneRecord; from: string }> {
  const prefix = rule.prefix;
  const wkp = prefix === WELL_KNOWN_PREFIX && !rule.coredns;
  return a
    .filter((r): r is ZoneRecord & { data: string } => typeof r.data === 'string' && (!wkp || isGlobalIpv4(r.data)))
    .map((r) => ({ record: { type: 'AAAA' as const, ttl: Math.min(r.ttl, negativeTtl), data: embedIpv4(prefix, r.data) }, from: r.data }));
}
