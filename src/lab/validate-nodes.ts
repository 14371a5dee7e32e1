/**
 * Nodes of a lab file: names usable as namespace and interface names, roles, web settings,
 * one attachment per network with addresses inside that network's subnets (never its
 * network, broadcast or gateway address), no address used twice, and resolvers that are
 * addresses of a dns node (by default: all of them the node can reach by family).
 */
import { labProblem, type LabPath } from './problem.js';
import { canonical, contains, familyOf, lastAddress, parseAddress, subnetIp, type Ip } from './ip.js';
import { DEFAULT_WEB_PORT, NODE_NAME_HINT, nodeNameProblem } from './rules.js';
import type { RawAttachment, RawNode } from './schema.js';
import { autoconfLabel, formsBySlaac, forwards, type Attachment, type Family, type Network, type Node, type Subnet } from './topology.js';

const EXAMPLE_ADDRESS = { 4: '172.30.0.10', 6: 'fd00:dead:beef::10' } as const;

/** Parses an address field and checks its family; returns canonical text. */
export function checkAddress(text: string, family: Family | undefined, path: LabPath, what: string): { ip: Ip; text: string; family: Family } {
  const parsed = parseAddress(text);
  if (!parsed.ok) {
    throw labProblem('DSLAB_E_LAB_ADDRESS', path, `is not an address: ${parsed.reason}`, {
      value: text,
      hint: `Write ${what}, e.g. ${family === 6 ? EXAMPLE_ADDRESS[6] : family === 4 ? EXAMPLE_ADDRESS[4] : `${EXAMPLE_ADDRESS[4]} or ${EXAMPLE_ADDRESS[6]}`}.`,
    });
  }
  if (parsed.family === 6 && parsed.ip.range() === 'ipv4Mapped') {
    throw labProblem('DSLAB_E_LAB_FAMILY', path, 'is an IPv4-mapped IPv6 address', {
      value: text,
      hint: 'Write the IPv4 address itself, where IPv4 addresses go (ipv4, a).',
    });
  }
  if (family !== undefined && parsed.family !== family) {
    throw labProblem('DSLAB_E_LAB_FAMILY', path, `is an IPv${parsed.family} address where ${what} is expected`, {
      value: text,
      hint: `Write an IPv${family} address here (e.g. ${EXAMPLE_ADDRESS[family]}), and put IPv${parsed.family} addresses under ${parsed.family === 4 ? 'ipv4 / a' : 'ipv6 / aaaa'}.`,
    });
  }
  return { ip: parsed.ip, text: canonical(parsed.ip), family: parsed.family };
}

function checkInSubnet(ip: Ip, text: string, raw: string, network: Network, subnet: Subnet, path: LabPath): void {
  if (!contains(subnet, ip)) {
    throw labProblem('DSLAB_E_LAB_OUTSIDE_SUBNET', path, `is outside network ${network.name} (${subnet.cidr})`, {
      value: raw,
      hint: `Use an address inside ${subnet.cidr}, or attach the node to the network that holds ${text}.`,
    });
  }
  const gateway = subnet.family === 4 ? network.gateway4 : network.gateway6;
  const reserved: Array<[string, string]> = [
    [subnet.address, subnet.family === 4 ? 'the network address' : 'the subnet-router anycast address'],
    [gateway ?? '', 'the gateway address (the switch has it)'],
  ];
  if (subnet.family === 4) reserved.push([canonical(lastAddress(subnetIp(subnet), subnet.prefixLength)), 'the broadcast address']);
  for (const [addr, why] of reserved) {
    if (addr === text) {
      throw labProblem('DSLAB_E_LAB_RESERVED', path, `is ${why} of ${network.name} (${subnet.cidr})`, {
        value: raw,
        hint: `Use another address inside ${subnet.cidr}: not ${subnet.address}, not ${gateway}${subnet.family === 4 ? ` and not the broadcast address` : ''}.`,
      });
    }
  }
}

function checkAttachment(raw: RawAttachment, network: Network, i: number, ifname: string, role: Node['role']): Attachment {
  const base = ['nodes', i, 'addresses', network.name];
  // on a SLAAC network every node but its router forms its own IPv6 address
  const forms = network.autoconf !== undefined && !forwards({ role });
  if (forms && raw.ipv6 !== undefined) {
    throw labProblem('DSLAB_E_LAB_AUTOCONF', [...base, 'ipv6'], `is a fixed address on network ${network.name}, whose nodes get their IPv6 addresses by ${autoconfLabel(network.autoconf!)}`, {
      value: raw.ipv6,
      hint: `Leave ipv6 out here (the node forms it from the router's prefix; "dslab status" shows it), or remove autoconf from network ${network.name}.`,
    });
  }
  // a node that forms its IPv6 address may have no fixed address at all on this network
  if (!forms && raw.ipv4 === undefined && raw.ipv6 === undefined) {
    throw labProblem('DSLAB_E_LAB_ADDRESS', base, 'has no address', {
      hint: `Give the node an ipv4 and/or ipv6 address on ${network.name}, e.g. { ipv4: ${EXAMPLE_ADDRESS[4]} }.`,
    });
  }
  const attachment: Attachment = forms ? { network: network.name, ifname, autoconf: network.autoconf! } : { network: network.name, ifname };
  for (const family of [4, 6] as const) {
    const key = family === 4 ? 'ipv4' : 'ipv6';
    const text = raw[key];
    if (text === undefined) continue;
    const path = [...base, key];
    const addr = checkAddress(text, family, path, `an IPv${family} address`);
    const subnet = family === 4 ? network.ipv4 : network.ipv6;
    if (!subnet) {
      throw labProblem('DSLAB_E_LAB_FAMILY', path, `is an IPv${family} address, but network ${network.name} has no ${key} subnet`, {
        value: text,
        hint: `Remove ${key} from this node, or give network ${network.name} an ${key} subnet.`,
      });
    }
    checkInSubnet(addr.ip, addr.text, text, network, subnet, path);
    attachment[key] = addr.text;
  }
  return attachment;
}

function checkNode(raw: RawNode, i: number, networks: readonly Network[]): Node {
  const problem = nodeNameProblem(raw.name);
  if (problem) throw labProblem('DSLAB_E_LAB_NAME', ['nodes', i, 'name'], problem, { value: raw.name, hint: NODE_NAME_HINT });
  const node: Node = { name: raw.name, role: raw.role, attachments: [], dns: [] };
  if (raw.web !== undefined && raw.role !== 'web') {
    throw labProblem('DSLAB_E_LAB_ROLE', ['nodes', i, 'web'], `is set on node ${raw.name}, whose role is ${raw.role}`, {
      hint: 'Only role web runs a web server: remove "web", or set role: web.',
    });
  }
  if (raw.role === 'web') node.web = { server: raw.web?.server ?? 'builtin', port: raw.web?.port ?? DEFAULT_WEB_PORT };
  const known = networks.map((n) => n.name);
  const names = Object.keys(raw.addresses);
  if (names.length === 0) {
    throw labProblem('DSLAB_E_LAB_ADDRESS', ['nodes', i, 'addresses'], `(node ${raw.name}) has no network`, {
      hint: `Attach the node to a network with an address, e.g. addresses: { ${known[0] ?? 'dsnet'}: { ipv4: ${EXAMPLE_ADDRESS[4]} } }.`,
    });
  }
  for (const name of names) {
    if (!known.includes(name)) {
      throw labProblem('DSLAB_E_LAB_REFERENCE', ['nodes', i, 'addresses', name], 'is not a network of this lab', {
        value: name,
        hint: `Use one of the networks defined under "networks": ${known.join(', ')}.`,
      });
    }
  }
  // attachments follow the order of `networks`, so eth0 is the first network the node is on
  for (const network of networks) {
    const rawAttachment = raw.addresses[network.name];
    if (rawAttachment === undefined) continue;
    node.attachments.push(checkAttachment(rawAttachment, network, i, `eth${node.attachments.length}`, raw.role));
  }
  const forms = node.attachments.some((a) => formsBySlaac(a.autoconf));
  if (raw.slaac !== undefined && !forms) {
    throw labProblem('DSLAB_E_LAB_AUTOCONF', ['nodes', i, 'slaac'], `is set on node ${raw.name}, which is on no network with autoconf: slaac or slaac+dhcpv6`, {
      hint: 'Remove "slaac", or put the node on a network with ipv6: { prefix: ..., autoconf: slaac }.',
    });
  }
  if (forms) node.slaac = { addrGenMode: raw.slaac?.addr_gen_mode ?? 'eui64', temporary: raw.slaac?.temporary ?? false };
  return node;
}

function checkUniqueness(nodes: readonly Node[]): void {
  const names = new Map<string, number>();
  const owners = new Map<string, string>();
  nodes.forEach((node, i) => {
    const twin = names.get(node.name);
    if (twin !== undefined) {
      throw labProblem('DSLAB_E_LAB_DUPLICATE', ['nodes', i, 'name'], `is already the name of nodes[${twin}]`, { value: node.name, hint: 'Give every node its own name.' });
    }
    names.set(node.name, i);
    for (const a of node.attachments) {
      for (const key of ['ipv4', 'ipv6'] as const) {
        const addr = a[key];
        if (addr === undefined) continue;
        const owner = owners.get(addr);
        if (owner !== undefined) {
          throw labProblem('DSLAB_E_LAB_DUPLICATE', ['nodes', i, 'addresses', a.network, key], `is already the address of node ${owner}`, {
            value: addr,
            hint: 'Give every node its own addresses.',
          });
        }
        owners.set(addr, node.name);
      }
    }
  });
}

function familiesOf(node: Node): Family[] {
  const out: Family[] = [];
  if (node.attachments.some((a) => a.ipv4 !== undefined)) out.push(4);
  if (node.attachments.some((a) => a.ipv6 !== undefined || a.autoconf !== undefined)) out.push(6);
  return out;
}

function resolverAddresses(dnsNodes: readonly Node[]): string[] {
  const out: string[] = [];
  for (const n of dnsNodes) for (const a of n.attachments) for (const addr of [a.ipv4, a.ipv6]) if (addr) out.push(addr);
  return out;
}

function checkResolvers(raw: RawNode, node: Node, i: number, dnsNodes: readonly Node[]): string[] {
  const families = familiesOf(node);
  const offered = resolverAddresses(dnsNodes);
  if (raw.dns === undefined) {
    return offered.filter((addr) => families.includes(familyOf(parseAddressOrThrow(addr))));
  }
  const list = typeof raw.dns === 'string' ? [raw.dns] : raw.dns;
  const out: string[] = [];
  list.forEach((text, j) => {
    const path = typeof raw.dns === 'string' ? ['nodes', i, 'dns'] : ['nodes', i, 'dns', j];
    const addr = checkAddress(text, undefined, path, 'the address of a dns node');
    if (!offered.includes(addr.text)) {
      throw labProblem('DSLAB_E_LAB_REFERENCE', path, 'is not an address of a node with role dns', {
        value: text,
        hint: offered.length > 0 ? `Use an address of a dns node: ${offered.join(', ')} (or leave "dns" out to use them all).` : 'Add a node with role: dns, then use its addresses here.',
      });
    }
    if (!families.includes(addr.family)) {
      throw labProblem('DSLAB_E_LAB_FAMILY', path, `is an IPv${addr.family} resolver, but node ${node.name} has no IPv${addr.family} address`, {
        value: text,
        hint: `Use a resolver address of a family the node has (IPv${families.join(', IPv')}).`,
      });
    }
    if (out.includes(addr.text)) {
      throw labProblem('DSLAB_E_LAB_DUPLICATE', path, 'is listed twice', { value: text, hint: 'List each resolver once.' });
    }
    out.push(addr.text);
  });
  return out;
}

function parseAddressOrThrow(text: string): Ip {
  const p = parseAddress(text);
  if (!p.ok) throw new Error(`internal: canonical address ${text} does not parse`);
  return p.ip;
}

export function validateNodes(raw: readonly RawNode[], networks: readonly Network[]): Node[] {
  const nodes = raw.map((r, i) => checkNode(r, i, networks));
  checkUniqueness(nodes);
  const dnsNodes = nodes.filter((n) => n.role === 'dns');
  nodes.forEach((node, i) => {
    node.dns = checkResolvers(raw[i] as RawNode, node, i, dnsNodes);
  });
  return nodes;
}
