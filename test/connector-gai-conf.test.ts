// gai.conf parsing with glibc's semantics, and choosing the system table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGaiConf, precedenceOf, labelOf, scopeOf, systemTable, tableFromGaiConf, glibcTable, rfc6724Table } from '../src/connector/policy-table.js';

test("glibc's built-in table: no ULA precedence row, IPv4 (mapped) precedence 10, ULA label 6", () => {
  const t = glibcTable();
  assert.equal(precedenceOf(t, 'fd00:dead:beef::10'), 40);
  assert.equal(precedenceOf(t, '172.30.0.10'), 10);
  assert.equal(precedenceOf(t, '::1'), 50);
  assert.equal(precedenceOf(t, '2002::1'), 30);
  assert.equal(labelOf(t, 'fd00:dead:beef::10'), 6);
  assert.equal(labelOf(t, '172.30.0.10'), 4);
  assert.equal(labelOf(t, '2001:0::5'), 7);
  assert.equal(labelOf(t, 'fec0::1'), 5);
});

test("RFC 6724's table: ULA precedence 3 below IPv4's 35", () => {
  const t = rfc6724Table();
  assert.equal(precedenceOf(t, 'fd00:dead:beef::10'), 3);
  assert.equal(precedenceOf(t, '172.30.0.10'), 35);
  assert.equal(labelOf(t, 'fd00:dead:beef::10'), 13);
  assert.equal(labelOf(t, '3ffe::1'), 12);
});

test('scopes: loopback and link-local are 2, site-local 5, the rest global 14 (IPv4 too)', () => {
  const t = glibcTable();
  assert.deepEqual(['::1', 'fe80::1', 'fec0::1', 'fd00::1', '2001:db8::1', '127.0.0.1', '169.254.1.1', '10.0.0.1', '172.30.0.10'].map((a) => scopeOf(t, a)), [2, 2, 5, 14, 14, 2, 2, 14, 14]);
});

test('a gai.conf with only comments leaves glibc\'s table in force and says so', () => {
  const t = tableFromGaiConf(parseGaiConf('# label ::1/128 0\n#precedence ::ffff:0:0/96 100\n\n'), '/etc/gai.conf');
  assert.equal(t.name, 'glibc');
  assert.match(t.origin, /built-in/);
});

test('one precedence line replaces the whole precedence table (plus ::/0 = 40); labels stay glibc\'s', () => {
  const t = tableFromGaiConf(parseGaiConf('precedence ::ffff:0:0/96 100 # prefer IPv4\n'), 'x.conf');
  assert.equal(t.name, 'gai.conf');
  assert.equal(precedenceOf(t, '172.30.0.10'), 100);
  assert.equal(precedenceOf(t, '::1'), 40, 'the ::1 row is gone: the file replaced the table');
  assert.equal(precedenceOf(t, 'fd00::1'), 40);
  assert.equal(labelOf(t, 'fd00::1'), 6);
  assert.match(t.origin, /precedence/);
});

test('label and scopev4 lines, IPv4 and mapped forms; malformed lines are reported and skipped', () => {
  const conf = parseGaiConf(['label fd00::/8 14', 'scopev4 ::ffff:10.0.0.0/104 5', 'scopev4 192.168.0.0/16 5', 'precedence nonsense 3', 'frobnicate 1 2', 'reload yes'].join('\n'));
  assert.deepEqual(conf.labels, [{ prefix: 'fd00::', bits: 8, value: 14 }]);
  assert.deepEqual(conf.scopesV4, [
    { prefix: '10.0.0.0', bits: 8, scope: 5 },
    { prefix: '192.168.0.0', bits: 16, scope: 5 },
  ]);
  assert.deepEqual(conf.ignoredLines, ['precedence nonsense 3', 'frobnicate 1 2']);
  const t = tableFromGaiConf(conf, 'x');
  assert.equal(labelOf(t, 'fd00::1'), 14);
  assert.equal(labelOf(t, '2001:db8::1'), 1, 'only ::/0 is added to a replaced label table');
  assert.equal(scopeOf(t, '10.1.2.3'), 5);
  assert.equal(scopeOf(t, '127.0.0.1'), 14, 'the scope table was replaced too');
});

test('systemTable reads the file it is given, and falls back to glibc when it is absent', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'he-gai-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'gai.conf');
  writeFileSync(file, 'precedence ::ffff:0:0/96 100\n');
  assert.equal(precedenceOf(systemTable(file), '10.0.0.1'), 100);
  const absent = systemTable(join(dir, 'missing.conf'));
  assert.equal(absent.name, 'glibc');
  assert.match(absent.origin, /absent/);
});
