/**
 * The dig parser reads real dig output captured in a lab and the article's sample: status,
 * flags, counts, question, answer and authority sections, server and query time; NXDOMAIN
 * and NODATA; `+short`; and a timeout ("no servers could be reached"), which has no header.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { digFailure, parseDig, parseDigShort } from '../src/experiments/node/parse-dig.js';
import { toolFixture } from './helpers/tool-fixtures.js';

test('real A and AAAA answers from the lab resolver', () => {
  for (const [file, type, data] of [
    ['dig-a-ok.stdout', 'A', '172.30.0.10'],
    ['dig-aaaa-ok.stdout', 'AAAA', 'fd00:dead:beef::10'],
    ['dig-aaaa-badv6.stdout', 'AAAA', 'fd00:dead:beef::9999'],
  ] as const) {
    const d = parseDig(toolFixture(file));
    assert.ok(d, file);
    assert.equal(d.status, 'NOERROR');
    assert.equal(d.opcode, 'QUERY');
    assert.ok(d.flags.includes('qr') && d.flags.includes('aa'), `${file}: ${d.flags.join(' ')}`);
    assert.equal(d.counts?.answer, 1);
    assert.equal(d.question?.type, type);
    assert.deepEqual(d.answers.map((a) => [a.type, a.data]), [[type, data]]);
    assert.equal(d.serverAddress, '172.30.0.53');
    assert.equal(d.transport, 'UDP');
    assert.equal(typeof d.queryTimeMs, 'number');
    assert.ok(d.warnings.some((w) => w.includes('Multicast DNS')), 'the .local warning is kept');
  }
});

test("the article's dig sample parses to its values", () => {
  const d = parseDig(toolFixture('article-dig-a.stdout'));
  assert.ok(d);
  assert.equal(d.status, 'NOERROR');
  assert.equal(d.id, 12345);
  assert.deepEqual(d.flags, ['qr', 'aa', 'rd']);
  assert.deepEqual(d.counts, { query: 1, answer: 1, authority: 0, additional: 1 });
  assert.deepEqual(d.question, { name: 'dual-ok.local.', type: 'A' });
  assert.deepEqual(d.answers, [{ name: 'dual-ok.local.', ttl: 3600, type: 'A', data: '172.30.0.10' }]);
  assert.equal(d.server, '127.0.0.11#53(127.0.0.11)');
  assert.equal(d.serverAddress, '127.0.0.11');
  assert.equal(d.queryTimeMs, 0);
});

test('NXDOMAIN and NODATA: no answer, the SOA in the authority section', () => {
  const nx = parseDig(toolFixture('dig-nxdomain.stdout'));
  assert.equal(nx?.status, 'NXDOMAIN');
  assert.deepEqual(nx?.answers, []);
  assert.equal(nx?.authority[0]?.type, 'SOA');
  const nodata = parseDig(toolFixture('dig-nodata.stdout'));
  // NODATA is NOERROR with an empty answer: the name exists, the type does not
  assert.equal(nodata?.status, 'NOERROR');
  assert.equal(nodata?.counts?.answer, 0);
  assert.deepEqual(nodata?.answers, []);
  assert.equal(nodata?.question?.type, 'MX');
  assert.equal(nodata?.authority[0]?.type, 'SOA');
});

test('a timeout has no header: parseDig is undefined and digFailure says why', () => {
  const text = toolFixture('dig-timeout.stdout');
  assert.equal(parseDig(text), undefined);
  const why = digFailure(text);
  assert.match(why ?? '', /no servers could be reached/);
  assert.match(why ?? '', /timed out/);
  assert.equal(digFailure(toolFixture('dig-a-ok.stdout')), undefined);
});

test('+short: one answer per line, real and the article', () => {
  assert.deepEqual(parseDigShort(toolFixture('dig-short-a.stdout')), ['172.30.0.10']);
  assert.deepEqual(parseDigShort(toolFixture('dig-short-aaaa.stdout')), ['fd00:dead:beef::10']);
  assert.deepEqual(parseDigShort(toolFixture('article-dig-short-a.stdout')), ['172.30.0.10']);
  assert.deepEqual(parseDigShort(toolFixture('article-dig-short-aaaa.stdout')), ['fd00:dead:beef::10']);
  assert.deepEqual(parseDigShort(''), []);
});
