/**
 * `dslab up` on every malformed lab file of test/fixtures/labs/bad/: each is rejected with its
 * own code and field, exit 1, and nothing at all is created: no namespace, no state folder, no
 * /etc/netns entry (the machine's lists are the same before and after).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { run } from '../src/util/run.js';
import { badLabFixtures } from './helpers/lab-fixtures.js';
import { dslab, netnsSkipReason } from './helpers/netns-lab.js';

async function machineState(): Promise<string[]> {
  const ns = (await run('ip', ['netns', 'list'])).stdout.split('\n').filter(Boolean).map((l) => `netns ${l.split(' ')[0]}`);
  const list = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).map((d) => `${dir}/${d}`) : []);
  return [...ns, ...list('/run/dslab'), ...list('/etc/netns')].sort();
}

test('dslab up rejects every malformed lab file with its code and creates nothing', { skip: netnsSkipReason(), timeout: 120_000 }, async (t) => {
  const fixtures = badLabFixtures();
  assert.ok(fixtures.length >= 30, `only ${fixtures.length} malformed lab files`);
  const before = await machineState();
  for (const f of fixtures) {
    await t.test(f.file, async () => {
      const r = await dslab(['up', f.path, '--json']);
      assert.equal(r.code, 1, `${f.file}: exit ${r.code}\n${r.stdout}${r.stderr}`);
      const body = JSON.parse(r.stdout) as { error: { code: string; field?: string } };
      assert.equal(body.error.code, f.code, f.file);
      assert.equal(body.error.field, f.field, f.file);
      assert.deepEqual(await machineState(), before, `${f.file} created something`);
    });
  }
});
