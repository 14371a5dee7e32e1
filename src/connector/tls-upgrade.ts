/**
 * TLS on top of the socket that won the race, so that HTTPS works through the connector.
 * The race is about TCP (RFC 8305 §5); the handshake happens once, on the winner. A
 * certificate that cannot be verified is its own error (DSLAB_E_TLS_UNTRUSTED) whose hint
 * says how to trust it (a CA file) or, knowingly, skip the check.
 */
import net from 'node:net';
import tls from 'node:tls';
import { DslabError } from '../errors.js';
import type { TlsInfo, TlsUpgradeOptions } from './types.js';

/** OpenSSL's verification results as Node reports them in `err.code`: the certificate, not the connection, failed. */
const VERIFY_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * One secure context per CA list: building one parses every certificate (the system roots
 * plus a `--ca` file take ~40 ms), so repeated connections (`--count`, agents) reuse it.
 */
const contexts = new WeakMap<object, tls.SecureContext>();

function caContext(ca: NonNullable<TlsUpgradeOptions['ca']>): { secureContext: tls.SecureContext } | { ca: NonNullable<TlsUpgradeOptions['ca']> } {
  if (!Array.isArray(ca)) return { ca };
  let context = contexts.get(ca);
  if (!context) {
    context = tls.createSecureContext({ ca });
    contexts.set(ca, context);
  }
  return { secureContext: context };
}

export interface TlsUpgrade {
  socket: tls.TLSSocket;
  info: TlsInfo;
}

function handshakeError(err: NodeJS.ErrnoException, host: string, servername: string | undefined, options: TlsUpgradeOptions): DslabError {
  const code = err.code ?? '';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') {
    return new DslabError('DSLAB_E_TLS_UNTRUSTED', `The TLS certificate of ${host} is not valid for the name ${servername ?? host} (${code}): ${err.message}.`, {
      field: 'servername',
      value: servername ?? host,
      hint: 'Connect with the name the certificate was issued for (--servername NAME, or tls.servername), or skip the check with --insecure (tls.rejectUnauthorized: false) if you trust this network.',
      cause: err,
    });
  }
  if (VERIFY_CODES.has(code)) {
    const withCa = options.ca !== undefined;
    return new DslabError('DSLAB_E_TLS_UNTRUSTED', `The TLS certificate of ${host} is not trusted (${code}: ${err.message})${withCa ? ', not even with the CA given' : ''}.`, {
      field: 'ca',
      value: withCa ? '(the CA given)' : '(system CAs)',
      hint: withCa
        ? 'The CA file does not sign this certificate: give the certificate that issued it (for a self-signed server, its own certificate) with --ca FILE, or --insecure to skip the check.'
        : 'Trust the certificate that issued it with --ca FILE (PEM; for a self-signed server, its own certificate; library: tls.ca), or skip the check with --insecure (tls.rejectUnauthorized: false).',
      cause: err,
    });
  }
  return new DslabError('DSLAB_E_CONNECT_FAILED', `The TLS handshake with ${host} failed: ${err.message}${code ? ` (${code})` : ''}.`, {
    field: 'tls',
    value: servername,
    hint: 'Check that the port speaks TLS (HTTPS is usually 443) and the server name (--servername).',
    cause: err,
  });
}

export function upgradeToTls(socket: net.Socket, host: string, options: TlsUpgradeOptions, timeoutMs: number, signal?: AbortSignal): Promise<TlsUpgrade> {
  return new Promise((resolve, reject) => {
    const servername = options.servername ?? (net.isIP(host) === 0 ? host : undefined);
    const secure = tls.connect({
      socket,
      // the name the certificate is checked against: the servername, else the address itself
      host: servername ?? host,
      ...(servername ? { servername } : {}),
      ...(options.ALPNProtocols ? { ALPNProtocols: options.ALPNProtocols } : {}),
      ...(options.rejectUnauthorized !== undefined ? { rejectUnauthorized: options.rejectUnauthorized } : {}),
      ...(options.ca !== undefined ? caContext(options.ca) : {}),
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
      const why = secure.authorizationError as unknown;
      const info: TlsInfo = {
        protocol: secure.getProtocol() ?? null,
        servername: servername ?? null,
        authorized: secure.authorized,
        ...(!secure.authorized && why ? { authorizationError: String((why as NodeJS.ErrnoException).code ?? why) } : {}),
      };
      resolve({ socket: secure, info });
    };
    const onError = (err: Error): void => failWith(handshakeError(err as NodeJS.ErrnoException, host, servername, options));
    const onAbort = (): void =>
      failWith(new DslabError('DSLAB_E_CONNECT_ABORTED', `The TLS handshake with ${host} was aborted.`, { field: 'signal', cause: signal?.reason, hint: 'The caller cancelled the connection.' }));
    const timer = setTimeout(
      () => failWith(new DslabError('DSLAB_E_CONNECT_TIMEOUT', `The TLS handshake with ${host} did not finish in time.`, { field: 'timeoutMs', value: timeoutMs, hint: 'Give it more time (--timeout), or check that the port speaks TLS.' })),
      Math.max(1, timeoutMs),
    );
    secure.once('secureConnect', onSecure);
    secure.once('error', onError);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
