import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDslabError } from '../src/errors.js';
import { buildWebConfig, parseWebConfig } from '../src/services/web/config.js';
import { articleTopology } from './helpers/lab-fixtures.js';

test('buildWebConfig listens on each exact address of the web node, never a wildcard', () => {
  const topology = articleTopology('webtest');
  const web = topology.nodes.find((n) => n.name === 'web')!;
  const config = buildWebConfig(topology, web);
  assert.equal(config.name, 'web');
  assert.deepEqual(config.listen, [
    { address: '172.30.0.10', port: 80 },
    { address: 'fd00:dead:beef::10', port: 80 },
  ]);
});

test('buildWebConfig follows the port of the lab file', () => {
  const topology = articleTopology('webtest');
  const web = topology.nodes.find((n) => n.name === 'web')!;
  web.web = { server: 'builtin', port: 8080 };
  assert.ok(buildWebConfig(topology, web).listen.every((l) => l.port === 8080));
});

test('buildWebConfig refuses a node without a web service', () => {
  const topology = articleTopology('webtest');
  const client = topology.nodes.find((n) => n.name === 'client')!;
  assert.throws(
    () => buildWebConfig(topology, client),
    (err) => isDslabError(err, 'DSLAB_E_LAB_ROLE') && err.field === 'nodes.client.web',
  );
});

test('parseWebConfig canonicalises addresses and accepts a valid config', () => {
  const config = parseWebConfig({ name: 'web', listen: [{ address: 'FD00:DEAD:BEEF:0:0:0:0:10', port: 80 }] }, 'x.json');
  assert.deepEqual(config.listen, [{ address: 'fd00:dead:beef::10', port: 80 }]);
});

for (const [what, value, field] of [
  ['not an object', [], '(top level)'],
  ['no name', { listen: [{ address: '127.0.0.1', port: 1 }] }, 'name'],
  ['empty listen', { name: 'web', listen: [] }, 'listen'],
  ['bracketed address', { name: 'web', listen: [{ address: '[::1]', port: 80 }] }, 'listen[0].address'],
  ['short IPv4 form', { name: 'web', listen: [{ address: '127.1', port: 80 }] }, 'listen[0].address'],
  ['port too big', { name: 'web', listen: [{ address: '::1', port: 65536 }] }, 'listen[0].port'],
  ['port as string', { name: 'web', listen: [{ address: '::1', port: '80' }] }, 'listen[0].port'],
] as const) {
  test(`parseWebConfig rejects ${what} naming field ${field}`, () => {
    assert.throws(
      () => parseWebConfig(value, 'x.json'),
      (err) => isDslabError(err, 'DSLAB_E_SERVICE_CONFIG') && err.field === field && typeof err.hint === 'string',
    );
  });
}
