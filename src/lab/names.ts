/**
 * Resource names derived from the lab name, so that two labs coexist and cleanup finds
 * exactly what one lab made: namespaces `<lab>-<node>` and `<lab>-sw`.
 * Lab names contain no `-`, so the prefix up to the first `-` always names the lab.
 */

export const SWITCH_SUFFIX = 'sw';

export function nodeNamespace(lab: string, node: string): string {
  return `${lab}-${node}`;
}

export function switchNamespace(lab: string): string {
  return `${lab}-${SWITCH_SUFFIX}`;
}

/** Bridge name inside the switch namespace for one network. */
export function bridgeName(network: string): string {
  return `br-${network}`;
}

/** Name of a node's veth end inside the switch namespace (unique there: node names are). */
export function switchPortName(node: string, ifname: string): string {
  return ifname === 'eth0' ? node : `${node}.${ifname.slice(3)}`;
}
