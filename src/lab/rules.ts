/**
 * The naming rules of a lab, and why: every name ends up inside a Linux resource name
 * (namespace `<lab>-<node>`, bridge `br-<network>`, switch port `<node>` or `<node>.N`),
 * and interface names are at most 15 bytes. DNS names follow RFC 1035 (letters, digits,
 * hyphens; labels up to 63, names up to 253).
 */

/** No `-`: the part of a namespace name before the first `-` names the lab. */
export const LAB_NAME = /^[a-z][a-z0-9]{0,11}$/;
/** The bridge is `br-<name>`: 3 + 12 = 15 bytes. */
export const NETWORK_NAME = /^[a-z][a-z0-9]{0,11}$/;
/** The switch port is `<node>` or `<node>.N`: 12 + 2 = 14 bytes. */
export const NODE_NAME = /^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/;
/** Node names that would collide with a name already used in the switch namespace. */
export const RESERVED_NODE_NAMES = ['sw', 'lo'];

export const DEFAULT_LAB_NAME = 'dslab';
export const DEFAULT_TTL = 3600;
export const DEFAULT_WEB_PORT = 80;

export const LAB_NAME_HINT = 'Use 1-12 characters: a lower-case letter, then lower-case letters or digits (no "-"), e.g. "dslab".';
export const NETWORK_NAME_HINT = 'Use 1-12 characters: a lower-case letter, then lower-case letters or digits, e.g. "dsnet".';
export const NODE_NAME_HINT = 'Use 1-12 characters: a lower-case letter, then lower-case letters, digits or inner "-", e.g. "web" or "host-4"; not "sw", "lo" or "br-...".';

/** Why a node name is unusable, or undefined when it is fine. */
export function nodeNameProblem(name: string): string | undefined {
  if (!NODE_NAME.test(name)) return 'is not a usable node name (it becomes a namespace and interface name)';
  if (RESERVED_NODE_NAMES.includes(name)) return 'is reserved (the switch namespace uses it)';
  if (name.startsWith('br-')) return 'is reserved (bridge names start with "br-")';
  return undefined;
}

/**
 * Normalises a DNS name (lower case, no trailing dot) and says what is wrong with it.
 * `minLabels` is 2 for record names (their parent is the zone) and 1 for zones.
 */
export function checkDnsName(text: string, minLabels: number): { name: string } | { problem: string } {
  const name = text.trim().toLowerCase().replace(/\.$/, '');
  if (name === '') return { problem: 'is empty' };
  if (name.length > 253) return { problem: `is ${name.length} characters long (at most 253)` };
  const labels = name.split('.');
  for (const label of labels) {
    if (label === '') return { problem: 'has an empty label (two dots in a row, or a leading dot)' };
    if (label.length > 63) return { problem: `has the label "${label.slice(0, 20)}..." of ${label.length} characters (at most 63)` };
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(label)) {
      return { problem: `has the label "${label}", which is not letters, digits and inner hyphens` };
    }
  }
  if (labels.length < minLabels) return { problem: 'has a single label; record names need a zone (e.g. "dual-ok.local")' };
  return { name };
}

export const DNS_NAME_HINT = 'Use a DNS name made of letters, digits and inner hyphens, with labels separated by dots, e.g. "dual-ok.local".';
