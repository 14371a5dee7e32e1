/**
 * Round trips on a seeded sample where zero runs of every length and position are common:
 * any valid spelling parses to the intended groups, the canonical and full forms parse back
 * to the same address, and the canonical form obeys each RFC 5952 rule (checked here from the
 * groups, not from our output). Replay a failure with DSLAB_ADDR_SEED=<seed>.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ipaddr from 'ipaddr.js';
import { explainAddress, parseAddressInput } from '../src/addr/index.js';
import { sample, sampleSeed } from './helpers/addr-sample.js';

const seed = sampleSeed();
const COUNT = 5000;

function groupsOf(text: string): number[] {
  const p = parseAddressInput(text);
  const out: number[] = [];
  for (let i = 7; i >= 0; i--) out.push(Number((p.value >> BigInt(16 * i)) & 0xffffn));
  return out;
}

test(`round trips over ${COUNT} sampled addresses (seed ${seed})`, () => {
  const lengths = new Set<string>();
  for (const { groups, text } of sample(seed, COUNT)) {
    const where = `${text} (seed ${seed}; replay with DSLAB_ADDR_SEED=${seed})`;
    assert.deepEqual(groupsOf(text), groups, `parse of ${where}`);
    const { forms } = explainAddress(text);
    assert.deepEqual(groupsOf(forms.canonical), groups, `canonical of ${where}`);
    assert.deepEqual(groupsOf(forms.full), groups, `full form of ${where}`);
    assert.equal(explainAddress(forms.canonical).forms.canonical, forms.canonical, `canonical is stable: ${where}`);
    assert.equal(explainAddress(forms.canonical).forms.wasCanonical, true, where);
    assert.match(forms.full, /^[0-9a-f]{4}(:[0-9a-f]{4}){7}$/, where);
    checkRfc5952(groups, forms.canonical, where);
    // the library's own parser agrees on the value of our canonical form
    assert.deepEqual(ipaddr.IPv6.parse(forms.canonical).parts, groups, `ipaddr.js reading of ${where}`);
    const runs = zeroRunsOf(groups);
    for (const r of runs) lengths.add(`${r.start}+${r.length}`);
  }
  // the sample really has zero runs of every length at every position
  for (let length = 1; length <= 8; length++) {
    for (let start = 0; start + length <= 8; start++) assert.ok(lengths.has(`${start}+${length}`), `sample lacks a zero run of ${length} at group ${start} (seed ${seed})`);
  }
});

function zeroRunsOf(groups: number[]): Array<{ start: number; length: number }> {
  const runs: Array<{ start: number; length: number }> = [];
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    runs.push({ start: i, length: j - i });
    i = j;
  }
  return runs;
}

function checkRfc5952(groups: number[], canonical: string, where: string): void {
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  const translated = groups.slice(0, 4).every((g) => g === 0) && groups[4] === 0xffff && groups[5] === 0;
  const hexPart = mapped || translated ? canonical.slice(0, canonical.lastIndexOf(':') + 1) : canonical;
  if (mapped || translated) assert.match(canonical, /\d+\.\d+\.\d+\.\d+$/, `§5 dotted tail: ${where}`);
  assert.equal(canonical, canonical.toLowerCase(), `§4.3 lowercase: ${where}`);
  assert.ok(!/(^|:)0[0-9a-f]/.test(hexPart), `§4.1 no leading zeros: ${where}`);
  assert.ok(canonical.split('::').length <= 2, `one :: at most: ${where}`);
  const considered = mapped || translated ? groups.slice(0, 6) : groups;
  const runs = zeroRunsOf(considered).filter((r) => r.length >= 2);
  const longest = runs.reduce<{ start: number; length: number } | undefined>((b, r) => (!b || r.length > b.length ? r : b), undefined);
  if (!longest) {
    assert.ok(!canonical.includes('::'), `§4.2.2 no :: without a run of two: ${where}`);
    return;
  }
  assert.ok(canonical.includes('::'), `§4.2.1 :: used: ${where}`);
  const [left = '', right = ''] = hexPart.split('::');
  const leftCount = left === '' ? 0 : left.split(':').length;
  assert.equal(leftCount, longest.start, `§4.2.3 :: at the first longest run: ${where}`);
  const rightCount = (right === '' ? 0 : right.split(':').filter((g) => g !== '').length) + (mapped || translated ? 2 : 0);
  assert.equal(8 - leftCount - rightCount, longest.length, `§4.2.1 :: covers the whole run: ${where}`);
}
