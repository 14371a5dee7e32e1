// The soak of the issue, in `npm test` (so CI runs it): 10,000 connections mixing success,
// failure and abort (half through a loopback DNS server), then no socket, timer, handle or
// file descriptor may be left and the heap may not grow. bench/connector-soak.ts is the same
// as a script.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSoak } from '../bench/connector-soak.js';

test('10,000 mixed connections leave no handle or descriptor behind and do not grow the heap', { timeout: 300_000 }, async () => {
  const r = await runSoak(10_000, 50);
  assert.deepEqual(r.unexpected, []);
  assert.deepEqual(r.leakedHandles, {});
  if (r.leakedFds !== null) assert.ok(r.leakedFds <= 0, `${r.leakedFds} file descriptor(s) left open`);
  assert.equal(r.connected + r.failed + r.aborted, 10_000);
  assert.ok(r.failed >= 3000 && r.aborted >= 1, JSON.stringify(r));
  assert.ok(r.heapMiB.growth < 4, `heap grew ${r.heapMiB.growth} MiB`);
  assert.ok(r.ok);
});
