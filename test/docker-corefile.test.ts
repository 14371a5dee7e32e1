// `dslab up|status|exec|run|down --backend docker` from the CLI on the hermetic engine, with
// `--corefile FILE`: the project is exported with the Corefile's records (never the root
// files), the client resolves through Docker's own resolver as in the article (resolv.conf:
// 127.0.0.11 only, the seed's `dns:`), status and exec find the only Docker lab up, the
// client container's own `dslab run` and `dslab run --backend docker` measure those records,
// and down removes the project and its state (a second down finds nothing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerDown, type DockerUpResult } from '../src/backends/docker/backend.js';
import { dockerStateDir } from '../src/backends/docker/state.js';
import { docker } from '../src/backends/docker/tools.js';
import type { RunReport } from '../src/experiments/types.js';
import { dockerSkipReason, hostNetworkTraces, withHermeticEngine } from './helpers/docker-engine.js';
import { dslab } from './helpers/netns-lab.js';

const LAB = 'dk6';
const PROJECT = 'rd-dk6';

const COREFILE = `. {
  log
  errors
  hosts {
    172.30.0.10 dual-ok.local www.lab.test
    fd00:dead:beef::10 dual-ok.local www.lab.test
    172.30.0.10 dual-badv6.local
    fd00:dead:beef::9999 dual-badv6.local
    fallthrough
  }
  forward . 1.1.1.1 8.8.8.8
}
`;

async function inClient(args: string[]): Promise<string> {
  return (await docker(['exec', `rd-${LAB}-client`, ...args], { timeoutMs: 60_000 })).stdout;
}

test('docker backend with --corefile: the Corefile\'s records in the containers; the seed\'s resolver; nothing left', { skip: dockerSkipReason() }, async (t) => {
  const before = await hostNetworkTraces();
  const dir = mkdtempSync(join(tmpdir(), 'dslab-dk6-corefile-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'Corefile');
  writeFileSync(file, COREFILE);
  await withHermeticEngine(async () => {
    let up = false;
    try {
      // the CLI, as a user types it
      const r = await dslab(['up', '--backend', 'docker', '--name', LAB, '--corefile', file, '--json'], { timeoutMs: 300_000 });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      up = true;
      assert.ok(r.stderr.includes(`${file}:11: "forward . 1.1.1.1 8.8.8.8" is not followed`), r.stderr);
      const result = JSON.parse(r.stdout) as DockerUpResult;
      assert.equal(result.project, PROJECT);
      assert.equal(result.composeFile, join(dockerStateDir(PROJECT), 'compose.yaml'), 'exported, never the root files');
      assert.deepEqual(result.ipv6.map((c) => [c.enabled, c.works]), [[true, true]]);
      assert.deepEqual(result.nextSteps, [`docker exec -it rd-${LAB}-client sh`, `docker exec rd-${LAB}-client dslab run`, `dslab run --backend docker --name ${LAB}`, `dslab down --backend docker --lab ${LAB}`]);
      assert.match(readFileSync(join(dockerStateDir(PROJECT), 'Corefile'), 'utf8'), /^ {4}172\.30\.0\.10 www\.lab\.test$/m);

      // the article's resolv.conf: Docker's own resolver only, forwarding to the dns container
      const resolv = await inClient(['cat', '/etc/resolv.conf']);
      assert.deepEqual(resolv.split('\n').filter((l) => l.startsWith('nameserver')), ['nameserver 127.0.0.11']);
      assert.equal((await inClient(['dig', '+short', 'www.lab.test', 'A'])).trim(), '172.30.0.10');
      // status and exec without --lab act on the only Docker lab that is up
      const status = JSON.parse((await dslab(['status', '--backend', 'docker', '--lab', LAB, '--json'], { timeoutMs: 60_000 })).stdout) as { lab: string; containers: { name: string; state: string }[] };
      assert.equal(status.lab, LAB);
      assert.deepEqual(status.containers.map((c) => `${c.name} ${c.state}`), [`rd-${LAB}-client running`, `rd-${LAB}-dns running`, `rd-${LAB}-web running`]);
      const exec = await dslab(['exec', '--backend', 'docker', '--lab', LAB, 'client', '--', 'dig', '+short', 'www.lab.test', 'AAAA'], { timeoutMs: 60_000 });
      assert.equal(exec.code, 0, exec.stderr);
      assert.equal(exec.stdout.trim(), 'fd00:dead:beef::10');

      // the client container's own `dslab run` runs lab dk6 from the mounted lab.yaml
      const here = await docker(['exec', `rd-${LAB}-client`, 'dslab', 'run', '--json', '--no-report'], { allowFailure: true, timeoutMs: 120_000 });
      const hereReport = JSON.parse(here.stdout) as RunReport;
      assert.equal(here.code, 0, here.stderr);
      assert.equal(hereReport.lab, LAB);
      assert.ok(hereReport.topology.records.some((rec) => rec.name === 'www.lab.test'), JSON.stringify(hereReport.topology.records));

      // the next step `dslab run --backend docker --name dk6` measures the lab as it is up (its records)
      const run = await dslab(['run', '--backend', 'docker', '--name', LAB, '--json', '--no-report'], { timeoutMs: 120_000 });
      const report = JSON.parse(run.stdout) as RunReport;
      assert.equal(run.code, 0, run.stderr + JSON.stringify(report.checks?.filter((c) => c.status === 'fail')));
      assert.equal(report.broughtUp, false);
      assert.ok(report.topology.records.some((rec) => rec.name === 'www.lab.test'), JSON.stringify(report.topology.records));

      const down = await dslab(['down', '--backend', 'docker', '--lab', LAB, '--json'], { timeoutMs: 120_000 });
      up = false;
      assert.equal(down.code, 0, down.stderr);
      assert.equal((JSON.parse(down.stdout) as { removed: boolean }).removed, true);
      assert.equal((await docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${PROJECT}`])).stdout.trim(), '');
      assert.ok(!existsSync(dockerStateDir(PROJECT)), 'the project\'s state folder is removed');
      assert.equal((await dockerDown(LAB)).removed, false, 'a second down finds nothing to remove');
    } finally {
      if (up) await dockerDown(LAB).catch(() => undefined);
    }
    assert.deepEqual((await hostNetworkTraces()).filter((x) => !before.includes(x)), []);
  }, t);
});
