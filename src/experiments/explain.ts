/**
 * Short explanations for learners, shown before each experiment with `--explain` and kept in
 * the report. Where the article misstates a fact these follow the sources: RFC 8305 (its
 * only MUST on the Connection Attempt Delay is a 10 ms floor), RFC 6724, and curl's code.
 */
import ipaddr from 'ipaddr.js';
import type { RunPlan, Section } from './types.js';

/** True for a Unique Local Address (fc00::/7): RFC 6724 puts those below IPv4, as the article's lab shows. */
export function isUla(address: string | undefined): boolean {
  try {
    return address !== undefined && ipaddr.parse(address).range() === 'uniqueLocal';
  } catch {
    return false;
  }
}

export function explanation(section: Section, plan: RunPlan): string[] {
  const ok = plan.ok?.name ?? 'a dual-stack name';
  const bad = plan.broken?.name ?? 'a name with a broken AAAA';
  const ula = isUla(plan.ok?.ipv6) || plan.ok === undefined;
  switch (section) {
    case 'environment':
      return [
        'Dual stack means one interface carries an IPv4 and an IPv6 address at the same time.',
        `Each node of lab "${plan.lab}" is a Linux network namespace with its own interface, addresses, routes and resolver,`,
        'joined by a bridge in a switch namespace. The experiments run inside the client node, as if you had a shell there.',
      ];
    case 'connectivity':
      return [
        'The same web server is reached twice: once by its IPv4 address, once by its IPv6 address.',
        `In a URL an IPv6 address is written in brackets (http://[${plan.web.ipv6 ?? 'fd00:dead:beef::10'}]/) because its colons would`,
        'otherwise be read as the port separator; curl -g stops curl from treating the brackets as a pattern.',
        'ping sends ICMP (IPv4) or ICMPv6 echo requests; the RTT is the round trip time, loss the share that never came back.',
      ];
    case 'dns':
      return [
        'DNS keeps one record type per family: A holds an IPv4 address (32 bits), AAAA an IPv6 address (128 bits, "four As").',
        `A dual-stack name such as ${ok} has both. The resolver (getaddrinfo) returns both and sorts them; a simple client`,
        'tries the first one. The sort is destination address selection (RFC 6724 §6), driven by a policy table of',
        'precedences: it is not a blanket "IPv6 always wins". RFC 6724\'s own default table ranks a ULA',
        `(fc00::/7, precedence 3${ula ? `, like ${plan.ok?.ipv6}` : ''}) below IPv4 (precedence 35), so it would put IPv4 first.`,
        "glibc's built-in table (used when /etc/gai.conf sets none) keeps RFC 3484's precedences, which have no ULA row:",
        'a ULA falls under ::/0 (precedence 40) and beats IPv4 (::ffff:0:0/96, precedence 10).',
        ula
          ? 'That table is why the article, and this lab, see IPv6 first.'
          : `${plan.ok?.ipv6 ?? 'This IPv6 address'} is not a ULA, so both tables put it before IPv4 here.`,
      ];
    case 'fallback':
      return [
        `${bad} has a working A record and an AAAA record pointing at an address no node has. The address is on the link, so the kernel`,
        'asks for it by neighbour discovery and nobody answers: after about 3 s (three solicitations) the connect fails with EHOSTUNREACH',
        '("No route to host"); an attempt started while an earlier one is still resolving fails when that one does, so sooner.',
        `A sequential client (the article's ds_client.py) tries IPv6, gives up at its own timeout (${plan.sequentialTimeoutMs} ms, before the kernel does), then tries IPv4.`,
        'Happy Eyeballs (RFC 8305) instead starts the next address, of the other family, after a short Connection Attempt',
        `Delay while the first attempt is still running, and keeps whichever connects first. RFC 8305 §5 recommends 250 ms`,
        'for that delay, a minimum of 100 ms (a recommendation), a maximum of 2 s, and says it MUST NOT be below 10 ms.',
        'Its Resolution Delay (§3, 50 ms recommended) is how long to wait for the AAAA answer once the A answer is in.',
        `dslab's client uses ${plan.happyDelayMs} ms; curl uses its own 200 ms (CURL_HET_DEFAULT, --happy-eyeballs-timeout-ms).`,
      ];
    case 'routing':
      return [
        'A router forwards between networks: traceroute sends probes with a growing hop limit (TTL) and lists the router that',
        'answers each one with "time exceeded". IPv6 routers never fragment: a packet larger than the next link\'s MTU is dropped',
        'and the router sends ICMPv6 Packet Too Big back, which is how tracepath (and every TCP connection) learns the path MTU.',
        'SLAAC (RFC 4862): a node sends a Router Solicitation to ff02::2; the router answers with a Router Advertisement carrying',
        'the /64 prefix (flags A: form an address, M: ask DHCPv6 for it, O: ask DHCPv6 for other settings such as DNS) and the',
        'DNS servers (RDNSS, RFC 8106). The node appends a 64-bit interface ID to the prefix: the modified EUI-64 of its MAC',
        '(RFC 4291 Appendix A), a stable-privacy ID (RFC 7217) or a random temporary one (RFC 8981); before using the address it',
        'runs Duplicate Address Detection: a Neighbor Solicitation from :: to the address\'s solicited-node group (ff02::1:ffXX:XXXX);',
        'no answer within the retransmission timer (100 ms in this lab, RFC 4861\'s default is 1 s) means the address is unique.',
        'With the M flag (stateful DHCPv6, RFC 8415) a DHCPv6 server leases the address instead, as a /128; the /64 stays on-link.',
      ];
    case 'nat64':
      return [
        'An IPv6-only network has no IPv4 at all, yet most of the world is still IPv4-only. Two pieces bridge it:',
        'DNS64 (RFC 6147): for a name with an A record and no AAAA, the DNS server makes up an AAAA record by writing the IPv4',
        'address into a NAT64 prefix (RFC 6052; with a /96, its last 32 bits: 172.30.0.10 is ac1e:a in hex). A real AAAA always wins.',
        'NAT64 (RFC 6146): the translator owns that prefix; it turns each IPv6 packet to prefix+IPv4 into an IPv4 packet from its',
        'own IPv4 address (here Tayga maps the client into a private pool and nftables masquerades it), and the answers back.',
        'A client can learn the prefix by asking AAAA of ipv4only.arpa (RFC 7050), a name that has only the A records',
        '192.0.0.170 and 192.0.0.171. The Well-Known Prefix 64:ff9b::/96 may only carry global IPv4 addresses (RFC 6052 §3.1),',
        'so a lab with private IPv4 addresses uses a network-specific prefix. DNS64 cannot help an IPv4 literal (http://172.30.0.10/):',
        'that needs a CLAT on the client, which translates IPv4 to IPv6 before it leaves (464XLAT, RFC 6877).',
      ];
  }
}
