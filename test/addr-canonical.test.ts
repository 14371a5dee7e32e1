/**
 * Canonical forms against RFC 5952's own examples (§2, §4, §5) and the article's, and which
 * rule each explanation says it applied.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainAddress } from '../src/addr/index.js';

const RFC5952: Array<[string[], string, string]> = [
  [
    ['2001:db8:0:0:1:0:0:1', '2001:0db8:0:0:1:0:0:1', '2001:db8::1:0:0:1', '2001:db8::0:1:0:0:1', '2001:0db8::1:0:0:1', '2001:db8:0:0:1::1', '2001:db8:0000:0:1::1', '2001:DB8:0:0:1::1'],
    '2001:db8::1:0:0:1',
    '§1 and §4.2.3: same address, many spellings; equal runs fold the first',
  ],
  [
    ['2001:db8:aaaa:bbbb:cccc:dddd:eeee:0001', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:001', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:01', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:1'],
    '2001:db8:aaaa:bbbb:cccc:dddd:eeee:1',
    '§2.1 / §4.1: leading zeros',
  ],
  [['2001:db8:aaaa:bbbb:cccc:dddd::1', '2001:db8:aaaa:bbbb:cccc:dddd:0:1'], '2001:db8:aaaa:bbbb:cccc:dddd:0:1', '§2.2 / §4.2.2: never :: for one group'],
  [['2001:db8:0:0:0::1', '2001:db8:0:0::1', '2001:db8:0::1', '2001:db8::1'], '2001:db8::1', '§2.2: :: to its maximum'],
  [['2001:db8::aaaa:0:0:1', '2001:db8:0:0:aaaa::1'], '2001:db8::aaaa:0:0:1', '§2.2: first of two equal runs'],
  [['2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:AAAA', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:AaAa'], '2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa', '§2.3 / §4.3: lowercase'],
  [['2001:db8:0:0:0:0:2:1'], '2001:db8::2:1', '§4.2.1'],
  [['2001:db8:0:1:1:1:1:1'], '2001:db8:0:1:1:1:1:1', '§4.2.2'],
  [['2001:0:0:1:0:0:0:1'], '2001:0:0:1::1', '§4.2.3: the longest run'],
  [['::ffff:192.0.2.1', '0:0:0:0:0:ffff:c000:201', '::FFFF:C000:0201'], '::ffff:192.0.2.1', '§5: IPv4-mapped ends in dotted decimal'],
  [['2001:0db8:0000:0000:0000:0000:0000:0001'], '2001:db8::1', 'the article: full form to short form'],
  [['0:0:0:0:0:0:0:1', '::1'], '::1', 'the article: loopback'],
  [['0:0:0:0:0:0:0:0', '::'], '::', 'unspecified'],
  [['1:0:0:0:0:0:0:0'], '1::', 'a trailing run'],
];

for (const [inputs, canonical, why] of RFC5952) {
  test(`RFC 5952 canonical form: ${why}`, () => {
    for (const input of inputs) {
      assert.equal(explainAddress(input).forms.canonical, canonical, `${input} should be written ${canonical}`);
    }
  });
}

test('full form writes every group with four digits', () => {
  assert.equal(explainAddress('fd00:dead:beef::10').forms.full, 'fd00:dead:beef:0000:0000:0000:0000:0010');
  assert.equal(explainAddress('::ffff:192.0.2.1').forms.full, '0000:0000:0000:0000:0000:ffff:c000:0201');
});

const changed = (input: string) =>
  Object.fromEntries(explainAddress(input).forms.rules.map((r) => [r.rule, r.changed]));

test('the explanation says which rules changed the address as written', () => {
  assert.deepEqual(changed('2001:db8::1:0:0:1'), {
    lowercase: false,
    'leading-zeros': false,
    'longest-zero-run': false,
    'single-zero-group': false,
  });
  assert.equal(explainAddress('2001:db8::1:0:0:1').forms.wasCanonical, true);
  const c = changed('2001:DB8:0:0:1::1');
  assert.equal(c['lowercase'], true);
  assert.equal(c['longest-zero-run'], true, 'the :: stood at the second of two equal runs');
  assert.equal(changed('2001:0db8::1')['leading-zeros'], true);
  assert.equal(changed('2001:db8:aaaa:bbbb:cccc:dddd::1')['single-zero-group'], true);
  assert.equal(changed('2001:db8:0:0:0:0:2:1')['longest-zero-run'], true);
  const mapped = explainAddress('::ffff:c000:201').forms.rules.find((r) => r.rule === 'ipv4-dotted');
  assert.equal(mapped?.changed, true);
  assert.match(mapped?.detail ?? '', /192\.0\.2\.1/);
});

test('the tie-break is explained with the runs involved', () => {
  const rule = explainAddress('2001:db8:0:0:1:0:0:1').forms.rules.find((r) => r.rule === 'longest-zero-run');
  assert.match(rule?.detail ?? '', /groups 3-4/);
  assert.match(rule?.detail ?? '', /groups 6-7/);
  assert.match(rule?.detail ?? '', /first/);
});

test('an embedded IPv4 tail outside the mapped prefixes is written in hex', () => {
  const e = explainAddress('64:ff9b::192.0.2.33');
  assert.equal(e.forms.canonical, '64:ff9b::c000:221');
  assert.equal(e.forms.rules.find((r) => r.rule === 'ipv4-dotted')?.changed, true);
});

test('::1.2.3.4 is the deprecated IPv4-compatible form, not IPv4-mapped (RFC 4291 §2.5.5.1)', () => {
  assert.equal(explainAddress('::1.2.3.4').forms.canonical, '::102:304');
  assert.equal(explainAddress('::ffff:0:1.2.3.4').forms.canonical, '::ffff:0:1.2.3.4');
});

test('a zone index is kept on the address but not in the canonical form', () => {
  const e = explainAddress('FE80::0001%eth0');
  assert.equal(e.forms.canonical, 'fe80::1');
  assert.equal(e.address, 'fe80::1%eth0');
  assert.equal(e.zone, 'eth0');
});

test('IPv4 addresses get their mapped and NAT64 forms', () => {
  const e = explainAddress('192.0.2.1');
  assert.equal(e.forms.canonical, '192.0.2.1');
  assert.equal(e.forms.ipv4Mapped, '::ffff:192.0.2.1');
  assert.equal(e.forms.nat64, '64:ff9b::c000:201');
});
