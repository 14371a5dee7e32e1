/**
 * Helpers for fault tests: why they cannot run here, adding faults by spec to a lab that is
 * up, and the connect() outcome (errno name and milliseconds) of a real socket in a node.
 */
import { existsSync } from 'node:fs';
import { addFaults, removeFaults } from '../../src/backends/netns/fault-ops.js';
import { runInNode } from '../../src/backends/netns/exec.js';
import { parseFaultSpec } from '../../src/faults/spec.js';
import type { Fault } from '../../src/faults/types.js';
import { findProgram } from '../../src/util/find-program.js';
import { netnsSkipReason } from './netns-lab.js';

export function faultSkipReason(extra: readonly string[] = []): string | undefined {
  const base = netnsSkipReason(['nft', 'iptables-nft-restore', 'ip6tables-nft-restore', 'tc', 'python3', ...extra]);
  if (base) return base;
  const lib = ['/usr/lib/x86_64-linux-gnu/libnetfilter_queue.so.1', '/usr/lib/aarch64-linux-gnu/libnetfilter_queue.so.1', '/usr/lib/libnetfilter_queue.so.1'];
  if (!lib.some((l) => existsSync(l))) return 'needs libnetfilter_queue (apt-get install libnetfilter-queue1)';
  return findProgram('python3') ? undefined : 'needs python3';
}

export function add(lab: string, ...specs: string[]): Promise<Fault[]> {
  return addFaults(lab, { faults: specs.map((s) => parseFaultSpec(s)) });
}

export function clear(lab: string): Promise<Fault[]> {
  return removeFaults(lab, [], true);
}

const CONNECT = `
import socket, sys, time, errno
host, port, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
fam = socket.AF_INET6 if ':' in host else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM)
s.settimeout(timeout)
t = time.monotonic()
try:
    s.connect((host, port))
    r = 'OK'
except socket.timeout:
    r = 'TIMEOUT'
except OSError as e:
    r = errno.errorcode.get(e.errno, str(e.errno))
print(r, round((time.monotonic() - t) * 1000, 1))
`;

/** connect() to host:port from a node: `OK`, `TIMEOUT` or the errno name, and how long it took. */
export async function connectFrom(lab: string, node: string, host: string, port = 80, timeoutS = 2): Promise<{ result: string; ms: number }> {
  const r = await runInNode(lab, node, ['python3', '-c', CONNECT, host, String(port), String(timeoutS)]);
  const [result, ms] = r.stdout.trim().split(/\s+/);
  return { result: result!, ms: Number(ms) };
}
