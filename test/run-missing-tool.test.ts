/**
 * A check whose tool is missing is skipped with its reason and does not fail the run. curl is
 * made really missing, not mocked: the run happens in a private mount namespace (unshare -m)
 * where /dev/null, which nobody can execute, is bind-mounted over the curl binary; the
 * machine's own curl is untouched and the mount goes away with the namespace.
 */
import assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import { test } from 'node:test';
import { down } from '../src/backends/netns/down.js';
import type { RunReport } from '../src/experiments/types.js';
import { findTool } from '../src/experiments/node/tools.js';
import { run } from '../src/util/run.js';
import { assertLabGone, cliPath, netnsSkipReason } from './helpers/netns-lab.js';

const LAB = 'rv4b';

function skipReason(): string | undefined {
  const netns = netnsSkipReason(['unshare', 'mount']);
  if (netns) return netns;
  if (!findTool('curl')) return 'curl is not installed, so there is nothing to hide';
  return undefined;
}

// runs inside the private mount namespace: hide curl, then run dslab there
const INNER = `
const { execFileSync, spawnSync } = require('node:child_process');
const [curl, cli, ...args] = process.argv.slice(1);
execFileSync('mount', ['--bind', '/dev/null', curl]);
const r = spawnSync(process.execPath, [cli, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
process.exit(r.status ?? 1);
`;

test('with curl missing, its checks are skipped with the reason and the run still passes', { skip: skipReason(), timeout: 60_000 }, async (t) => {
  await down(LAB);
  t.after(() => down(LAB));
  const curl = realpathSync(findTool('curl')!);
  const r = await run(
    findTool('unshare')!,
    ['--mount', '--propagation', 'private', '--', process.execPath, '-e', INNER, curl, cliPath(), 'run', '--json', '--name', LAB, '--no-report'],
    { allowFailure: true, timeoutMs: 50_000 },
  );
  assert.equal(r.code, 0, `dslab run failed (exit ${r.code}): ${r.stderr}\n${r.stdout.slice(0, 3000)}`);
  const report = JSON.parse(r.stdout) as RunReport;
  const curlChecks = report.checks.filter((c) => c.tool === 'curl');
  assert.ok(curlChecks.length >= 5, `only ${curlChecks.length} curl checks`);
  for (const c of curlChecks) {
    assert.equal(c.status, 'skip', `${c.id} is ${c.status}`);
    assert.match(c.reason ?? '', /curl is not installed; install it \(apt-get install curl\)/);
  }
  assert.equal(report.summary.skip, curlChecks.length);
  assert.equal(report.summary.fail, 0);
  assert.equal(report.summary.ok, true);
  assert.equal(report.environment.tools.curl, null);
  // dslab's own client still measured the fallback
  assert.equal(report.checks.find((c) => c.id === 'fallback.broken.happy')?.status, 'pass');
  assert.ok(report.findings.some((f) => f.startsWith('Skipped (not failures): ') && f.includes('fallback.broken.curl')));
  // the machine's curl is still there
  assert.ok(findTool('curl'));
  assertLabGone(LAB);
});
