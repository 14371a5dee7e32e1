/**
 * The library path to a picture: a real `happyConnect()` on loopback, drawn with
 * `renderRaceSvg(raceFromResult(result))`, shows the attempt that connected and the winner.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { happyConnect, raceFromResult, renderRaceSvg } from '../src/index.js';
import { closeServer, listen } from './helpers/connector-loopback.js';
import { descendants, parseXml } from './helpers/xml-wellformed.js';

test('a happyConnect() result becomes a picture with its attempts and winner', async (t) => {
  const server = await listen('127.0.0.1', 0);
  t.after(() => closeServer(server));
  const port = (server.address() as AddressInfo).port;
  const result = await happyConnect({ host: '127.0.0.1', port, cache: false });
  result.socket.destroy();
  const race = raceFromResult(result);
  assert.equal(race.lanes.length, result.attempts.length);
  const svg = parseXml(renderRaceSvg(race));
  const lanes = descendants(svg, 'g').filter((g) => (g.attributes['class'] ?? '').split(' ').includes('lane'));
  assert.deepEqual(lanes.map((g) => [g.attributes['data-address'], g.attributes['class']]), [['127.0.0.1', 'lane outcome-connected']]);
  assert.match(svg.children.find((c) => c.name === 'title')!.text, new RegExp(`winner IPv4 127\\.0\\.0\\.1 after [\\d.]+ ms`));
});
