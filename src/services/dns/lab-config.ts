/**
 * What a lab's DNS node serves: the lab file's records as an authoritative server
 * (buildDnsConfig), or, for `up --corefile`, the Corefile itself as CoreDNS would serve it
 * (one config per port of its blocks), listening on the node's own addresses.
 */
import { nodeAddresses, type Node, type Topology } from '../../lab/topology.js';
import { buildDnsConfig, type DnsServerConfig } from './config.js';
import { corefileServerConfigs, parseCorefile } from './corefile.js';

export function dnsConfigsFor(topology: Topology, node: Node): DnsServerConfig[] {
  if (!topology.corefile) return [buildDnsConfig(topology, node)];
  const addresses = nodeAddresses(node);
  return corefileServerConfigs(parseCorefile(topology.corefile.text, topology.corefile.source)).map((config) => ({
    ...config,
    listen: addresses.map((address) => ({ address, port: config.listen[0]!.port })),
  }));
}
