import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { run } from '../src/util/run.js';
import { hasProgram, serviceMain, tempDir } from './helpers/web-tools.js';

const NS = 'dslabtest-web';

async function namespaces(): Promise<string[]> {
  const r = await run('ip', ['netns', 'list']);
  return r.stdout.split('\n').map((l) => l.split(' ')[0] ?? '').filter(Boolean);
}

test('an address without a route is reported unreachable, quickly, from inside a namespace', async (t) => {
  if (process.getuid?.() !== 0) return t.skip('creating a network namespace needs root');
  if (!(await hasProgram('ip'))) return t.skip('the ip program (iproute2) is not installed');
  if ((await namespaces()).includes(NS)) return t.skip(`namespace ${NS} already exists (another run?); not touching it`);
  await run('ip', ['netns', 'add', NS]);
  t.after(async () => {
    await run('ip', ['netns', 'del', NS], { allowFailure: true });
  });
  await run('ip', ['netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up']);
  const dir = await tempDir(t, 'dslab-probe-');
  const config = join(dir, 'probe.json');
  // TEST-NET and documentation addresses: the namespace has only loopback, so no route to them
  await writeFile(
    config,
    JSON.stringify({
      targets: [
        { node: 'ghost4', address: '192.0.2.1', family: 4 },
        { node: 'ghost6', address: '2001:db8::1', family: 6 },
        { node: 'self', address: '127.0.0.1', family: 4 },
      ],
    }),
  );
  const started = performance.now();
  const r = await run('ip', ['netns', 'exec', NS, process.execPath, serviceMain('probe'), '--config', config], { timeoutMs: 10000 });
  const { results } = JSON.parse(r.stdout) as { results: Array<{ node: string; ok: boolean; ms: number; error?: string }> };
  const by = new Map(results.map((x) => [x.node, x]));
  for (const ghost of ['ghost4', 'ghost6']) {
    const g = by.get(ghost)!;
    assert.equal(g.ok, false, ghost);
    assert.match(g.error ?? '', /^ENETUNREACH: /);
    assert.ok(g.ms < 1500, `${ghost} failed fast (${g.ms} ms), not by timeout`);
  }
  assert.equal(by.get('self')!.ok, true);
  assert.ok(performance.now() - started < 8000);

  await run('ip', ['netns', 'del', NS]);
  assert.equal((await namespaces()).includes(NS), false, 'the namespace is gone');
});
