// The connector under Node's http/https agents and undici's fetch, on loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Agent, fetch } from 'undici';
import { HappyHttpAgent, HappyHttpsAgent } from '../src/connector/http-agent.js';
import { createUndiciConnector } from '../src/connector/undici-connector.js';
import { isDslabError } from '../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'he-agents-'));
const hostsFile = join(dir, 'hosts');
writeFileSync(hostsFile, '::1 dual.test\n127.0.0.1 dual.test\n');
test.after(() => rmSync(dir, { recursive: true, force: true }));

function serve(server: http.Server | https.Server, host: string): Promise<number> {
  return new Promise((resolve) => server.listen({ host, port: 0, ipv6Only: true }, () => resolve((server.address() as AddressInfo).port)));
}
const closeIt = (s: http.Server) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); });
const handler: http.RequestListener = (req, res) => res.end(`hello over ${req.socket.remoteFamily}`);

function get(url: string, agent: http.Agent): Promise<{ status: number; body: string }> {
  const mod = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    mod
      .get(url, { agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

test('http.Agent: requests go through the connector (IPv6 wins, as the table says)', async () => {
  const server = http.createServer(handler);
  const port = await serve(server, '::1');
  const agent = new HappyHttpAgent({}, { hostsFile, cache: false });
  try {
    const r = await get(`http://dual.test:${port}/`, agent);
    assert.deepEqual(r, { status: 200, body: 'hello over IPv6' });
  } finally {
    agent.destroy();
    await closeIt(server);
  }
});

test('http.Agent: a connect failure reaches the request as the connector\'s error', async () => {
  const agent = new HappyHttpAgent({}, { hostsFile, cache: false });
  try {
    await assert.rejects(get('http://dual.test:9/', agent), (e: unknown) => isDslabError(e, 'DSLAB_E_CONNECT_FAILED'));
  } finally {
    agent.destroy();
  }
});

test('undici fetch with the connector: IPv4-only server, so the IPv6 refusal falls back', async () => {
  const server = http.createServer(handler);
  const port = await serve(server, '127.0.0.1');
  const dispatcher = new Agent({ connect: createUndiciConnector({ hostsFile, cache: false }) });
  try {
    const res = await fetch(`http://dual.test:${port}/`, { dispatcher });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'hello over IPv4');
  } finally {
    await dispatcher.close();
    await closeIt(server);
  }
});

const openssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

test('https.Agent and fetch over TLS: servername is the host, the certificate is checked', { skip: openssl ? false : 'openssl is missing (needed to make a test certificate)' }, async () => {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=dual.test', '-addext', 'subjectAltName=DNS:dual.test', '-days', '1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const ca = readFileSync(cert);
  const server = https.createServer({ key: readFileSync(key), cert: ca }, handler);
  const port = await serve(server, '::1');
  const agent = new HappyHttpsAgent({ ca }, { hostsFile, cache: false });
  const dispatcher = new Agent({ connect: createUndiciConnector({ hostsFile, cache: false, tls: { ca } }) });
  try {
    assert.deepEqual(await get(`https://dual.test:${port}/`, agent), { status: 200, body: 'hello over IPv6' });
    const res = await fetch(`https://dual.test:${port}/`, { dispatcher });
    assert.equal(await res.text(), 'hello over IPv6');
    // without the CA the handshake must fail: the certificate really is checked
    const strict = new HappyHttpsAgent({}, { hostsFile, cache: false });
    await assert.rejects(get(`https://dual.test:${port}/`, strict));
    strict.destroy();
  } finally {
    agent.destroy();
    await dispatcher.close();
    await closeIt(server);
  }
});
