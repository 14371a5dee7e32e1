/**
 * What the lab probe checks: one target per node address, with the way to prove it answers
 * (a TCP port, a DNS port, or else a closed UDP port that must be refused). Validation of the
 * probe's JSON config lives here too, so bad input is refused before anything is sent.
 */
import ipaddr from 'ipaddr.js';
import { DslabError } from '../../errors.js';
import type { Family } from '../../lab/topology.js';
import { canonicalAddress, isPlainAddress } from '../web/address.js';

export interface ProbeTarget {
  /** Node the address belongs to (reported back as is). */
  node: string;
  address: string;
  family: Family;
  /** Prove reachability with a TCP connect to this port (a service must listen). */
  tcpPort?: number;
  /** Prove it with a DNS query over UDP to this port (any answer counts). */
  dnsPort?: number;
  /** Name asked for in the DNS query (SOA); default the root. */
  dnsName?: string;
}

export type ProbeMethod = 'tcp' | 'dns' | 'udp-refused';

export interface ProbeResult {
  node: string;
  address: string;
  family: Family;
  ok: boolean;
  method: ProbeMethod;
  /** Time until the answer (or the final failure), in milliseconds. */
  ms: number;
  /** Why it failed: an errno-like code and a sentence. */
  error?: string;
}

export interface ProbeConfig {
  targets: ProbeTarget[];
  timeoutMs?: number;
}

export function methodOf(target: ProbeTarget): ProbeMethod {
  if (target.tcpPort !== undefined) return 'tcp';
  if (target.dnsPort !== undefined) return 'dns';
  return 'udp-refused';
}

type Bad = (field: string, value: unknown, what: string, hint: string) => DslabError;

export function parseProbeConfig(value: unknown, source: string): ProbeConfig {
  const bad: Bad = (field, v, what, hint) =>
    new DslabError('DSLAB_E_SERVICE_CONFIG', `Invalid probe config ${source}: ${field} ${what}.`, { field, value: v, hint });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw bad('(top level)', value, 'must be an object', 'Write {"targets": [{"node": "web", "address": "172.30.0.10", "family": 4}]}.');
  }
  const { targets, timeoutMs } = value as Record<string, unknown>;
  if (!Array.isArray(targets)) throw bad('targets', targets, 'must be an array', 'List the addresses to probe under "targets".');
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60000)) {
    throw bad('timeoutMs', timeoutMs, 'must be an integer from 100 to 60000', 'Leave it out for the default of 1500 ms.');
  }
  return { targets: targets.map((t, i) => parseTarget(t, `targets[${i}]`, bad)), ...(timeoutMs === undefined ? {} : { timeoutMs }) };
}

function parseTarget(t: unknown, field: string, bad: Bad): ProbeTarget {
  if (typeof t !== 'object' || t === null || Array.isArray(t)) {
    throw bad(field, t, 'must be an object', 'Write {"node": "web", "address": "172.30.0.10", "family": 4}.');
  }
  const { node, address, family, tcpPort, dnsPort, dnsName } = t as Record<string, unknown>;
  if (typeof node !== 'string' || node.length === 0) throw bad(`${field}.node`, node, 'must be a non-empty string', 'Name the node the address belongs to.');
  if (typeof address !== 'string' || !isPlainAddress(address)) {
    throw bad(`${field}.address`, address, 'is not a plain IPv4 or IPv6 address', 'Use e.g. 172.30.0.10 or fd00:dead:beef::10, without brackets or prefix.');
  }
  const kind: Family = ipaddr.parse(address).kind() === 'ipv6' ? 6 : 4;
  if (family !== 4 && family !== 6) throw bad(`${field}.family`, family, 'must be 4 or 6', `Use ${kind} for ${address}.`);
  if (family !== kind) throw bad(`${field}.family`, family, `does not match ${address}, an IPv${kind} address`, `Use ${kind}.`);
  const port = (name: string, p: unknown): number | undefined => {
    if (p === undefined) return undefined;
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 65535) {
      throw bad(`${field}.${name}`, p, 'must be an integer from 1 to 65535', `Leave ${name} out, or use the service's port (80, 53).`);
    }
    return p;
  };
  const tcp = port('tcpPort', tcpPort);
  const dns = port('dnsPort', dnsPort);
  if (tcp !== undefined && dns !== undefined) {
    throw bad(field, { tcpPort, dnsPort }, 'has both tcpPort and dnsPort', 'Give one target per method: split it in two.');
  }
  if (dnsName !== undefined && (typeof dnsName !== 'string' || !/^[A-Za-z0-9_.-]*$/.test(dnsName) || dnsName.length > 253)) {
    throw bad(`${field}.dnsName`, dnsName, 'must be a domain name', 'Use a zone of the lab, e.g. "local".');
  }
  return {
    node,
    address: canonicalAddress(address),
    family,
    ...(tcp === undefined ? {} : { tcpPort: tcp }),
    ...(dns === undefined ? {} : { dnsPort: dns }),
    ...(typeof dnsName === 'string' ? { dnsName } : {}),
  };
}
