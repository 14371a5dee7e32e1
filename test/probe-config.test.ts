import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { isDslabError } from '../src/errors.js';
import { parseProbeConfig } from '../src/services/probe/targets.js';
import { serviceMain, tempDir, waitExit } from './helpers/web-tools.js';

test('parseProbeConfig accepts the three kinds of target and canonicalises addresses', () => {
  const config = parseProbeConfig(
    {
      targets: [
        { node: 'web', address: '172.30.0.10', family: 4, tcpPort: 80 },
        { node: 'dns', address: 'FD00:DEAD:BEEF::53', family: 6, dnsPort: 53, dnsName: 'local' },
        { node: 'client', address: 'fd00:dead:beef:0::20', family: 6 },
      ],
      timeoutMs: 1500,
    },
    'p.json',
  );
  assert.equal(config.targets[1]!.address, 'fd00:dead:beef::53');
  assert.equal(config.targets[2]!.address, 'fd00:dead:beef::20');
  assert.equal(config.timeoutMs, 1500);
});

for (const [what, value, field] of [
  ['no targets array', {}, 'targets'],
  ['a target that is not an object', { targets: [7] }, 'targets[0]'],
  ['no node', { targets: [{ address: '::1', family: 6 }] }, 'targets[0].node'],
  ['a hostname for an address', { targets: [{ node: 'a', address: 'web', family: 4 }] }, 'targets[0].address'],
  ['a family that does not match', { targets: [{ node: 'a', address: '::1', family: 4 }] }, 'targets[0].family'],
  ['family as text', { targets: [{ node: 'a', address: '::1', family: 'IPv6' }] }, 'targets[0].family'],
  ['a port out of range', { targets: [{ node: 'a', address: '::1', family: 6, tcpPort: 0 }] }, 'targets[0].tcpPort'],
  ['both methods at once', { targets: [{ node: 'a', address: '::1', family: 6, tcpPort: 80, dnsPort: 53 }] }, 'targets[0]'],
  ['a silly timeout', { targets: [], timeoutMs: 5 }, 'timeoutMs'],
] as const) {
  test(`parseProbeConfig rejects ${what} (field ${field})`, () => {
    assert.throws(
      () => parseProbeConfig(value, 'p.json'),
      (err) => isDslabError(err, 'DSLAB_E_SERVICE_CONFIG') && err.field === field && typeof err.hint === 'string',
    );
  });
}

test('probe main.ts exits 1 on bad input, printing nothing to stdout', async (t) => {
  const dir = await tempDir(t, 'dslab-probe-');
  const config = join(dir, 'probe.json');
  await writeFile(config, JSON.stringify({ targets: [{ node: 'a', address: '300.1.1.1', family: 4 }] }));
  for (const args of [['--config', config], [], ['--config', join(dir, 'missing.json')], ['--config', config, '--timeout', 'soon']]) {
    const child = spawn(process.execPath, [serviceMain('probe'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    assert.equal(await waitExit(child), 1, args.join(' '));
    assert.equal(out, '');
    assert.match(err, /^probe: /);
  }
});
