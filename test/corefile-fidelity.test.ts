/**
 * dslab's DNS stands in for CoreDNS: for the article's own Corefile (test/fixtures/article,
 * copied from the article), `main.js -conf` and `dslab up --corefile` give the same answers,
 * query by query, and those are what CoreDNS's hosts plugin sends (plugin/hosts/hosts.go): the
 * listed A/AAAA answers with the hosts TTL, NOERROR without answer or SOA for another type of a
 * listed name (also ANY), SERVFAIL for a name it does not list (no node names invented, no SOA),
 * PTR to every name of an address. `ttl` and `no_reverse` are honoured and a Corefile without
 * `log` logs no queries (pure checks against the zone table; lab cf1, namespace cf2-conf).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runInNode } from '../src/backends/netns/exec.js';
import { parseDig } from '../src/experiments/node/parse-dig.js';
import { corefileServerConfig, parseCorefile } from '../src/services/dns/corefile.js';
import { applyCorefile } from '../src/services/dns/corefile-lab.js';
import { ZoneTable } from '../src/services/dns/zone.js';
import { packageRoot } from '../src/util/package-root.js';
import { run } from '../src/util/run.js';
import { labTopology, netnsSkipReason, withLab } from './helpers/netns-lab.js';
import { startConfServer } from './helpers/conf-server.js';

const ARTICLE_COREFILE = join(packageRoot(), 'test', 'fixtures', 'article', 'Corefile');
const LAB = 'cf1';
const NS = 'cf2-conf';

/** The questions and, for each, what CoreDNS's hosts plugin answers with the article's Corefile. */
const EXPECTED: Array<[string, string, string]> = [
  ['dual-ok.local', 'A', 'NOERROR aa | dual-ok.local. 3600 A 172.30.0.10'],
  ['dual-ok.local', 'AAAA', 'NOERROR aa | dual-ok.local. 3600 AAAA fd00:dead:beef::10'],
  ['DUAL-OK.local', 'A', 'NOERROR aa | DUAL-OK.local. 3600 A 172.30.0.10'],
  ['dual-badv6.local', 'A', 'NOERROR aa | dual-badv6.local. 3600 A 172.30.0.10'],
  ['dual-badv6.local', 'AAAA', 'NOERROR aa | dual-badv6.local. 3600 AAAA fd00:dead:beef::9999'],
  ['dual-ok.local', 'MX', 'NOERROR aa | (no answer, no authority)'],
  ['dual-ok.local', 'TXT', 'NOERROR aa | (no answer, no authority)'],
  ['dual-ok.local', 'ANY', 'NOERROR aa | (no answer, no authority)'],
  ['web.local', 'A', 'SERVFAIL | (no answer, no authority)'],
  ['dns.local', 'AAAA', 'SERVFAIL | (no answer, no authority)'],
  ['local', 'SOA', 'SERVFAIL | (no answer, no authority)'],
  ['no-such.local', 'A', 'SERVFAIL | (no answer, no authority)'],
  ['example.com', 'A', 'SERVFAIL | (no answer, no authority)'],
  ['10.0.30.172.in-addr.arpa', 'PTR', 'NOERROR aa | 10.0.30.172.in-addr.arpa. 3600 PTR dual-ok.local. ; 10.0.30.172.in-addr.arpa. 3600 PTR dual-badv6.local.'],
  ['9.9.9.9.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.f.e.e.b.d.a.e.d.0.0.d.f.ip6.arpa', 'PTR', 'NOERROR aa | 9.9.9.9.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.f.e.e.b.d.a.e.d.0.0.d.f.ip6.arpa. 3600 PTR dual-badv6.local.'],
  ['53.0.30.172.in-addr.arpa', 'PTR', 'SERVFAIL | (no answer, no authority)'],
  ['10.0.30.172.in-addr.arpa', 'A', 'SERVFAIL | (no answer, no authority)'],
];

/** status, aa, and the answer records of one dig run, in one comparable line. */
function summary(stdout: string): string {
  const d = parseDig(stdout);
  assert.ok(d, `dig printed no answer: ${stdout}`);
  const head = `${d.status}${d.flags.includes('aa') ? ' aa' : ''}`;
  const body = d.answers.length === 0 && d.authority.length === 0 ? '(no answer, no authority)' : [...d.answers, ...d.authority].map((r) => `${r.name} ${r.ttl} ${r.type} ${r.data}`).join(' ; ');
  return `${head} | ${body}`;
}

const digArgs = (server: string, name: string, type: string) => ['dig', '+norecurse', '+time=2', '+tries=1', `@${server}`, name, type];

test('the article\'s Corefile: -conf and up --corefile answer as CoreDNS\'s hosts plugin, query by query', { skip: netnsSkipReason(['dig']) }, async (t) => {
  // 1. main.js -conf, in a namespace of the test's own
  const server = await startConfServer(t, NS, ARTICLE_COREFILE);
  assert.match(server.stderr(), /names the hosts entries do not list get SERVFAIL/, 'the notice says what really happens');
  const conf: string[] = [];
  for (const [name, type] of EXPECTED) conf.push(summary((await run('ip', ['netns', 'exec', NS, ...digArgs('::1', name, type)])).stdout));
  assert.match(server.stderr(), /"A IN dual-ok\.local\. udp/, 'the Corefile has log: queries are logged');
  await server.stop();

  // 2. the lab as `dslab up --corefile` builds it, dig in the client node
  const topology = (await applyCorefile(await labTopology(LAB), ARTICLE_COREFILE)).topology;
  const fromUp = await withLab(LAB, topology, async () => {
    const out: string[] = [];
    for (const [name, type] of EXPECTED) out.push(summary((await runInNode(LAB, 'client', digArgs('fd00:dead:beef::53', name, type))).stdout));
    return out;
  });

  EXPECTED.forEach(([name, type, want], i) => {
    assert.equal(conf[i], want, `-conf: ${name} ${type}`);
    assert.equal(fromUp[i], want, `up --corefile: ${name} ${type}`);
  });
});

test('hosts options: ttl and no_reverse are honoured; CoreDNS\'s ttl range is enforced', () => {
  const text = readFileSync(ARTICLE_COREFILE, 'utf8').replace('    fallthrough', '    ttl 60\n    no_reverse\n    fallthrough');
  const table = new ZoneTable(corefileServerConfig(parseCorefile(text)));
  assert.deepEqual(table.lookup('dual-ok.local', 'A').answers.map((r) => r.ttl), [60]);
  assert.equal(table.lookup('10.0.30.172.in-addr.arpa', 'PTR').rcode, 'SERVFAIL', 'no_reverse: no PTR');
  const plain = new ZoneTable(corefileServerConfig(parseCorefile(readFileSync(ARTICLE_COREFILE, 'utf8').replace('    fallthrough', '    ttl 60\n    fallthrough'))));
  assert.deepEqual(plain.lookup('10.0.30.172.in-addr.arpa', 'PTR').answers.map((r) => `${r.ttl} ${String(r.data)}`), ['60 dual-ok.local', '60 dual-badv6.local'], 'PTRs carry the hosts ttl');
  for (const bad of ['0', '65536']) {
    assert.throws(() => parseCorefile(text.replace('ttl 60', `ttl ${bad}`)), /1 to 65535/, `ttl ${bad}`);
  }
});

test('a Corefile without log logs no queries (start and stop still are)', { skip: netnsSkipReason(['dig']) }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dslab-cf3-'));
  const ns = 'cf3-conf';
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'Corefile');
  writeFileSync(file, readFileSync(ARTICLE_COREFILE, 'utf8').replace(/^\s*log\s*$/m, ''));
  assert.equal(parseCorefile(readFileSync(file, 'utf8')).servers[0]!.log, false);
  const server = await startConfServer(t, ns, file);
  const r = await run('ip', ['netns', 'exec', ns, ...digArgs('127.0.0.1', 'dual-ok.local', 'A')]);
  assert.equal(summary(r.stdout), 'NOERROR aa | dual-ok.local. 3600 A 172.30.0.10', 'it still answers');
  await server.stop();
  assert.match(server.stderr(), /listening on/);
  assert.doesNotMatch(server.stderr(), /dual-ok\.local/, `no query line: ${server.stderr()}`);
});
