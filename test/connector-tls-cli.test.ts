// `dslab connect --tls` against an HTTPS server with a self-signed certificate on loopback,
// over IPv4 and IPv6: untrusted by default (DSLAB_E_TLS_UNTRUSTED, saying what to do),
// trusted with --ca FILE, unverified with --insecure (and a warning); bad --ca/--insecure
// input is refused before anything is sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dslab } from './helpers/netns-lab.js';

const opensslMissing = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'openssl is missing (needed to make a self-signed test certificate)';
  }
})();

const dir = mkdtempSync(join(tmpdir(), 'he-tls-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

interface Served {
  host: string;
  port: string;
  /** TCP connections the server has accepted: bad input must add none. */
  connections: () => number;
  close: () => Promise<void>;
}

function makeCertificate(name: string, san: string): { key: string; cert: string } {
  const key = join(dir, `${name}-key.pem`);
  const cert = join(dir, `${name}-cert.pem`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${name}`, '-addext', `subjectAltName=${san}`, '-days', '1', '-keyout', key, '-out', cert],
    { stdio: 'ignore' },
  );
  return { key, cert };
}

async function serve(host: string, pair: { key: string; cert: string }): Promise<Served> {
  let count = 0;
  const server = https.createServer({ key: readFileSync(pair.key), cert: readFileSync(pair.cert) }, (_req, res) => res.end('hello'));
  server.on('connection', () => count++);
  // a client that gives up on the certificate resets the handshake: not the server's problem
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen({ host, port: 0, ipv6Only: true }, () => resolve()));
  return {
    host,
    port: String((server.address() as AddressInfo).port),
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (stdout: string): Record<string, any> => JSON.parse(stdout) as Record<string, any>;

test('--tls with a self-signed certificate, over IPv4 and IPv6', { skip: opensslMissing }, async (t) => {
  const pair = makeCertificate('loopback', 'IP:127.0.0.1,IP:::1,DNS:localhost');
  const other = makeCertificate('someone-else', 'DNS:other.test');
  const servers = [await serve('127.0.0.1', pair), await serve('::1', pair)];
  try {
    for (const s of servers) {
      const family = s.host.includes(':') ? 6 : 4;

      await t.test(`IPv${family}: untrusted without --ca: exit 1, DSLAB_E_TLS_UNTRUSTED naming --ca and --insecure`, async () => {
        const r = await dslab(['connect', s.host, s.port, '--tls', '--json', '--no-cache']);
        assert.equal(r.code, 1, r.stderr);
        const j = json(r.stdout);
        assert.equal(j.winner, null);
        assert.equal(j.error.code, 'DSLAB_E_TLS_UNTRUSTED');
        assert.match(j.error.message, /DEPTH_ZERO_SELF_SIGNED_CERT/);
        assert.match(j.error.hint, /--ca FILE/);
        assert.match(j.error.hint, /--insecure/);
        // the TCP race itself succeeded and is still reported
        assert.deepEqual(j.attempts.map((a: { family: number; outcome: string }) => [a.family, a.outcome]), [[family, 'connected']]);
        assert.ok(j.trace.some((e: { type: string }) => e.type === 'tls-failed'));
        const human = await dslab(['connect', s.host, s.port, '--tls', '--no-cache']);
        assert.equal(human.code, 1);
        assert.match(human.stdout, /error: The TLS certificate of .* is not trusted .*\(DSLAB_E_TLS_UNTRUSTED\)/);
      });

      await t.test(`IPv${family}: --ca with the server's certificate: verified, HTTP 200`, async () => {
        const r = await dslab(['connect', s.host, s.port, '--tls', '--ca', pair.cert, '--json', '--no-cache']);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        const j = json(r.stdout);
        assert.deepEqual(j.winner, { address: s.host, family });
        assert.equal(j.tls.authorized, true);
        assert.match(j.tls.protocol, /^TLSv1\.[23]$/);
        assert.equal(j.http.statusLine, 'HTTP/1.1 200 OK');
        assert.deepEqual(j.warnings, []);
        const human = await dslab(['connect', s.host, s.port, '--tls', '--ca', pair.cert, '--no-cache']);
        assert.equal(human.code, 0);
        assert.match(human.stdout, /^tls: TLSv1\.[23], certificate verified$/m);
        assert.match(human.stdout, /connected via IPv\d in [\d.]+ ms \(handshake [\d.]+ ms, TLS [\d.]+ ms\)/);
        assert.match(human.stdout, /^recv: HTTP\/1\.1 200 OK$/m);
      });

      await t.test(`IPv${family}: --ca with a certificate that did not issue the server's: still untrusted`, async () => {
        const r = await dslab(['connect', s.host, s.port, '--tls', '--ca', other.cert, '--json', '--no-cache']);
        assert.equal(r.code, 1);
        const j = json(r.stdout);
        assert.equal(j.error.code, 'DSLAB_E_TLS_UNTRUSTED');
        assert.match(j.error.message, /not even with the CA given/);
      });

      await t.test(`IPv${family}: --insecure connects without verifying and warns`, async () => {
        const r = await dslab(['connect', s.host, s.port, '--tls', '--insecure', '--json', '--no-cache']);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        const j = json(r.stdout);
        assert.equal(j.tls.authorized, false);
        assert.equal(j.tls.authorizationError, 'DEPTH_ZERO_SELF_SIGNED_CERT');
        assert.equal(j.http.statusLine, 'HTTP/1.1 200 OK');
        assert.equal(j.warnings.length, 1);
        assert.match(j.warnings[0], /verification is off/);
        const human = await dslab(['connect', s.host, s.port, '--tls', '--insecure', '--no-cache']);
        assert.equal(human.code, 0);
        assert.match(human.stdout.split('\n')[0]!, /^warning: TLS certificate verification is off \(--insecure/);
        assert.match(human.stdout, /^tls: TLSv1\.[23], certificate NOT verified \(DEPTH_ZERO_SELF_SIGNED_CERT; --insecure\)$/m);
      });
    }

    await t.test('--servername checks the name: a certificate for other names is refused, naming servername', async () => {
      const r = await dslab(['connect', '127.0.0.1', servers[0]!.port, '--tls', '--ca', pair.cert, '--servername', 'wrong.test', '--json', '--no-cache']);
      assert.equal(r.code, 1);
      const j = json(r.stdout);
      assert.equal(j.error.code, 'DSLAB_E_TLS_UNTRUSTED');
      assert.match(j.error.message, /wrong\.test/);
      assert.match(j.error.hint, /--servername/);
    });

    const notPem = join(dir, 'not-a-cert.pem');
    writeFileSync(notPem, 'hello, I am not a certificate\n');
    const brokenPem = join(dir, 'broken.pem');
    writeFileSync(brokenPem, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    const s = servers[0]!;
    const BAD: Array<[string, string[], string, unknown]> = [
      ['--ca FILE that does not exist', ['--tls', '--ca', join(dir, 'missing.pem')], 'ca', join(dir, 'missing.pem')],
      ['--ca FILE without a PEM certificate', ['--tls', '--ca', notPem], 'ca', notPem],
      ['--ca FILE with a broken certificate', ['--tls', '--ca', brokenPem], 'ca', brokenPem],
      ['--ca without --tls', ['--ca', pair.cert], 'ca', pair.cert],
      ['--insecure without --tls', ['--insecure'], 'insecure', true],
      ['--ca and --insecure together', ['--tls', '--ca', pair.cert, '--insecure'], 'insecure', true],
    ];
    for (const [what, args, field, value] of BAD) {
      await t.test(`bad input, ${what}: exit 2, DSLAB_E_BAD_OPTION naming ${field} and the value, nothing sent`, async () => {
        const before = s.connections();
        const r = await dslab(['connect', s.host, s.port, ...args, '--json']);
        assert.equal(r.code, 2, r.stdout + r.stderr);
        const j = json(r.stdout);
        assert.equal(j.error.code, 'DSLAB_E_BAD_OPTION');
        assert.equal(j.error.field, field);
        assert.deepEqual(j.error.value, value);
        assert.ok(j.error.hint);
        const human = await dslab(['connect', s.host, s.port, ...args]);
        assert.equal(human.code, 2);
        assert.match(human.stderr, /DSLAB_E_BAD_OPTION/);
        assert.equal(s.connections(), before, 'bad input must not reach the server');
      });
    }
  } finally {
    for (const s of servers) await s.close();
  }
});
