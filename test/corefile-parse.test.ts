// The Corefile reader: the article's Corefile gives the lab's records; anything outside the
// subset is an error naming the line; forward is read and reported as not followed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDslabError } from '../src/errors.js';
import { loadLab } from '../src/lab/load.js';
import { corefileRecords, corefileServerConfig, parseCorefile } from '../src/services/dns/corefile.js';
import { packageRoot } from '../src/util/package-root.js';

// The seed article's Corefile, comments and all.
const SEED = `. {
  log
  errors
  hosts {
    # normal case
    172.30.0.10 dual-ok.local           # A record (IPv4)
    fd00:dead:beef::10 dual-ok.local    # AAAA record (IPv6)

    # IPv6 failure
    172.30.0.10 dual-badv6.local        # A record (IPv4)
    fd00:dead:beef::9999 dual-badv6.local  # AAAA record (IPv6): unreachable

    fallthrough
  }
  forward . 1.1.1.1 8.8.8.8
}
`;

function codeAndField(fn: () => unknown): { code: string; field: string | undefined; value: unknown } {
  try {
    fn();
  } catch (err) {
    assert.ok(isDslabError(err), `expected a DslabError, got ${String(err)}`);
    return { code: err.code, field: err.field, value: err.value };
  }
  assert.fail('expected an error');
}

test('the seed Corefile gives the four records of the article', () => {
  const corefile = parseCorefile(SEED);
  assert.equal(corefile.servers.length, 1);
  const s = corefile.servers[0]!;
  assert.deepEqual(s.zones, ['']);
  assert.equal(s.port, 53);
  assert.equal(s.log, true);
  assert.equal(s.errors, true);
  assert.equal(s.fallthrough, true);
  const records = corefileRecords(corefile).map((r) => `${r.name} ${r.type} ${r.address} ${r.ttl}`);
  assert.deepEqual(records, [
    'dual-ok.local A 172.30.0.10 3600',
    'dual-ok.local AAAA fd00:dead:beef::10 3600',
    'dual-badv6.local A 172.30.0.10 3600',
    'dual-badv6.local AAAA fd00:dead:beef::9999 3600',
  ]);
  assert.deepEqual(corefile.notFollowed.map((n) => [n.line, n.directive]), [[15, 'forward']]);
});

test('the root Corefile holds exactly the default lab\'s records', async () => {
  const lab = await loadLab();
  const corefile = parseCorefile(readFileSync(join(packageRoot(), 'Corefile'), 'utf8'));
  const key = (r: { name: string; type: string; address: string; ttl: number }) => `${r.name} ${r.type} ${r.address} ${r.ttl}`;
  assert.deepEqual(corefileRecords(corefile).map(key).sort(), lab.records.map(key).sort());
});

test('server config: all zones of the blocks, both families listening, PTRs for every name of the entries', () => {
  const config = corefileServerConfig(parseCorefile('local:5353 {\n hosts {\n  ttl 30\n  172.30.0.10 a.local b.local\n }\n}\n'));
  assert.deepEqual(config.zones, ['local']);
  assert.deepEqual(config.listen, [
    { address: '0.0.0.0', port: 5353 },
    { address: '::', port: 5353 },
  ]);
  assert.deepEqual(config.records.map((r) => [r.name, r.ttl]), [
    ['a.local', 30],
    ['b.local', 30],
  ]);
  // as the hosts plugin: every name of the address, in file order, with the block's ttl
  assert.deepEqual(config.ptr, [
    { address: '172.30.0.10', name: 'a.local', ttl: 30 },
    { address: '172.30.0.10', name: 'b.local', ttl: 30 },
  ]);
  assert.equal(config.style, 'coredns-hosts');
  assert.equal(config.logQueries, false, 'no log directive');
});

test('addresses are canonical whatever their spelling', () => {
  const records = corefileRecords(parseCorefile('. {\n hosts {\n  FD00:DEAD:BEEF:0:0:0:0:10 Dual-OK.local.\n }\n}\n'));
  assert.deepEqual(records.map((r) => [r.name, r.address]), [['dual-ok.local', 'fd00:dead:beef::10']]);
});

test('anything outside the subset is an error naming the line', () => {
  const cases: Array<[string, string, string]> = [
    ['. {\n  cache 30\n}\n', 'Corefile:2', 'cache 30'],
    ['. {\n  hosts /etc/hosts {\n  }\n}\n', 'Corefile:2', 'hosts /etc/hosts {'],
    ['. {\n  hosts {\n    172.30.0.999 x.local\n  }\n}\n', 'Corefile:3', '172.30.0.999 x.local'],
    ['. {\n  hosts {\n    172.30.0.10\n  }\n}\n', 'Corefile:3', '172.30.0.10'],
    ['. {\n  hosts {\n    reload 5s\n  }\n}\n', 'Corefile:3', 'reload 5s'],
    ['. {\n  log\n', 'Corefile:1', '. {'],
    ['log\n', 'Corefile:1', 'log'],
    ['.:99999 {\n}\n', 'Corefile:1', '.:99999 {'],
    ['. {\n  log stdout\n}\n', 'Corefile:2', 'log stdout'],
    ['. {\n  forward .\n}\n', 'Corefile:2', 'forward .'],
    ['', 'Corefile', undefined as unknown as string],
  ];
  for (const [text, field, value] of cases) {
    const e = codeAndField(() => parseCorefile(text));
    assert.equal(e.code, 'DSLAB_E_COREFILE', text);
    assert.equal(e.field, field, text);
    assert.equal(e.value, value, text);
  }
});
