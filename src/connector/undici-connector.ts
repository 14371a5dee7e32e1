/**
 * Happy Eyeballs for undici (and so for `fetch`): a connector for `new Agent({ connect })`.
 * undici calls it with the URL's host and port; it answers with the winning socket, TLS on
 * top for https: URLs.
 */
import type { Socket } from 'node:net';
import type { HappyOptions } from './types.js';
import { createHappyConnector } from './connect.js';

/** What undici passes to a connector: the URL's host name, protocol and port, the TLS server name and any socket to reuse. */
export interface UndiciConnectOptions {
  hostname: string;
  host?: string;
  protocol: string;
  port: string;
  servername?: string;
  httpSocket?: Socket;
}

/** A connector for undici's `new Agent({ connect })`: called with the host and port to reach, it calls back with the socket or an error. */
export type UndiciConnector = (options: UndiciConnectOptions, callback: (...args: [null, Socket] | [Error, null]) => void) => void;

/**
 * Makes an undici connector that connects with Happy Eyeballs (these defaults plus the URL's
 * host and port, default 443 for https: and 80 otherwise), with TLS for https: URLs (ALPN
 * default `http/1.1`).
 */
export function createUndiciConnector(defaults: Partial<HappyOptions> & { ALPNProtocols?: string[] } = {}): UndiciConnector {
  const { ALPNProtocols, ...happy } = defaults;
  const connect = createHappyConnector(happy);
  return (options, callback) => {
    const secure = options.protocol === 'https:';
    const port = options.port ? Number(options.port) : secure ? 443 : 80;
    // undici gives IPv6 literals in brackets
    const host = options.hostname.replace(/^\[(.*)\]$/, '$1');
    const tlsDefaults = typeof happy.tls === 'object' ? happy.tls : {};
    connect({
      host,
      port,
      ...(secure
        ? { tls: { ...tlsDefaults, ...(options.servername ? { servername: options.servername } : {}), ALPNProtocols: ALPNProtocols ?? ['http/1.1'] } }
        : { tls: false }),
    }).then(
      (result) => callback(null, result.socket),
      (err: Error) => callback(err, null),
    );
  };
}
