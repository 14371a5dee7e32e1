/**
 * The access log line: nginx's "combined" format, then the family and both endpoints, so
 * that a log of the lab shows at a glance which visitor came over which family.
 */
import { hostPort } from './address.js';
import type { Visit } from './respond.js';

export interface LoggedRequest {
  visit: Visit;
  httpVersion: string;
  status: number;
  /** Body bytes sent (0 for HEAD). */
  bytes: number;
  referer: string | undefined;
  userAgent: string | undefined;
  time: Date;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `10/Oct/2000:13:55:36 +0000`, always UTC so that logs compare across machines. */
export function logTime(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** Like nginx: quotes, backslashes and control characters become \xHH so a line stays one line. */
function quoted(s: string | undefined): string {
  if (s === undefined || s === '') return '"-"';
  return '"' + s.replace(/[\x00-\x1f"\\\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`) + '"';
}

export function accessLogLine(r: LoggedRequest): string {
  const v = r.visit;
  return [
    v.client.address,
    '-',
    '-',
    `[${logTime(r.time)}]`,
    quoted(`${v.method} ${v.url} HTTP/${r.httpVersion}`),
    String(r.status),
    String(r.bytes),
    quoted(r.referer),
    quoted(r.userAgent),
    v.family,
    `client=${hostPort(v.client.address, v.client.port)}`,
    `server=${hostPort(v.server.address, v.server.port)}`,
  ].join(' ');
}
