/**
 * One HTTP/1.1 GET on an already connected socket, for `dslab connect`: resolves with the
 * status line (the seed client's `recv:` line). Listeners and the timer are removed at the end.
 */
import type { Duplex } from 'node:stream';
import { DslabError } from '../errors.js';

export function httpStatusLine(socket: Duplex, host: string, path: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const done = (err: Error | null, line?: string): void => {
      clearTimeout(timer);
      socket.removeListener('data', onData);
      socket.removeListener('error', onError);
      socket.removeListener('end', onEnd);
      if (err) reject(err);
      else resolve(line!);
    };
    const onData = (chunk: Buffer): void => {
      buf += chunk.toString('latin1');
      const end = buf.indexOf('\r\n');
      if (end >= 0) done(null, buf.slice(0, end));
      else if (buf.length > 8192) done(new DslabError('DSLAB_E_CONNECT_FAILED', `The server at ${host} did not answer with an HTTP status line.`, { hint: 'Use --no-http for servers that do not speak HTTP.' }));
    };
    const onError = (err: Error): void => done(new DslabError('DSLAB_E_CONNECT_FAILED', `The HTTP request to ${host} failed: ${err.message}.`, { cause: err, hint: 'Use --no-http to only connect.' }));
    const onEnd = (): void => done(new DslabError('DSLAB_E_CONNECT_FAILED', `The server at ${host} closed the connection before answering.`, { hint: 'Use --no-http for servers that do not speak HTTP.' }));
    const timer = setTimeout(() => done(new DslabError('DSLAB_E_CONNECT_TIMEOUT', `No HTTP answer from ${host} within ${timeoutMs} ms.`, { hint: 'Use --no-http to only connect.' })), timeoutMs);
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('end', onEnd);
    const hostHeader = host.includes(':') ? `[${host}]` : host;
    socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostHeader}\r\nUser-Agent: dslab-connect\r\nConnection: close\r\n\r\n`);
  });
}
