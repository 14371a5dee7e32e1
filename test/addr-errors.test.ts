/**
 * Invalid input is explained, not just refused: each kind of mistake has its own code, names
 * the field and the value, and says how to fix it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DslabError, type ErrorCode } from '../src/errors.js';
import { eui64, explainAddress, generateUla, splitSubnets } from '../src/addr/index.js';

function fails(fn: () => unknown, code: ErrorCode, field: string, message?: RegExp): DslabError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof DslabError, `expected a DslabError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal(caught.field, field);
  assert.ok(caught.hint && caught.hint.length > 10, `a hint for ${code}`);
  if (message) assert.match(caught.message, message);
  return caught;
}

const address = (text: string, code: ErrorCode, message?: RegExp) => {
  const err = fails(() => explainAddress(text), code, 'address', message);
  assert.equal(err.value, text.trim());
  assert.ok(err.message.includes(text.trim()), `the message names the input: ${err.message}`);
  return err;
};

test('the article\'s NG example: "::" may appear only once, with the readings it could have', () => {
  const err = address('2001::1234::5678', 'DSLAB_E_ADDR_DOUBLE_COLON', /only once/);
  const readings = (err.details?.['readings'] ?? []) as string[];
  assert.equal(readings.length, 4);
  assert.ok(readings.includes('2001::1234:0:0:5678'), 'the article\'s OK form is one reading');
  assert.match(err.message, /how many zeros/);
  address('1::2::3::4', 'DSLAB_E_ADDR_DOUBLE_COLON');
});

test('too many groups', () => {
  address('1:2:3:4:5:6:7:8:9', 'DSLAB_E_ADDR_TOO_MANY_GROUPS', /9 groups/);
  address('1:2:3:4::5:6:7:8', 'DSLAB_E_ADDR_TOO_MANY_GROUPS', /at least one zero group/);
  address('1:2:3:4:5:6:7:1.2.3.4', 'DSLAB_E_ADDR_TOO_MANY_GROUPS', /counts as two/);
});

test('too few groups without "::"', () => {
  address('2001:db8:1', 'DSLAB_E_ADDR_TOO_FEW_GROUPS', /3 groups/);
  address('1:2:3:4:5:1.2.3.4', 'DSLAB_E_ADDR_TOO_FEW_GROUPS');
});

test('a group over four hex digits', () => {
  address('2001:db8::12345', 'DSLAB_E_ADDR_GROUP_TOO_LONG', /"12345" has 5 hex digits/);
  const err = address('2001:00db8::1', 'DSLAB_E_ADDR_GROUP_TOO_LONG', /leading zeros/);
  assert.match(err.hint ?? '', /db8/);
});

test('a character that is not hex', () => {
  address('2001:db8::g', 'DSLAB_E_ADDR_BAD_CHARACTER', /"g"/);
  const err = address('[2001:db8::1]', 'DSLAB_E_ADDR_BAD_CHARACTER');
  assert.match(err.hint ?? '', /brackets/);
});

test('a prefix length over 128 (or 32), or not a number', () => {
  address('2001:db8::/129', 'DSLAB_E_ADDR_PREFIX_LENGTH', /over 128/);
  address('10.0.0.0/33', 'DSLAB_E_ADDR_PREFIX_LENGTH', /over 32/);
  address('2001:db8::/', 'DSLAB_E_ADDR_PREFIX_LENGTH', /nothing after/);
  address('2001:db8::/x', 'DSLAB_E_ADDR_PREFIX_LENGTH', /not a decimal/);
  address('10.0.0.0/255.0.255.0', 'DSLAB_E_ADDR_PREFIX_LENGTH', /not contiguous/);
  assert.equal(explainAddress('10.0.0.0/255.255.0.0').prefix?.length, 16, 'a contiguous netmask is accepted');
});

test('a zone index anywhere but on a link-local address', () => {
  address('2001:db8::1%eth0', 'DSLAB_E_ADDR_ZONE', /only on a link-local/);
  address('fd00:dead:beef::10%eth0', 'DSLAB_E_ADDR_ZONE');
  address('ff0e::1%eth0', 'DSLAB_E_ADDR_ZONE');
  address('192.0.2.1%eth0', 'DSLAB_E_ADDR_ZONE', /IPv4/);
  address('fe80::1%', 'DSLAB_E_ADDR_ZONE', /empty/);
  address('2001:db8::/64%eth0', 'DSLAB_E_ADDR_ZONE', /only on a link-local/);
  const late = address('fe80::1/64%eth0', 'DSLAB_E_ADDR_ZONE', /before the "\/"/);
  assert.match(late.hint ?? '', /fe80::1%eth0\/64/);
  assert.equal(explainAddress('fe80::1%eth0/64').prefix?.prefix, 'fe80::/64');
  assert.equal(explainAddress('fe80::1%eth0').zone, 'eth0');
  assert.equal(explainAddress('ff02::1%2').zone, '2');
});

test('IPv4 mistakes, also inside IPv6', () => {
  address('192.0.2', 'DSLAB_E_ADDR_IPV4', /exactly four/);
  address('192.0.2.256', 'DSLAB_E_ADDR_IPV4', /over 255/);
  address('010.0.0.1', 'DSLAB_E_ADDR_IPV4', /octal/);
  address('1.2.3.4a', 'DSLAB_E_ADDR_IPV4', /not a decimal/);
  address('::ffff:1.2.3', 'DSLAB_E_ADDR_IPV4');
  address('1.2.3.4::', 'DSLAB_E_ADDR_IPV4', /last 32 bits/);
});

test('other malformed input', () => {
  fails(() => explainAddress('   '), 'DSLAB_E_ADDR_INVALID', 'address', /empty/);
  address('hello', 'DSLAB_E_ADDR_INVALID', /neither/);
  address('2001:db8:::1', 'DSLAB_E_ADDR_INVALID', /":::"/);
  address(':1::2', 'DSLAB_E_ADDR_INVALID', /single ":"/);
  address('1::2:', 'DSLAB_E_ADDR_INVALID', /single ":"/);
  address('1::/64/64', 'DSLAB_E_ADDR_INVALID');
});

test('eui64: bad MAC addresses and prefixes that are not /64', () => {
  fails(() => eui64('52:54:00:12:34'), 'DSLAB_E_ADDR_MAC', 'mac', /10 hex digits/);
  fails(() => eui64('52:54:00:12:34:5g'), 'DSLAB_E_ADDR_MAC', 'mac', /"g"/);
  fails(() => eui64('52:54-00:12:34:56'), 'DSLAB_E_ADDR_MAC', 'mac');
  fails(() => eui64('01:00:5e:00:00:01'), 'DSLAB_E_ADDR_MAC', 'mac', /group/);
  fails(() => eui64('52:54:00:12:34:56', '2001:db8::/56'), 'DSLAB_E_ADDR_PREFIX_LENGTH', 'prefix', /only in a \/64/);
  fails(() => eui64('52:54:00:12:34:56', '2001:db8::/80'), 'DSLAB_E_ADDR_PREFIX_LENGTH', 'prefix', /too few/);
  fails(() => eui64('52:54:00:12:34:56', '2001:db8::'), 'DSLAB_E_ADDR_PREFIX_LENGTH', 'prefix', /no prefix length/);
  fails(() => eui64('52:54:00:12:34:56', '10.0.0.0/8'), 'DSLAB_E_ADDR_INVALID', 'prefix', /IPv6 only/);
  fails(() => eui64('52:54:00:12:34:56', '2001:db8::1::/64'), 'DSLAB_E_ADDR_DOUBLE_COLON', 'prefix');
});

test('ula: the subnet ID must be decimal 0-65535', () => {
  fails(() => generateUla({ subnet: '65536' }), 'DSLAB_E_ADDR_SUBNET', 'subnet', /65535/);
  fails(() => generateUla({ subnet: '0x10' }), 'DSLAB_E_ADDR_SUBNET', 'subnet', /decimal/);
  fails(() => generateUla({ subnet: -1 }), 'DSLAB_E_ADDR_SUBNET', 'subnet');
});

test('subnet: the new length must fit', () => {
  fails(() => splitSubnets('2001:db8::/48', 32), 'DSLAB_E_ADDR_SUBNET', 'newlen', /larger/);
  fails(() => splitSubnets('2001:db8::/48', 129), 'DSLAB_E_ADDR_PREFIX_LENGTH', 'newlen', /over 128/);
  fails(() => splitSubnets('10.0.0.0/8', 33), 'DSLAB_E_ADDR_PREFIX_LENGTH', 'newlen', /over 32/);
  fails(() => splitSubnets('2001:db8::/48', 'x'), 'DSLAB_E_ADDR_PREFIX_LENGTH', 'newlen');
  fails(() => splitSubnets('2001:db8::', 64), 'DSLAB_E_ADDR_PREFIX_LENGTH', 'prefix', /no prefix length/);
});
