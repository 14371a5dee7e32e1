/**
 * One attempt to prove that an address answers, by each method: a TCP connect, a DNS query
 * over UDP, or a datagram to a closed UDP port whose ICMP "port unreachable" comes back as
 * ECONNREFUSED on a connected socket. Each resolves on proof and rejects with a ProbeError.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import type { ProbeTarget } from './targets.js';

/** The UDP port that nothing in the lab listens on ("discard"). */
export const CLOSED_UDP_PORT = 9;

export class ProbeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProbeError';
  }
}

const REASONS: Record<string, string> = {
  ENETUNREACH: 'no route to this address',
  EHOSTUNREACH: 'host unreachable (no neighbour answered)',
  EADDRNOTAVAIL: 'no source address of this family here',
  ECONNRESET: 'the connection was reset',
};

function toProbeError(err: unknown, target: ProbeTarget, refusedMeans: string): ProbeError {
  if (err instanceof ProbeError) return err;
  const code = (err as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
  const reason = code === 'ECONNREFUSED' ? refusedMeans : (REASONS[code] ?? (err as Error).message);
  return new ProbeError(code, `${code}: ${target.address}: ${reason}`);
}

function timeoutError(target: ProbeTarget, ms: number): ProbeError {
  return new ProbeError('ETIMEDOUT', `ETIMEDOUT: no answer from ${target.address} within ${ms} ms`);
}

/** Runs `body` with a settle-once guard, a timeout and cleanup; the body calls done(err?). */
function attempt(
  timeoutMs: number,
  target: ProbeTarget,
  body: (done: (err?: unknown) => void) => () => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let cleanup = (): void => {};
    const done = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      cleanup();
      if (err === undefined) resolve();
      else reject(err);
    };
    const timer = setTimeout(() => done(timeoutError(target, timeoutMs)), timeoutMs);
    cleanup = body(done);
  });
}

export function tcpAttempt(target: ProbeTarget, port: number, timeoutMs: number): Promise<void> {
  return attempt(timeoutMs, target, (done) => {
    const socket = net.connect({ host: target.address, port, family: target.family });
    socket.once('connect', () => done());
    socket.once('error', (err) => done(toProbeError(err, target, `TCP port ${port} refused (the node answers, but nothing listens there)`)));
    return () => socket.destroy();
  });
}

export function dnsAttempt(target: ProbeTarget, port: number, timeoutMs: number): Promise<void> {
  const id = Math.floor(Math.random() * 0x10000);
  const query = dnsPacket.encode({ type: 'query', id, questions: [{ type: 'SOA', name: target.dnsName || '.' }] });
  return udpExchange(target, port, timeoutMs, query, (msg) => {
    try {
      return dnsPacket.decode(msg).id === id;
    } catch {
      return false; // not DNS: keep waiting for the real answer
    }
  }, `UDP port ${port} refused (the node answers, but no DNS server listens there)`);
}

/** Sends one datagram to a closed port; the refusal (ICMP port unreachable) is the proof. */
export function udpRefusedAttempt(target: ProbeTarget, timeoutMs: number): Promise<void> {
  return udpExchange(target, CLOSED_UDP_PORT, timeoutMs, Buffer.from('dslab probe\n'), () => true, null);
}

/**
 * A connected UDP socket: `accept` decides whether a reply proves the address answers;
 * ECONNREFUSED is proof when `refusedMeans` is null, otherwise a failure saying that.
 */
function udpExchange(
  target: ProbeTarget,
  port: number,
  timeoutMs: number,
  payload: Buffer,
  accept: (msg: Buffer) => boolean,
  refusedMeans: string | null,
): Promise<void> {
  return attempt(timeoutMs, target, (done) => {
    const socket = dgram.createSocket(target.family === 6 ? 'udp6' : 'udp4');
    socket.on('message', (msg) => {
      if (accept(msg)) done();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED' && refusedMeans === null) done();
      else done(toProbeError(err, target, refusedMeans ?? ''));
    });
    socket.connect(port, target.address, (err?: Error) => {
      if (err) {
        done(toProbeError(err, target, refusedMeans ?? ''));
        return;
      }
      socket.send(payload, (sendErr) => {
        if (sendErr) done(toProbeError(sendErr, target, refusedMeans ?? ''));
      });
    });
    return () => {
      try {
        socket.close();
      } catch {
        // already closed by a failed connect
      }
    };
  });
}
