// The DNS server as the real `dig` sees it (the article's own checks), UDP and TCP, both families.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../src/util/run.js';
import { startDnsServer } from '../src/services/dns/server.js';
import { loopbackConfig, portOf } from './helpers/dns-lab.js';

async function digMissing(): Promise<string | undefined> {
  try {
    await run('dig', ['-v'], { allowFailure: true });
    return undefined;
  } catch {
    return 'dig is not installed (apt-get install dnsutils)';
  }
}

const skip = await digMissing();

async function dig(server: string, port: number, ...args: string[]): Promise<string> {
  const result = await run('dig', [`@${server}`, '-p', String(port), '+time=2', '+tries=1', ...args], { timeoutMs: 10_000 });
  return result.stdout;
}

test('dig +short gets the article answers over UDP and TCP on both families', { skip }, async () => {
  const server = await startDnsServer(loopbackConfig());
  try {
    for (const [family, address] of [[4, '127.0.0.1'], [6, '::1']] as const) {
      const port = portOf(server.addresses(), family);
      for (const transport of ['+notcp', '+tcp']) {
        assert.equal((await dig(address, port, 'dual-ok.local', 'A', '+short', transport)).trim(), '172.30.0.10');
        assert.equal((await dig(address, port, 'dual-ok.local', 'AAAA', '+short', transport)).trim(), 'fd00:dead:beef::10');
        assert.equal((await dig(address, port, 'dual-badv6.local', 'AAAA', '+short', transport)).trim(), 'fd00:dead:beef::9999');
      }
    }
    assert.equal(server.stats().answers.NOERROR, 12);
  } finally {
    await server.close();
  }
});

test('dig shows NOERROR/aa, NODATA, NXDOMAIN, REFUSED and PTR', { skip }, async () => {
  const server = await startDnsServer(loopbackConfig());
  try {
    const port = portOf(server.addresses());
    const full = await dig('127.0.0.1', port, 'dual-ok.local', 'A');
    assert.match(full, /status: NOERROR/);
    assert.match(full, /flags: qr aa rd;/);
    assert.match(full, /^dual-ok\.local\.\s+3600\s+IN\s+A\s+172\.30\.0\.10$/m);

    const nodata = await dig('127.0.0.1', port, 'v4only.local', 'AAAA');
    assert.match(nodata, /status: NOERROR/);
    assert.match(nodata, /ANSWER: 0, AUTHORITY: 1/);
    assert.match(nodata, /^local\.\s+\d+\s+IN\s+SOA\s+dns\.local\. hostmaster\.local\./m);

    assert.match(await dig('127.0.0.1', port, 'missing.local', 'A'), /status: NXDOMAIN/);
    assert.match(await dig('127.0.0.1', port, 'example.com', 'A'), /status: REFUSED/);
    assert.equal((await dig('127.0.0.1', port, '-x', '172.30.0.20', '+short')).trim(), 'client.local.');
    assert.equal((await dig('::1', portOf(server.addresses(), 6), '-x', 'fd00:dead:beef::10', '+short')).trim(), 'web.local.');
  } finally {
    await server.close();
  }
});
