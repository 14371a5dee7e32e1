/**
 * The web server's configuration: which node it is and which exact addresses and port it
 * listens on. Built from the topology by the backend, written as JSON, read back by main.ts.
 */
import { DslabError } from '../../errors.js';
import type { Node, Topology } from '../../lab/topology.js';
import { nodeAddresses } from '../../lab/topology.js';
import { canonicalAddress, isPlainAddress } from './address.js';

export interface ListenAddress {
  /** Canonical address text, no brackets (`172.30.0.10`, `fd00:dead:beef::10`). */
  address: string;
  /** 0 asks the kernel for a free port (tests). */
  port: number;
}

export interface WebServerConfig {
  /** Node name, shown on the pages (`web`). */
  name: string;
  listen: ListenAddress[];
}

/**
 * One listener per address of the node, bound to that exact address: a `::` listener would
 * report IPv4 visitors as `::ffff:a.b.c.d`, and the lab is about telling the families apart.
 * `_stateDir` is accepted for the backend's call shape; the built-in server needs nothing there.
 */
export function buildWebConfig(topology: Topology, node: Node, _stateDir?: string): WebServerConfig {
  if (!node.web) {
    throw new DslabError('DSLAB_E_LAB_ROLE', `Node "${node.name}" has no web service, so there is no web server to configure.`, {
      field: `nodes.${node.name}.web`,
      value: node.role,
      hint: 'Give the node role "web" (or a "web:" section) in the lab file.',
    });
  }
  if (!topology.nodes.some((n) => n.name === node.name)) {
    throw new DslabError('DSLAB_E_NODE_NOT_FOUND', `Node "${node.name}" is not part of lab "${topology.name}".`, {
      field: 'node',
      value: node.name,
      hint: 'Pass a node taken from the same topology.',
    });
  }
  const port = node.web.port;
  return { name: node.name, listen: nodeAddresses(node).map((address) => ({ address, port })) };
}

/** Validates a parsed JSON config; every rejection names the field, the value and the fix. */
export function parseWebConfig(value: unknown, source: string): WebServerConfig {
  const bad = (field: string, v: unknown, what: string, hint: string): DslabError =>
    new DslabError('DSLAB_E_SERVICE_CONFIG', `Invalid web server config ${source}: ${field} ${what}.`, { field, value: v, hint });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw bad('(top level)', value, 'must be an object', 'Write {"name": "web", "listen": [{"address": "127.0.0.1", "port": 80}]}.');
  }
  const { name, listen } = value as Record<string, unknown>;
  if (typeof name !== 'string' || name.length === 0) {
    throw bad('name', name, 'must be a non-empty string', 'Set "name" to the node name, e.g. "web".');
  }
  if (!Array.isArray(listen) || listen.length === 0) {
    throw bad('listen', listen, 'must be a non-empty array', 'List at least one {"address", "port"} to listen on.');
  }
  return { name, listen: listen.map((entry, i) => parseListen(entry, `listen[${i}]`, bad)) };
}

function parseListen(
  entry: unknown,
  field: string,
  bad: (field: string, v: unknown, what: string, hint: string) => DslabError,
): ListenAddress {
  if (typeof entry !== 'object' || entry === null) {
    throw bad(field, entry, 'must be an object', 'Write {"address": "172.30.0.10", "port": 80}.');
  }
  const { address, port } = entry as Record<string, unknown>;
  if (typeof address !== 'string' || !isPlainAddress(address)) {
    throw bad(`${field}.address`, address, 'is not an IPv4 or IPv6 address', 'Use a plain address without brackets or prefix, e.g. "fd00:dead:beef::10".');
  }
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw bad(`${field}.port`, port, 'must be an integer from 0 to 65535', 'Use 80 for the lab, or 0 for any free port.');
  }
  return { address: canonicalAddress(address), port };
}
