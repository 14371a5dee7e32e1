/**
 * Every malformed lab file in test/fixtures/labs/bad/ is rejected with the code and field
 * its first line names; the message names the field and the value, and a hint says what
 * would be valid.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDslabError } from '../src/errors.js';
import { parseLab } from '../src/lab/load.js';
import { showValue } from '../src/lab/problem.js';
import { badLabFixtures } from './helpers/lab-fixtures.js';

/** The codes a lab file's content can earn (DSLAB_E_LAB_FILE is about reading it). */
const CONTENT_CODES = [
  'DSLAB_E_LAB_YAML',
  'DSLAB_E_LAB_UNKNOWN_KEY',
  'DSLAB_E_LAB_TYPE',
  'DSLAB_E_LAB_NAME',
  'DSLAB_E_LAB_ADDRESS',
  'DSLAB_E_LAB_SUBNET',
  'DSLAB_E_LAB_OUTSIDE_SUBNET',
  'DSLAB_E_LAB_DUPLICATE',
  'DSLAB_E_LAB_OVERLAP',
  'DSLAB_E_LAB_FAMILY',
  'DSLAB_E_LAB_REFERENCE',
  'DSLAB_E_LAB_RECORD',
  'DSLAB_E_LAB_ROLE',
  'DSLAB_E_LAB_INVALID',
  'DSLAB_E_LAB_RESERVED',
];

const fixtures = badLabFixtures();

test('there are at least 30 malformed lab files, covering every content error code', () => {
  assert.ok(fixtures.length >= 30, `only ${fixtures.length} fixtures`);
  const covered = new Set(fixtures.map((f) => f.code));
  for (const code of CONTENT_CODES) assert.ok(covered.has(code), `no fixture expects ${code}`);
});

for (const fx of fixtures) {
  test(`${fx.file} is rejected with ${fx.code} at ${fx.field}`, () => {
    let caught: unknown;
    try {
      parseLab(fx.text, fx.file);
    } catch (err) {
      caught = err;
    }
    assert.ok(isDslabError(caught), `expected a DslabError, got ${String(caught)}`);
    assert.equal(caught.code, fx.code, caught.message);
    assert.equal(caught.field, fx.field, caught.message);
    assert.ok(caught.message.startsWith(fx.file), `the message names the file: ${caught.message}`);
    if (fx.code !== 'DSLAB_E_LAB_YAML') {
      assert.ok(caught.message.includes(fx.field), `the message names the field: ${caught.message}`);
      if (caught.value !== undefined) {
        assert.ok(caught.message.includes(showValue(caught.value)), `the message names the value: ${caught.message}`);
      }
    }
    assert.ok(caught.hint && caught.hint.length > 10, 'a hint says what would be valid');
    assert.match(String(caught.details?.['line'] ?? 'none'), /^\d+$|^none$/);
  });
}

test('a YAML error gives the line and column where the parser stopped', () => {
  const fx = fixtures.find((f) => f.file === 'yaml-duplicate-key.yaml');
  assert.ok(fx);
  assert.throws(
    () => parseLab(fx.text, 'dup.yaml'),
    (err: unknown) => isDslabError(err, 'DSLAB_E_LAB_YAML') && err.details?.['line'] === 4 && /line 4, column 1/.test(err.message),
  );
});

test('a content error points at the line of the offending value', () => {
  const fx = fixtures.find((f) => f.file === 'outside-subnet-ipv4.yaml');
  assert.ok(fx);
  const line = fx.text.split('\n').findIndex((l) => l.includes('172.31.0.10')) + 1;
  assert.throws(
    () => parseLab(fx.text, 'x.yaml'),
    (err: unknown) => isDslabError(err, 'DSLAB_E_LAB_OUTSIDE_SUBNET') && err.details?.['line'] === line,
  );
});

test('shape problems are all listed in details.problems, unknown keys first', () => {
  const text = 'networks: [{name: n, ipv4: 10.0.0.0/24, ipv5: x}]\nnodes: [{name: a, role: 7, addresses: {n: {ipv4: 10.0.0.5}}}]\n';
  try {
    parseLab(text, 'x.yaml');
    assert.fail('accepted');
  } catch (err) {
    assert.ok(isDslabError(err, 'DSLAB_E_LAB_UNKNOWN_KEY'));
    const problems = err.details?.['problems'] as Array<{ code: string; field: string }>;
    assert.deepEqual(
      problems.map((p) => [p.code, p.field]),
      [
        ['DSLAB_E_LAB_UNKNOWN_KEY', 'networks[0].ipv5'],
        ['DSLAB_E_LAB_ROLE', 'nodes[0].role'],
      ],
    );
  }
});
