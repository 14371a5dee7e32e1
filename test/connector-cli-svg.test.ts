/**
 * `dslab connect --svg FILE` on loopback, through the compiled CLI: the picture of the race is
 * written and holds the attempt that connected; a path that cannot be written is refused with
 * DSLAB_E_BAD_OPTION naming --svg before anything is sent, and nothing is created.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { closeServer, listen } from './helpers/connector-loopback.js';
import { dslab } from './helpers/netns-lab.js';
import { descendants, parseXml } from './helpers/xml-wellformed.js';

const server = await listen('127.0.0.1', 0);
const port = String((server.address() as AddressInfo).port);
let connections = 0;
server.on('connection', () => connections++);
test.after(() => closeServer(server));

test('--svg writes a picture of the race with the attempt that connected', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dslab-connect-svg-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'race.svg');
  const r = await dslab(['connect', '127.0.0.1', port, '--no-http', '--svg', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.includes(`picture of the race: ${file}`), r.stdout);
  const svg = parseXml(readFileSync(file, 'utf8'));
  const lanes = descendants(svg, 'g').filter((g) => (g.attributes['class'] ?? '').split(' ').includes('lane'));
  assert.deepEqual(lanes.map((g) => [g.attributes['data-address'], g.attributes['class']]), [['127.0.0.1', 'lane outcome-connected']]);
  assert.match(svg.children.find((c) => c.name === 'title')!.text, new RegExp(`127\\.0\\.0\\.1:${port}.*winner IPv4 127\\.0\\.0\\.1`));
});

test('--svg with --json keeps stdout pure JSON', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dslab-connect-svg-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'race.svg');
  const r = await dslab(['connect', '127.0.0.1', port, '--no-http', '--json', '--svg', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { winner: { address: string } }).winner.address, '127.0.0.1');
  assert.ok(existsSync(file));
});

test('an --svg path that cannot be written is refused before connecting, and nothing is created', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dslab-connect-svg-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const before = connections;
  for (const bad of [join(dir, 'no-such-folder', 'race.svg'), dir, '']) {
    const r = await dslab(['connect', '127.0.0.1', port, '--no-http', '--json', '--svg', bad]);
    assert.equal(r.code, 2, `exit 2 for ${JSON.stringify(bad)}: ${r.stdout} ${r.stderr}`);
    const err = (JSON.parse(r.stdout) as { error: { code: string; field: string; value: string; hint: string } }).error;
    assert.equal(err.code, 'DSLAB_E_BAD_OPTION');
    assert.equal(err.field, 'svg');
    assert.equal(err.value, bad);
    assert.ok(err.hint.length > 0);
  }
  assert.deepEqual(readdirSync(dir), [], 'no file or folder was made');
  // give a stray connection time to be accepted before saying there was none
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(connections, before, 'nothing was sent');
});
