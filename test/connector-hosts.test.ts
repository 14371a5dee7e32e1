// The hosts file is read before DNS, as the system resolver does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookupHostsText } from '../src/connector/hosts-file.js';

const HOSTS = `
127.0.0.1   localhost
::1         localhost ip6-localhost   # loopback
172.30.0.10 web.lab Web.Other
fd00:dead:beef::10 web.lab
# 10.0.0.1 web.lab
fe80::1%eth0 linky
999.1.1.1 broken.lab
`;

test('both families of a name, in file order, case-insensitive, comments ignored', () => {
  assert.deepEqual(lookupHostsText(HOSTS, 'web.lab'), [
    { address: '172.30.0.10', family: 4 },
    { address: 'fd00:dead:beef::10', family: 6 },
  ]);
  assert.deepEqual(lookupHostsText(HOSTS, 'WEB.other.'), [{ address: '172.30.0.10', family: 4 }]);
  assert.deepEqual(lookupHostsText(HOSTS, 'localhost'), [
    { address: '127.0.0.1', family: 4 },
    { address: '::1', family: 6 },
  ]);
});

test('unknown names and malformed addresses give nothing; a zone index is dropped', () => {
  assert.deepEqual(lookupHostsText(HOSTS, 'nowhere.lab'), []);
  assert.deepEqual(lookupHostsText(HOSTS, 'broken.lab'), []);
  assert.deepEqual(lookupHostsText(HOSTS, 'linky'), [{ address: 'fe80::1', family: 6 }]);
});
