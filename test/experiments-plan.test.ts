/**
 * The plan follows the lab: the "ok" and "broken IPv6" names are found from the records and
 * the nodes, names with delayed or dropped answers are left to other experiments, and a lab
 * without a client is refused with a stable code.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDslabError } from '../src/errors.js';
import { parseLab } from '../src/lab/load.js';
import { buildPlan } from '../src/experiments/plan.js';

const BASE = `
name: plantest
networks:
  - { name: n, ipv4: 10.93.0.0/24, ipv6: "fd93::/64" }
nodes:
  - { name: w, role: web, web: { server: builtin, port: 81 }, addresses: { n: { ipv4: 10.93.0.10, ipv6: "fd93::10" } } }
  - { name: d, role: dns, addresses: { n: { ipv4: 10.93.0.53, ipv6: "fd93::53" } } }
`;
const CLIENT = `  - { name: c, role: client, addresses: { n: { ipv4: 10.93.0.20, ipv6: "fd93::20" } } }\n`;

test('finds the ok and broken names from the records, skipping delayed ones', () => {
  const plan = buildPlan(
    parseLab(
      BASE +
        CLIENT +
        `records:
  - { name: slow.t.test, a: 10.93.0.10, aaaa: "fd93::10", delay_ms: { aaaa: 300 } }
  - { name: good.t.test, a: 10.93.0.10, aaaa: "fd93::10" }
  - { name: bad.t.test, a: 10.93.0.10, aaaa: "fd93::beef" }
`,
      'plan.yaml',
    ),
  );
  assert.deepEqual(plan.ok, { name: 'good.t.test', ipv4: '10.93.0.10', ipv6: 'fd93::10' });
  assert.deepEqual(plan.broken, { name: 'bad.t.test', ipv4: '10.93.0.10', ipv6: 'fd93::beef' });
  assert.equal(plan.client.name, 'c');
  assert.equal(plan.web.port, 81);
  assert.ok(plan.resolver === '10.93.0.53' || plan.resolver === 'fd93::53');
  assert.equal(plan.happyDelayMs, 250);
  assert.equal(plan.sequentialTimeoutMs, 2000);
});

test('leaves the names undefined when the lab has none', () => {
  const plan = buildPlan(parseLab(BASE + CLIENT + `records:\n  - { name: four.t.test, a: 10.93.0.10 }\n`, 'plan.yaml'));
  assert.equal(plan.ok, undefined);
  assert.equal(plan.broken, undefined);
});

test('a lab without a client is DSLAB_E_LAB_ROLE', () => {
  assert.throws(
    () => buildPlan(parseLab(BASE + `records:\n  - { name: x.t.test, a: 10.93.0.10 }\n`, 'plan.yaml')),
    (err: unknown) => isDslabError(err, 'DSLAB_E_LAB_ROLE') && err.field === 'nodes',
  );
});
