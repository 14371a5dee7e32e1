// Option validation: RFC 8305's bounds on the Connection Attempt Delay, and clear errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeOptions } from '../src/connector/options.js';
import { happyConnect } from '../src/connector/connect.js';
import { isDslabError } from '../src/errors.js';

test('a delay under 10 ms is rejected (RFC 8305 §5 MUST), naming the field and value', () => {
  assert.throws(
    () => normalizeOptions({ host: 'a.local', port: 80, connectionAttemptDelayMs: 9 }),
    (e: unknown) => isDslabError(e, 'DSLAB_E_BAD_OPTION') && e.field === 'connectionAttemptDelayMs' && e.value === 9 && /10 ms/.test(e.message),
  );
});

test('10 to 99 ms is allowed with a warning; 100 ms is not warned about', () => {
  const low = normalizeOptions({ host: 'a.local', port: 80, connectionAttemptDelayMs: 10 });
  assert.equal(low.delayMs, 10);
  assert.equal(low.warnings.length, 1);
  assert.match(low.warnings[0]!, /recommended minimum/);
  assert.deepEqual(normalizeOptions({ host: 'a.local', port: 80, connectionAttemptDelayMs: 100 }).warnings, []);
});

test('over 2 s is capped at 2 s with a warning', () => {
  const o = normalizeOptions({ host: 'a.local', port: 80, connectionAttemptDelayMs: 5000 });
  assert.equal(o.delayMs, 2000);
  assert.match(o.warnings[0]!, /2000/);
});

test('defaults: 250 ms delay, 50 ms resolution delay, count 1, happy; sequential gets a 2 s attempt timeout', () => {
  const o = normalizeOptions({ host: 'a.local', port: 80 });
  assert.deepEqual([o.delayMs, o.resolutionDelayMs, o.firstAddressFamilyCount, o.mode, o.attemptTimeoutMs], [250, 50, 1, 'happy', null]);
  assert.equal(normalizeOptions({ host: 'a.local', port: 80, mode: 'sequential' }).attemptTimeoutMs, 2000);
});

const BAD: Array<[string, Record<string, unknown>]> = [
  ['port', { port: 0 }],
  ['port', { port: 65536 }],
  ['port', { port: 80.5 }],
  ['host', { host: '' }],
  ['host', { host: 'bad host' }],
  ['host', { host: '-x.local' }],
  ['mode', { mode: 'fast' }],
  ['firstAddressFamilyCount', { firstAddressFamilyCount: 0 }],
  ['resolutionDelayMs', { resolutionDelayMs: -1 }],
  ['timeoutMs', { timeoutMs: 0 }],
  ['policy', { policy: 'bsd' }],
  ['dnsServers', { dnsServers: [] }],
  ['connectionAttemptDelayMs', { connectionAttemptDelayMs: Number.NaN }],
];

for (const [field, patch] of BAD) {
  test(`bad ${field} ${JSON.stringify(patch)} is DSLAB_E_BAD_OPTION naming ${field}, before anything is sent`, async () => {
    const before = process.getActiveResourcesInfo().length;
    await assert.rejects(
      // loopback DNS only and no hosts file: were the check missing, nothing would leave the machine's own namespace
      happyConnect({ host: 'a.local', port: 80, dnsServers: ['127.0.0.1:9'], hostsFile: false, ...patch } as never),
      (e: unknown) => isDslabError(e, 'DSLAB_E_BAD_OPTION') && e.field === field && typeof e.hint === 'string',
    );
    assert.equal(process.getActiveResourcesInfo().length, before);
  });
}

test('IP literals in brackets are accepted as hosts', () => {
  assert.equal(normalizeOptions({ host: '[::1]', port: 80 }).host, '::1');
});
