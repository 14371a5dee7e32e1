/**
 * TLS on top of the socket that won the race, so that HTTPS works through the connector.
 * The race is about TCP (RFC 8305 §5); the handshake happens once, on the winner.
 */
import net from 'node:net';
import tls from 'node:tls';
import { DslabError } from '../errors.js';
import type { TlsUpgradeOptions } from './types.js';

export function upgradeToTls(socket: net.Socket, host: string, options: TlsUpgradeOptions, timeoutMs: number, signal?: AbortSignal): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const servername = options.servername ?? (net.isIP(host) === 0 ? host : undefined);
    const secure = tls.connect({
      socket,
      ...(servername ? { servername } : {}),
      ...(options.ALPNProtocols ? { ALPNProtocols: options.ALPNProtocols } : {}),
      ...(options.rejectUnauthorized !== undefined ? { rejectUnauthorized: options.rejectUnauthorized } : {}),
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
    });
    const cleanup = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      secure.removeListener('secureConnect', onSecure);
      secure.removeListener('error', onError);
    };
    const failWith = (err: DslabError): void => {
      cleanup();
      secure.on('error', () => undefined);
      secure.destroy();
      reject(err);
    };
    const onSecure = (): void => {
      cleanup();
      resolve(secure);
    };
    const onError = (err: Error): void =>
      failWith(
        new DslabError('DSLAB_E_CONNECT_FAILED', `The TLS handshake with ${host} failed: ${err.message}.`, {
          field: 'tls',
          value: servername,
          hint: 'Check the server name (servername) and the certificate authority (ca).',
          cause: err,
        }),
      );
    const onAbort = (): void =>
      failWith(new DslabError('DSLAB_E_CONNECT_ABORTED', `The TLS handshake with ${host} was aborted.`, { field: 'signal', cause: signal?.reason, hint: 'The caller cancelled the connection.' }));
    const timer = setTimeout(
      () => failWith(new DslabError('DSLAB_E_CONNECT_TIMEOUT', `The TLS handshake with ${host} did not finish in time.`, { field: 'timeoutMs', value: timeoutMs, hint: 'Give it more time.' })),
      Math.max(1, timeoutMs),
    );
    secure.once('secureConnect', onSecure);
    secure.once('error', onError);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
