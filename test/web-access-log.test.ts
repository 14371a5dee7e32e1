import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accessLogLine } from '../src/services/web/access-log.js';
import { startWebServer } from '../src/services/web/server.js';
import { ipv6Loopback } from './helpers/web-tools.js';
import { loopbackWebConfig } from './helpers/web-lab.js';

test('every request writes one combined-format line with the family', async (t) => {
  const v6 = await ipv6Loopback();
  const lines: string[] = [];
  const server = await startWebServer(loopbackWebConfig(v6), { log: (l) => lines.push(l) });
  t.after(() => server.close());
  const [a4, a6] = server.addresses();
  assert.ok(a4);
  await (await fetch(`http://127.0.0.1:${a4.port}/whoami`, { headers: { 'user-agent': 'dslab-test' } })).text();
  if (a6) await (await fetch(`http://[::1]:${a6.port}/missing`)).text();
  await server.close();
  assert.equal(lines.length, a6 ? 2 : 1);
  assert.match(
    lines[0]!,
    new RegExp(`^127\\.0\\.0\\.1 - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000\\] "GET /whoami HTTP/1\\.1" 200 \\d+ "-" "dslab-test" IPv4 client=127\\.0\\.0\\.1:\\d+ server=127\\.0\\.0\\.1:${a4.port}$`),
  );
  if (a6) assert.match(lines[1]!, new RegExp(`^::1 - - \\[.*\\] "GET /missing HTTP/1\\.1" 404 \\d+ .* IPv6 client=\\[::1\\]:\\d+ server=\\[::1\\]:${a6.port}$`));
});

test('log lines escape quotes and control characters so one request stays one line', () => {
  const line = accessLogLine({
    visit: {
      method: 'GET',
      url: '/a"b',
      host: undefined,
      family: 'IPv6',
      client: { address: 'fd00:dead:beef::20', port: 40000 },
      server: { address: 'fd00:dead:beef::10', port: 80 },
      node: 'web',
    },
    httpVersion: '1.1',
    status: 404,
    bytes: 10,
    referer: undefined,
    userAgent: 'evil\nagent',
    time: new Date(Date.UTC(2000, 9, 10, 13, 55, 36)),
  });
  assert.equal(
    line,
    'fd00:dead:beef::20 - - [10/Oct/2000:13:55:36 +0000] "GET /a\\x22b HTTP/1.1" 404 10 "-" "evil\\x0Aagent" IPv6 client=[fd00:dead:beef::20]:40000 server=[fd00:dead:beef::10]:80',
  );
});
