/**
 * dslab's own HTTP GET to a literal address: asks the web node's `/whoami`, which says from
 * which address and family the visit came, so that "IPv6 worked" is the server's word.
 */
import { request } from 'node:http';

export interface HttpGetResult {
  statusLine: string;
  status: number;
  body: string;
  /** The connection's local and remote ends, as the client saw them. */
  local?: { address: string; port: number };
  remote?: { address: string; port: number };
}

export function httpGet(address: string, port: number, path: string, timeoutMs = 3000): Promise<HttpGetResult> {
  return new Promise((resolve, reject) => {
    const req = request({ host: address, port, path, method: 'GET', timeout: timeoutMs, agent: false, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        if (body.length < 65536) body += c;
      });
      res.on('end', () => {
        const s = res.socket;
        resolve({
          statusLine: `HTTP/${res.httpVersion} ${res.statusCode ?? 0} ${res.statusMessage ?? ''}`.trim(),
          status: res.statusCode ?? 0,
          body,
          ...(s?.localAddress ? { local: { address: s.localAddress, port: s.localPort ?? 0 } } : {}),
          ...(s?.remoteAddress ? { remote: { address: s.remoteAddress, port: s.remotePort ?? 0 } } : {}),
        });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${address} port ${port} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

export interface WhoamiView {
  family: string;
  client: { address: string; port: number };
  server: { address: string; port: number };
}

/** The `/whoami` answer, or undefined when the server is not dslab's (nginx's page). */
export function parseWhoami(body: string): WhoamiView | undefined {
  try {
    const j = JSON.parse(body) as Partial<WhoamiView>;
    if (typeof j.family === 'string' && j.client && j.server) return j as WhoamiView;
  } catch {
    // not JSON
  }
  return undefined;
}
