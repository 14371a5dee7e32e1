// RFC 8305 §4 family interleaving with a First Address Family Count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interleaveFamilies } from '../src/connector/interleave.js';

const list = (spec: string) => spec.split(' ').filter(Boolean).map((s, i) => ({ family: (s === '6' ? 6 : 4) as 4 | 6, id: i }));
const families = (xs: Array<{ family: 4 | 6 }>) => xs.map((x) => x.family).join(' ');

const CASES: Array<[string, number, string]> = [
  ['6 6 6 4 4 4', 1, '6 4 6 4 6 4'],
  ['6 6 6 4 4', 2, '6 6 4 6 4'], // the RFC's own example for a count of 2
  ['4 4 6 6', 1, '4 6 4 6'],
  ['6 6 6', 1, '6 6 6'],
  ['4', 1, '4'],
  ['', 1, ''],
  ['6 4 4 4 4', 1, '6 4 4 4 4'],
  ['6 6 6 6 4', 3, '6 6 6 4 6'],
  ['6 6 4', 5, '6 6 4'],
];

for (const [input, count, expected] of CASES) {
  test(`interleave [${input}] with First Address Family Count ${count} -> [${expected}]`, () => {
    const out = interleaveFamilies(list(input), count);
    assert.equal(families(out), expected);
    // within a family the sorted order is kept
    for (const f of [4, 6]) {
      const ids = out.filter((x) => x.family === f).map((x) => x.id);
      assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
    }
  });
}
