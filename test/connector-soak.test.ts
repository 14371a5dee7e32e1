// A short soak (the full 10,000 is bench/connector-soak.ts): success, failure and abort mixed,
// then no socket, timer or handle may be left and the heap may not grow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSoak } from '../bench/connector-soak.js';

test('900 mixed connections leave no handle behind and do not grow the heap', { timeout: 120_000 }, async () => {
  const r = await runSoak(900, 30);
  assert.deepEqual(r.unexpected, []);
  assert.deepEqual(r.leakedHandles, {});
  assert.equal(r.connected + r.failed + r.aborted, 900);
  assert.ok(r.failed >= 300 && r.aborted >= 1, JSON.stringify(r));
  assert.ok(r.heapMiB.growth < 8, `heap grew ${r.heapMiB.growth} MiB`);
});
