/**
 * The lab's authoritative DNS server: one UDP socket and one TCP server per listen address
 * (bound to that exact address, so logs show the client's real family), answering from a
 * `ZoneTable`. TCP uses 2-byte length framing, several and pipelined queries per
 * connection, and an idle timeout. Malformed messages are counted and dropped; nothing a
 * client sends can crash the server. No recursion, no forwarding: nothing leaves the lab.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { DslabError } from '../../errors.js';
import type { DnsServerConfig } from './config.js';
import { formatDroppedLine, formatMalformedLine, formatQueryLine } from './log-format.js';
import type { DnsFaultRule } from './faults.js';
import { dns64RuleFor, type Dns64Rule } from './dns64.js';
import { answerQuery, type Transport } from './respond.js';
import { ZoneTable } from './zone.js';

export interface DnsServerOptions {
  /** Receives one line per query (no newline). Without it, nothing is logged. */
  log?: (line: string) => void;
  /** A TCP connection with no traffic and no pending answer for this long is closed. */
  tcpIdleTimeoutMs?: number;
  /** TCP connections beyond this many at once are refused. */
  maxTcpConnections?: number;
}

export interface DnsServerStats {
  /** Well-formed queries received (answered, delayed or dropped). */
  queries: number;
  /** Responses sent, by response code. */
  answers: Record<string, number>;
  /** Messages that were not valid DNS queries; dropped without an answer. */
  malformed: number;
  /** Queries dropped on purpose (records with `drop`). */
  dropped: number;
  /** UDP responses sent with TC set because they did not fit. */
  truncated: number;
}

export interface DnsBoundAddress {
  transport: Transport;
  address: string;
  family: 4 | 6;
  port: number;
}

export interface DnsServerHandle {
  /** Closes every listener and connection and cancels delayed answers. */
  close(): Promise<void>;
  stats(): DnsServerStats;
  /** What was actually bound (useful with port 0). */
  addresses(): DnsBoundAddress[];
  /** Replaces the DNS faults (faults.ts) the server applies from the next query on. */
  setFaults(faults: readonly DnsFaultRule[]): void;
}

const DEFAULT_TCP_IDLE_MS = 10_000;
const DEFAULT_MAX_TCP = 256;
/** A client that does not read its answers may not make us buffer without bound. */
const MAX_TCP_WRITE_BUFFER = 1 << 20;
const PORT_ATTEMPTS = 20;
const EMPTY = Buffer.alloc(0);

type Send = (response: Buffer) => void;

class DnsServer implements DnsServerHandle {
  readonly #table: ZoneTable;
  readonly #dns64: readonly Dns64Rule[];
  readonly #log: ((line: string) => void) | undefined;
  /** False for a Corefile without `log`: answers are not logged (start, stop and errors still are). */
  readonly #logQueries: boolean;
  readonly #idleMs: number;
  readonly #maxTcp: number;
  readonly #udp: dgram.Socket[] = [];
  readonly #tcp: net.Server[] = [];
  readonly #connections = new Set<net.Socket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #bound: DnsBoundAddress[] = [];
  readonly #stats: DnsServerStats = {
    queries: 0,
    answers: { NOERROR: 0, NXDOMAIN: 0, SERVFAIL: 0, REFUSED: 0, FORMERR: 0, NOTIMP: 0 },
    malformed: 0,
    dropped: 0,
    truncated: 0,
  };
  #closing: Promise<void> | undefined;

  constructor(config: DnsServerConfig, options: DnsServerOptions) {
    this.#table = new ZoneTable(config);
    this.#dns64 = config.dns64 ?? [];
    this.#log = options.log;
    this.#logQueries = config.logQueries ?? true;
    this.#idleMs = options.tcpIdleTimeoutMs ?? DEFAULT_TCP_IDLE_MS;
    this.#maxTcp = options.maxTcpConnections ?? DEFAULT_MAX_TCP;
  }

  async listen(config: DnsServerConfig): Promise<void> {
    try {
      for (const [i, l] of config.listen.entries()) await this.#listenOn(l.address, l.port, `listen.${i}`);
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  #faults: readonly DnsFaultRule[] = [];

  setFaults(faults: readonly DnsFaultRule[]): void {
    this.#faults = [...faults];
  }

  stats(): DnsServerStats {
    return { ...this.#stats, answers: { ...this.#stats.answers } };
  }

  addresses(): DnsBoundAddress[] {
    return this.#bound.map((b) => ({ ...b }));
  }

  close(): Promise<void> {
    this.#closing ??= this.#closeAll();
    return this.#closing;
  }

  async #closeAll(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    const waits: Array<Promise<void>> = [];
    for (const s of this.#udp) waits.push(new Promise<void>((resolve) => s.close(() => resolve())));
    for (const s of this.#tcp) waits.push(new Promise<void>((resolve) => s.close(() => resolve())));
    for (const c of this.#connections) c.destroy();
    this.#connections.clear();
    await Promise.all(waits);
  }

  /** Binds UDP then TCP on the same port; with port 0, retries until both get one port. */
  async #listenOn(address: string, port: number, field: string): Promise<void> {
    const family = net.isIPv6(address) ? 6 : 4;
    for (let attempt = 1; ; attempt++) {
      const udp = dgram.createSocket({ type: family === 6 ? 'udp6' : 'udp4', ipv6Only: family === 6 });
      try {
        await bindUdp(udp, address, port);
      } catch (err) {
        udp.close();
        throw bindError(err, 'udp', address, port, field);
      }
      const udpPort = udp.address().port;
      const tcp = net.createServer({ noDelay: true }, (socket) => this.#onConnection(socket));
      tcp.maxConnections = this.#maxTcp;
      try {
        await listenTcp(tcp, address, udpPort, family);
      } catch (err) {
        udp.close();
        if (port === 0 && (err as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt < PORT_ATTEMPTS) continue;
        throw bindError(err, 'tcp', address, udpPort, field);
      }
      udp.on('message', (msg, rinfo) => this.#onMessage(msg, 'udp', rinfo.address, rinfo.port, (r) => udp.send(r, rinfo.port, rinfo.address)));
      // a send to a vanished client may fail; it must not take the server down
      udp.on('error', (err) => this.#log?.(`[ERROR] udp ${address}: ${err.message}`));
      tcp.on('error', (err) => this.#log?.(`[ERROR] tcp ${address}: ${err.message}`));
      this.#udp.push(udp);
      this.#tcp.push(tcp);
      this.#bound.push({ transport: 'udp', address, family, port: udpPort }, { transport: 'tcp', address, family, port: udpPort });
      return;
    }
  }

  #onConnection(socket: net.Socket): void {
    if (this.#closing) {
      socket.destroy();
      return;
    }
    this.#connections.add(socket);
    const address = socket.remoteAddress ?? '?';
    const port = socket.remotePort ?? 0;
    let pending: Buffer = EMPTY;
    let inFlight = 0;
    const send: Send = (response) => {
      inFlight--;
      if (socket.destroyed || !socket.writable) return;
      const frame = Buffer.allocUnsafe(response.length + 2);
      frame.writeUInt16BE(response.length, 0);
      response.copy(frame, 2);
      socket.write(frame);
      if (socket.writableLength > MAX_TCP_WRITE_BUFFER) socket.destroy();
    };
    socket.setTimeout(this.#idleMs, () => {
      if (inFlight === 0) socket.destroy();
    });
    socket.on('error', () => {
      // resets and aborted clients are normal on a server; the socket closes itself
    });
    socket.on('close', () => this.#connections.delete(socket));
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 2) {
        const length = pending.readUInt16BE(0);
        if (length < 12) {
          // framing cannot be trusted any more: count it and hang up
          this.#malformed(address, port, 'tcp', length, `length prefix ${length} is shorter than a DNS header`);
          socket.destroy();
          return;
        }
        if (pending.length < length + 2) break;
        const message = pending.subarray(2, length + 2);
        pending = pending.subarray(length + 2);
        inFlight++;
        if (!this.#onMessage(message, 'tcp', address, port, send)) inFlight--;
      }
    });
  }

  /** Handles one message; returns whether an answer will be sent through `send`. */
  #onMessage(message: Buffer, transport: Transport, address: string, port: number, send: Send): boolean {
    const started = performance.now();
    let outcome: ReturnType<typeof answerQuery>;
    try {
      outcome = answerQuery(this.#table, message, transport, this.#faults, this.#dns64.length > 0 ? dns64RuleFor(this.#dns64, address) : undefined);
    } catch (err) {
      // whatever a client sends, the server stays up: an unforeseen failure counts as malformed
      this.#malformed(address, port, transport, message.length, `cannot be answered: ${(err as Error).message}`);
      return false;
    }
    if (outcome.kind === 'malformed') {
      this.#malformed(address, port, transport, outcome.size, outcome.reason);
      return false;
    }
    this.#stats.queries++;
    if (outcome.kind === 'drop') {
      this.#stats.dropped++;
      if (this.#logQueries) this.#log?.(formatDroppedLine(address, port, transport, outcome.query, (performance.now() - started) / 1000));
      return false;
    }
    const finish = (): void => {
      send(outcome.response);
      this.#stats.answers[outcome.rcode] = (this.#stats.answers[outcome.rcode] ?? 0) + 1;
      if (outcome.flags & 0x0200) this.#stats.truncated++;
      if (this.#logQueries) this.#log?.(formatQueryLine(address, port, transport, outcome.query, outcome.rcode, outcome.flags, outcome.response.length, (performance.now() - started) / 1000));
      // synthesised answers are always logged as such, with what they were made from
      for (const s of outcome.synthesised ?? []) this.#log?.(`[INFO] DNS64 synthesised AAAA ${outcome.query.name} ${s.to} from A ${s.from} for ${address}`);
    };
    if (outcome.delayMs > 0) {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        finish();
      }, outcome.delayMs);
      this.#timers.add(timer);
    } else {
      finish();
    }
    return true;
  }

  #malformed(address: string, port: number, transport: Transport, size: number, reason: string): void {
    this.#stats.malformed++;
    this.#log?.(formatMalformedLine(address, port, transport, size, reason));
  }
}

function bindUdp(socket: dgram.Socket, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}

function listenTcp(server: net.Server, host: string, port: number, family: 4 | 6): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, ipv6Only: family === 6, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function bindError(err: unknown, transport: Transport, address: string, port: number, field: string): DslabError {
  const code = (err as NodeJS.ErrnoException).code;
  const hint =
    code === 'EADDRINUSE'
      ? `Another program already uses ${transport} port ${port} on ${address}; stop it or choose another port.`
      : code === 'EADDRNOTAVAIL'
        ? `No interface here has ${address}; run the server inside the node that owns it.`
        : code === 'EACCES'
          ? `Ports below 1024 need root (or CAP_NET_BIND_SERVICE); run as root or pick a port of 1024 or more.`
          : `Check that ${address} is an address of this network namespace.`;
  return new DslabError('DSLAB_E_SERVICE_FAILED', `The DNS server could not listen on ${transport} ${address} port ${port}: ${(err as Error).message}.`, {
    field: `${field}.address`,
    value: address,
    hint,
    cause: err,
  });
}

/** Starts the server; resolves once every listener is bound. */
export async function startDnsServer(config: DnsServerConfig, options: DnsServerOptions = {}): Promise<DnsServerHandle> {
  const server = new DnsServer(config, options);
  await server.listen(config);
  return server;
}
