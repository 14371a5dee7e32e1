/**
 * Loopback fixtures for connector tests: TCP listeners on ::1 and 127.0.0.1 sharing a port,
 * a "black hole" listener whose full accept queue makes the kernel drop SYNs (so a connect
 * hangs like one to an address nobody has, without leaving loopback), a loopback DNS server
 * with per-record delay/drop, and a check that no handle is left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { startDnsServer } from '../../src/services/dns/server.js';
import type { DnsRecord } from '../../src/lab/topology.js';
import { loopbackConfig, portOf, record } from './dns-lab.js';

export { record };

export interface Closable {
  close(): Promise<void>;
}

// connections each listener accepted, so that closing it never waits for a client socket a
// failed assertion left open (server.close() alone would wait for it forever: a hang, not a failure)
const accepted = new WeakMap<net.Server, Set<net.Socket>>();

export function listen(host: string, port = 0): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    });
    accepted.set(server, sockets);
    server.once('error', reject);
    server.listen({ host, port, ipv6Only: true }, () => {
      server.removeListener('error', reject);
      resolve(server);
    });
  });
}

export function closeServer(server: net.Server): Promise<void> {
  for (const socket of accepted.get(server) ?? []) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

const BLACKHOLE_PY = `
import socket, sys
fam = socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(0)
print(s.getsockname()[1], flush=True)
conns = []
def accept_all():
    while True:
        c, _ = s.accept()
        conns.append(c)
for line in sys.stdin:
    if line.strip() == 'open':
        import threading
        threading.Thread(target=accept_all, daemon=True).start()
`;

export interface Blackhole extends Closable {
  port: number;
  /** Starts accepting: the queue drains, and a SYN retransmitted after that connects. */
  open(): void;
}

/**
 * A listener that never accepts, its one-place queue filled: further SYNs are dropped, so a
 * connect to it stays pending (like an address nobody has) until it is cancelled.
 */
export async function blackhole(host: string, port = 0): Promise<Blackhole> {
  const child: ChildProcess = spawn('python3', ['-c', BLACKHOLE_PY, host, String(port)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const bound = await new Promise<number>((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d) => (err += String(d)));
    child.once('error', reject);
    child.stdout!.once('data', (d) => resolve(Number(String(d).trim())));
    child.once('exit', (code) => reject(new Error(`python3 exited ${code}: ${err}`)));
  });
  child.removeAllListeners('exit');
  const filler = net.connect({ host, port: bound });
  filler.on('error', () => undefined);
  await new Promise((r) => filler.once('connect', r));
  return {
    port: bound,
    open: () => void child.stdin!.write('open\n'),
    close: async () => {
      filler.destroy();
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

export const hasPython = (): Promise<boolean> =>
  new Promise((resolve) => {
    const c = spawn('python3', ['-c', 'pass'], { stdio: 'ignore' });
    c.once('error', () => resolve(false));
    c.once('exit', (code) => resolve(code === 0));
  });

/** A free port on both ::1 and 127.0.0.1, with `make(host, port)` run on each. */
export async function samePort<A extends Closable | net.Server, B extends Closable | net.Server>(
  v6: (port: number) => Promise<A>,
  v4: (port: number) => Promise<B>,
): Promise<{ port: number; close: () => Promise<void> }> {
  for (let i = 0; i < 20; i++) {
    const probe = await listen('::1', 0);
    const port = (probe.address() as net.AddressInfo).port;
    await closeServer(probe);
    let a: A | undefined;
    try {
      a = await v6(port);
      const b = await v4(port);
      return { port, close: async () => void (await Promise.all([closeAny(a!), closeAny(b)])) };
    } catch {
      if (a) await closeAny(a);
    }
  }
  throw new Error('no port free on both loopback addresses');
}

function closeAny(x: Closable | net.Server): Promise<void> {
  return x instanceof net.Server ? closeServer(x) : x.close();
}

export async function loopbackDns(records: DnsRecord[]): Promise<{ servers: string[]; close: () => Promise<void> }> {
  const server = await startDnsServer(loopbackConfig(records));
  return { servers: [`127.0.0.1:${portOf(server.addresses(), 4)}`], close: () => server.close() };
}

/** Handles that matter for leaks (sockets, timers, DNS and UDP requests), counted by kind. */
export function handleCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (/TCPSocketWrap|Timeout|UDPWrap|QueryReqWrap|GetAddrInfoReqWrap|TCPConnectWrap|TLSWrap/.test(kind)) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

/** Waits until the handle counts are back to `before` (closing is asynchronous), or returns what is left. */
export async function settledHandles(before: Record<string, number>, waitMs = 500): Promise<Record<string, number>> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    await new Promise((r) => setImmediate(r));
    const now = handleCounts();
    const extra: Record<string, number> = {};
    for (const [k, v] of Object.entries(now)) if (v > (before[k] ?? 0)) extra[k] = v - (before[k] ?? 0);
    if (Object.keys(extra).length === 0 || Date.now() > deadline) return extra;
    await new Promise((r) => setTimeout(r, 10));
  }
}
