// The winner cache: TTL, RTT history, and forgetting when the machine's addresses change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HappyCache, delayFromRtts } from '../src/connector/cache.js';

test('an entry lives for the TTL and is gone after it', () => {
  let now = 1000;
  const cache = new HappyCache({ ttlMs: 600_000, now: () => now, fingerprint: () => 'same' });
  cache.remember('Dual.local', 80, '172.30.0.10', 4, 0.4);
  assert.equal(cache.get('dual.local', 80)?.address, '172.30.0.10');
  assert.equal(cache.get('dual.local', 443), undefined, 'keyed by port too');
  now += 600_000;
  assert.ok(cache.get('dual.local', 80));
  now += 1;
  assert.equal(cache.get('dual.local', 80), undefined);
});

test('a change of the machine\'s addresses forgets everything', () => {
  let fp = 'eth0/172.30.0.20/24';
  const cache = new HappyCache({ fingerprint: () => fp });
  cache.remember('dual.local', 80, 'fd00:dead:beef::10', 6, 0.3);
  assert.ok(cache.get('dual.local', 80));
  fp = 'eth0/172.30.0.21/24';
  assert.equal(cache.get('dual.local', 80), undefined);
  assert.equal(cache.size, 0);
});

test('RTTs accumulate for the same winner (at most 8) and restart when the winner changes', () => {
  const cache = new HappyCache({ fingerprint: () => 'x' });
  for (let i = 1; i <= 10; i++) cache.remember('h', 80, '::1', 6, i);
  assert.deepEqual(cache.get('h', 80)?.rttsMs, [3, 4, 5, 6, 7, 8, 9, 10]);
  cache.remember('h', 80, '127.0.0.1', 4, 2);
  assert.deepEqual(cache.get('h', 80)?.rttsMs, [2]);
});

test('a delay derived from RTTs stays within 100 ms and 2 s', () => {
  assert.equal(delayFromRtts([]), undefined);
  assert.equal(delayFromRtts([0.2, 0.5]), 100);
  assert.equal(delayFromRtts([80, 120]), 240);
  assert.equal(delayFromRtts([5000]), 2000);
});
