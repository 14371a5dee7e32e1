/**
 * Whatever bytes a lab file holds, parseLab either returns a Topology or throws a
 * DslabError with a DSLAB_E_LAB_* code, a field and a hint: never another exception.
 * The mutations are pseudo-random with a fixed seed, so a failure reproduces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DslabError } from '../src/errors.js';
import { parseLab } from '../src/lab/load.js';
import { packageRoot } from '../src/util/package-root.js';

const PIECES = ['', ' ', ':', '-', '[', ']', '{', '}', '"', '0', '::', '/', '\n', '\t', 'x', '999', 'null', '~', '&a', '*a', '!!str', '%', '.', ',', '#'];

test('1000 mutated lab files give a Topology or a DslabError with field and hint', () => {
  const base = readFileSync(join(packageRoot(), 'examples', 'big.yaml'), 'utf8');
  let seed = 20240601;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const codes = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    let text = base;
    for (let k = 0, n = 1 + Math.floor(rnd() * 3); k < n; k++) {
      const pos = Math.floor(rnd() * text.length);
      text = text.slice(0, pos) + PIECES[Math.floor(rnd() * PIECES.length)] + text.slice(pos + Math.floor(rnd() * 4));
    }
    try {
      parseLab(text, 'mutated.yaml');
    } catch (err) {
      assert.ok(err instanceof DslabError, `mutation ${i} threw ${String(err)} for ${JSON.stringify(text)}`);
      assert.match(err.code, /^DSLAB_E_LAB_/);
      assert.ok(err.field, `mutation ${i}: ${err.code} without field: ${err.message}`);
      assert.ok(err.hint, `mutation ${i}: ${err.code} without hint: ${err.message}`);
      codes.add(err.code);
    }
  }
  // the mutations reach past the YAML parser into the checks of meaning
  assert.ok(codes.size >= 5, `only ${[...codes].join(', ')}`);
});

test('an alias bomb is refused as DSLAB_E_LAB_YAML instead of eating memory', () => {
  const lines = ['a: &a [1,1,1,1,1,1,1,1,1]'];
  for (const [x, y] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e']]) lines.push(`${x}: &${x} [${Array(9).fill(`*${y}`).join(',')}]`);
  assert.throws(() => parseLab(lines.join('\n'), 'bomb.yaml'), { code: 'DSLAB_E_LAB_YAML' });
});
