/**
 * Happy Eyeballs for Node's http and https clients: a `createConnection` that an `http.Agent`
 * (or `https.Agent`) calls for each new socket, and two ready-made agents using it.
 */
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import type { HappyOptions } from './types.js';
import { createHappyConnector } from './connect.js';

/** The callback `createConnection` answers with: an error, or the connected socket. */
export type Callback = (err: Error | null, stream: Duplex) => void;
/** The request options `createConnection` receives: Node's `http.ClientRequestArgs` plus the TLS settings of an https request. */
export type ConnectionOptions = http.ClientRequestArgs & { servername?: string; ca?: unknown; rejectUnauthorized?: boolean; ALPNProtocols?: string[] };

function portOf(options: ConnectionOptions, fallback: number): number {
  const p = options.port ?? fallback;
  return typeof p === 'number' ? p : Number.parseInt(p, 10);
}

/**
 * A `createConnection(options, callback)` for `new http.Agent()`; with `secure`, it also does
 * TLS (servername from the request), as `https.Agent` needs. Options are validated now.
 */
export function happyCreateConnection(defaults: Partial<HappyOptions> = {}, secure = false): (options: ConnectionOptions, callback: Callback) => undefined {
  const connect = createHappyConnector(defaults);
  return (options, callback) => {
    const host = options.hostname ?? options.host ?? 'localhost';
    const tls = secure
      ? {
          ...(options.servername ? { servername: options.servername } : {}),
          ...(options.rejectUnauthorized !== undefined ? { rejectUnauthorized: options.rejectUnauthorized } : {}),
          ...(options.ca !== undefined ? { ca: options.ca as string } : {}),
          ...(options.ALPNProtocols ? { ALPNProtocols: options.ALPNProtocols } : {}),
        }
      : undefined;
    connect({
      host,
      port: portOf(options, secure ? 443 : 80),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(tls ? { tls } : {}),
    }).then(
      (result) => callback(null, result.socket),
      (err: Error) => callback(err, undefined as unknown as Duplex),
    );
    return undefined;
  };
}

/** An `http.Agent` whose sockets come from the Happy Eyeballs connector. */
export class HappyHttpAgent extends http.Agent {
  #create: ReturnType<typeof happyCreateConnection>;

  constructor(agentOptions: http.AgentOptions = {}, happy: Partial<HappyOptions> = {}) {
    super(agentOptions);
    this.#create = happyCreateConnection(happy, false);
  }

  override createConnection(options: http.ClientRequestArgs, callback?: Callback): Duplex | null | undefined {
    return this.#create(options, callback ?? (() => undefined));
  }
}

/** An `https.Agent` whose sockets come from the Happy Eyeballs connector, TLS on the winner. */
export class HappyHttpsAgent extends https.Agent {
  #create: ReturnType<typeof happyCreateConnection>;

  constructor(agentOptions: https.AgentOptions = {}, happy: Partial<HappyOptions> = {}) {
    super(agentOptions);
    this.#create = happyCreateConnection(happy, true);
  }

  /** Connects to the request's host and port (default 443) with Happy Eyeballs and TLS, and passes the socket to `callback`. */
  override createConnection(options: https.RequestOptions, callback?: Callback): Duplex | null | undefined {
    return this.#create(options as ConnectionOptions, callback ?? (() => undefined));
  }
}
