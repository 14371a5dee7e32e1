/**
 * The --explain texts state the sources' facts, not the article's: RFC 8305 §5's only MUST on
 * the Connection Attempt Delay is a 10 ms floor (100 ms is a recommended minimum), the
 * Resolution Delay is in §3, curl's delay is 200 ms, and whether IPv6 comes first depends on
 * the policy table (RFC 6724's default puts IPv4 before a ULA; glibc's built-in one does not).
 * The texts follow the lab: its web address and whether its IPv6 address is a ULA.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explanation } from '../src/experiments/explain.js';
import { buildPlan } from '../src/experiments/plan.js';
import { loadLab, parseLab } from '../src/lab/load.js';

// a global (non-ULA) prefix, only parsed here: nothing is brought up or sent
const GUA_LAB = `
name: gua
networks: [{ name: n, ipv4: 10.95.0.0/24, ipv6: "2a0e:95::/64" }]
nodes:
  - { name: web, role: web, web: { server: builtin, port: 80 }, addresses: { n: { ipv4: 10.95.0.10, ipv6: "2a0e:95::10" } } }
  - { name: dns, role: dns, addresses: { n: { ipv4: 10.95.0.53, ipv6: "2a0e:95::53" } } }
  - { name: client, role: client, addresses: { n: { ipv4: 10.95.0.20, ipv6: "2a0e:95::20" } } }
records: [{ name: ok.gua.test, a: 10.95.0.10, aaaa: "2a0e:95::10" }]
`;

test('the fallback explanation gives RFC 8305 and curl delays as the sources do', async () => {
  const text = explanation('fallback', buildPlan(await loadLab())).join(' ');
  assert.match(text, /§5 recommends 250 ms/);
  assert.match(text, /MUST NOT be below 10 ms/);
  assert.match(text, /minimum of 100 ms \(a recommendation\)/);
  assert.deepEqual(text.match(/MUST[^.,;]*/g), ['MUST NOT be below 10 ms'], 'the 10 ms floor is the only MUST');
  assert.match(text, /Resolution Delay \(§3, 50 ms/);
  assert.match(text, /curl uses its own 200 ms/);
  assert.match(text, /gives up at its own timeout \(2000 ms, before the kernel does\)/);
});

test('the DNS explanation blames the policy table, not "RFC 6724 prefers IPv6"', async () => {
  const text = explanation('dns', buildPlan(await loadLab())).join(' ');
  assert.match(text, /A holds an IPv4 address/);
  assert.match(text, /AAAA an IPv6 address/);
  assert.match(text, /not a blanket "IPv6 always wins"/);
  assert.match(text, /RFC 6724's own default table ranks a ULA \(fc00::\/7, precedence 3, like fd00:dead:beef::10\) below IPv4 \(precedence 35\)/);
  assert.match(text, /glibc's built-in table .* no ULA row/);
  assert.match(text, /why the article, and this lab, see IPv6 first/);
});

test('the explanations follow a lab with other addresses', () => {
  const plan = buildPlan(parseLab(GUA_LAB, 'gua.yaml'));
  const dns = explanation('dns', plan).join(' ');
  assert.doesNotMatch(dns, /fd00:dead:beef/);
  assert.match(dns, /2a0e:95::10 is not a ULA, so both tables put it before IPv4/);
  assert.doesNotMatch(dns, /this lab, see IPv6 first/);
  assert.match(explanation('connectivity', plan).join(' '), /http:\/\/\[2a0e:95::10\]\//);
});
