/**
 * What the web server answers, as a pure function of one visit: `/` an HTML page naming
 * the family and address the visitor came from, `/whoami` the same as JSON, `/bytes/N` a
 * body of N bytes (up to 64 MiB: to see a rate limit or a large response), 404 otherwise.
 */
import type { FamilyName } from './address.js';
import { hostPort } from './address.js';

export interface Endpoint {
  address: string;
  port: number;
}

export interface Visit {
  method: string;
  /** Request target as sent (`/whoami?x=1`). */
  url: string;
  /** Host header, if any. */
  host: string | undefined;
  family: FamilyName;
  client: Endpoint;
  server: Endpoint;
  node: string;
}

export interface Whoami {
  family: FamilyName;
  client: Endpoint;
  server: Endpoint;
  host: string | null;
  node: string;
}

export interface WebResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function respond(visit: Visit): WebResponse {
  if (visit.method !== 'GET' && visit.method !== 'HEAD') {
    return text(405, `Method ${visit.method} is not allowed here; use GET or HEAD.\n`, { allow: 'GET, HEAD' });
  }
  const path = visit.url.split('?')[0];
  if (path === '/' || path === '/index.html') return html(200, indexPage(visit));
  if (path === '/whoami') return json(200, whoami(visit));
  const bytes = /^\/bytes\/(\d{1,9})$/.exec(path ?? '');
  if (bytes) {
    const n = Number(bytes[1]);
    if (n > MAX_BYTES) return text(400, `/bytes/N takes N up to ${MAX_BYTES} (64 MiB); ${n} is too many.\n`);
    return { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: 'x'.repeat(n) };
  }
  return text(404, `Not found: ${visit.url}. This server answers /, /whoami and /bytes/N.\n`);
}

export const MAX_BYTES = 64 * 1024 * 1024;

export function whoami(visit: Visit): Whoami {
  return { family: visit.family, client: visit.client, server: visit.server, host: visit.host ?? null, node: visit.node };
}

/** One sentence saying how the visitor got here; the page's heart, also useful in tests. */
export function visitSentence(visit: Visit): string {
  return `You reached ${visit.node} over ${visit.family} from ${visit.client.address} port ${visit.client.port}`;
}

function indexPage(visit: Visit): string {
  const e = escapeHtml;
  return [
    '<!DOCTYPE html>',
    '<html>',
    '<head>',
    '<meta charset="utf-8">',
    `<title>dslab ${e(visit.node)}: ${visit.family}</title>`,
    '</head>',
    '<body>',
    `<h1>Welcome to ${e(visit.node)} (dslab)</h1>`,
    `<p>${e(visitSentence(visit))}.</p>`,
    `<p>This server answered on ${e(hostPort(visit.server.address, visit.server.port))}.</p>`,
    '<p>The same as JSON: <a href="/whoami">/whoami</a>.</p>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function html(status: number, body: string): WebResponse {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body };
}

function json(status: number, value: unknown): WebResponse {
  return { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(value) + '\n' };
}

function text(status: number, body: string, extra: Record<string, string> = {}): WebResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...extra }, body };
}
