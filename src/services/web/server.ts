/**
 * dslab's built-in web server: one node:http listener per exact address (never `::`), so
 * each visitor is reported with the family it really used. Answers come from respond.ts;
 * every request is written to the access log.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { DslabError } from '../../errors.js';
import { accessLogLine } from './access-log.js';
import type { FamilyName } from './address.js';
import { hostPort, visitorAddress } from './address.js';
import type { ListenAddress, WebServerConfig } from './config.js';
import { respond } from './respond.js';
import type { Visit } from './respond.js';

export interface WebServerOptions {
  /** Receives one access-log line per request. */
  log?: (line: string) => void;
  /**
   * How long a bind failing with EADDRNOTAVAIL is retried: a fresh IPv6 address is
   * "tentative" until duplicate address detection ends, and cannot be bound before.
   */
  bindTimeoutMs?: number;
}

export interface BoundAddress {
  address: string;
  port: number;
  family: FamilyName;
}

export interface WebServerHandle {
  /** The addresses actually bound (with the real port when the config asked for 0). */
  addresses(): BoundAddress[];
  /** Stops listening, drops open connections, resolves when every listener is closed. */
  close(): Promise<void>;
}

export async function startWebServer(config: WebServerConfig, options: WebServerOptions = {}): Promise<WebServerHandle> {
  const servers: Server[] = [];
  const handler = requestHandler(config.name, options.log);
  try {
    for (const [i, listen] of config.listen.entries()) {
      const server = createServer({ keepAlive: true }, handler);
      servers.push(server);
      await listenWithRetry(server, listen, `listen[${i}]`, options.bindTimeoutMs ?? 3000);
    }
  } catch (err) {
    await Promise.all(servers.map(closeServer));
    throw err;
  }
  return new WebServer(servers);
}

class WebServer implements WebServerHandle {
  readonly #servers: Server[];
  #closing: Promise<void> | undefined;

  constructor(servers: Server[]) {
    this.#servers = servers;
  }

  addresses(): BoundAddress[] {
    return this.#servers.flatMap((s) => {
      const a = s.address() as AddressInfo | null;
      return a ? [{ address: a.address, port: a.port, family: a.family === 'IPv6' ? 'IPv6' : 'IPv4' } satisfies BoundAddress] : [];
    });
  }

  close(): Promise<void> {
    this.#closing ??= Promise.all(this.#servers.map(closeServer)).then(() => undefined);
    return this.#closing;
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function requestHandler(node: string, log: ((line: string) => void) | undefined) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const socket = req.socket;
    const client = visitorAddress(socket.remoteAddress);
    const visit: Visit = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      host: req.headers.host,
      family: client.family,
      client: { address: client.address, port: socket.remotePort ?? 0 },
      server: { address: visitorAddress(socket.localAddress).address, port: socket.localPort ?? 0 },
      node,
    };
    const answer = respond(visit);
    const body = Buffer.from(answer.body, 'utf8');
    // node:http drops the body of a HEAD answer itself; Content-Length still tells its size
    res.writeHead(answer.status, { ...answer.headers, 'content-length': String(body.length) });
    res.end(body);
    if (log) {
      res.once('finish', () =>
        log(
          accessLogLine({
            visit,
            httpVersion: req.httpVersion,
            status: answer.status,
            bytes: visit.method === 'HEAD' ? 0 : body.length,
            referer: req.headers.referer,
            userAgent: req.headers['user-agent'],
            time: new Date(),
          }),
        ),
      );
    }
  };
}

async function listenWithRetry(server: Server, listen: ListenAddress, field: string, bindTimeoutMs: number): Promise<void> {
  const deadline = Date.now() + bindTimeoutMs;
  for (;;) {
    try {
      await listenOnce(server, listen);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRNOTAVAIL' && Date.now() < deadline) {
        await delay(100);
        continue;
      }
      throw bindError(err, listen, field);
    }
  }
}

function listenOnce(server: Server, listen: ListenAddress): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen({ host: listen.address, port: listen.port, ipv6Only: listen.address.includes(':'), exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function bindError(err: unknown, listen: ListenAddress, field: string): DslabError {
  const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
  const where = hostPort(listen.address, listen.port);
  const hints: Record<string, string> = {
    EADDRINUSE: `Another program already listens on ${where}; stop it or choose another port.`,
    EADDRNOTAVAIL: `No interface in this network namespace has ${listen.address}; run the server inside the node that owns it.`,
    EACCES: `Ports below 1024 need root (or CAP_NET_BIND_SERVICE); run as root or choose a port of 1024 or more.`,
  };
  return new DslabError('DSLAB_E_SERVICE_FAILED', `The web server could not listen on ${where} (${code}).`, {
    field,
    value: where,
    hint: hints[code] ?? 'Check the address and port in the web server config.',
    cause: err,
  });
}
