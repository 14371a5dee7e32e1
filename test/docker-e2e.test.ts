// The Docker backend end to end on a real engine, hermetically: the root compose.yaml with
// the images overridden to the local ones (built offline from Debian packages), brought up
// by dockerUp, checked from inside the client container like the article does, and removed
// by dockerDown. The engine runs in a namespace of its own and leaves the machine's
// namespace untouched; whatever the test started is gone afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dockerDown, dockerStatus, dockerUp } from '../src/backends/docker/backend.js';
import { dockerRunLab } from '../src/backends/docker/run.js';
import { dockerStateDir } from '../src/backends/docker/state.js';
import { writeReports } from '../src/reports/write.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { docker } from '../src/backends/docker/tools.js';
import { loadLab } from '../src/lab/load.js';
import type { RunReport } from '../src/experiments/types.js';
import { compiledSrcDir, packageRoot } from '../src/util/package-root.js';
import { ENGINE_NETNS, dockerSkipReason, hostNetworkTraces, withHermeticEngine } from './helpers/docker-engine.js';

const PROJECT = 'dk1';

async function inClient(args: string[]): Promise<string> {
  return (await docker(['exec', 'rd-ds-client', ...args], { timeoutMs: 60_000 })).stdout;
}

test('docker backend: up, the article\'s checks inside the client, down; nothing left', { skip: dockerSkipReason() }, async (t) => {
  const before = await hostNetworkTraces();
  const topology = await loadLab();
  let engineStarted = false;
  let ran = false;
  await withHermeticEngine(async (engine) => {
    ran = true;
    engineStarted = engine.started;
    let up = false;
    let up3 = false;
    try {
      const result = await dockerUp(topology, { composeDir: packageRoot(), project: PROJECT });
      up = true;
      assert.equal(result.project, PROJECT);
      assert.deepEqual(result.containers.map((c) => [c.container, c.state, c.ipv4, c.ipv6]), [
        ['rd-ds-web', 'running', '172.30.0.10', 'fd00:dead:beef::10'],
        ['rd-ds-dns', 'running', '172.30.0.53', 'fd00:dead:beef::53'],
        ['rd-ds-client', 'running', '172.30.0.20', 'fd00:dead:beef::20'],
      ]);
      assert.deepEqual(result.ipv6.map((c) => [c.network, c.enabled, c.works]), [[`${PROJECT}_dsnet`, true, true]]);

      // experiment 1 of the article, from inside the client container
      const eth0 = await inClient(['ip', 'addr', 'show', 'eth0']);
      assert.match(eth0, /inet 172\.30\.0\.20\/24/);
      assert.match(eth0, /inet6 fd00:dead:beef::20\/64 scope global/);
      assert.match(await inClient(['curl', '-sS', '-4', 'http://172.30.0.10/']), /Welcome to nginx!/);
      assert.match(await inClient(['curl', '-sS', '-6', '-g', 'http://[fd00:dead:beef::10]/']), /Welcome to nginx!/);
      assert.match(await inClient(['ping', '-c', '1', '-W', '3', 'fd00:dead:beef::10']), /1 received/);
      // the DNS server reads the mounted Corefile (-conf /Corefile), through the client's resolver
      assert.equal((await inClient(['dig', '+short', 'dual-badv6.local', 'AAAA'])).trim(), 'fd00:dead:beef::9999');
      assert.equal((await inClient(['dig', '+short', 'dual-ok.local', 'A'])).trim(), '172.30.0.10');
      // experiment 2: curl falls back to IPv4 when the AAAA address does not answer
      const fallback = await inClient(['curl', '-sS', '-m', '10', '-o', '/dev/null', '-w', '%{remote_ip}', 'http://dual-badv6.local/']);
      assert.equal(fallback, '172.30.0.10');
      // dslab itself is in the client image
      assert.match(await inClient(['dslab', '--version']), /^\d+\.\d+\.\d+/);
      // and a plain `dslab run` inside it runs the experiments there (the image sets DSLAB_RUN_HERE)
      const here = await docker(['exec', 'rd-ds-client', 'dslab', 'run', '--json', '--out', '/tmp/dslab-reports'], { allowFailure: true, timeoutMs: 120_000 });
      const hereReport = JSON.parse(here.stdout) as RunReport;
      assert.equal(here.code, 0, here.stderr + JSON.stringify(hereReport.checks?.filter((c) => c.status !== 'pass'), null, 1));
      assert.equal(hereReport.broughtUp, false);
      assert.match(hereReport.environment.backend, /^here \(inside a Docker container\)/);
      assert.ok(hereReport.checks.length >= 10, `only ${hereReport.checks.length} checks ran`);
      assert.deepEqual(hereReport.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id} ${c.status}: ${c.observed}`), []);
      assert.ok(hereReport.files?.json.startsWith('/tmp/dslab-reports/'), String(hereReport.files?.json));
      assert.equal((await docker(['exec', 'rd-ds-client', 'test', '-s', hereReport.files!.json], { allowFailure: true })).code, 0, 'the report is written inside the container');

      const status = await dockerStatus(topology.name, PROJECT).catch(() => undefined);
      // status finds the project by the state up wrote
      assert.deepEqual(status?.containers.map((c) => [c.name, c.state]), [
        ['rd-ds-client', 'running'],
        ['rd-ds-dns', 'running'],
        ['rd-ds-web', 'running'],
      ]);

      const t0 = Date.now();
      await dockerDown(topology.name, PROJECT);
      up = false;
      // init: true lets `sleep infinity` stop at once; without it down waits 10 s for SIGKILL
      assert.ok(Date.now() - t0 < 9000, `down took ${Date.now() - t0} ms`);
      const left = await docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${PROJECT}`]);
      assert.equal(left.stdout.trim(), '');
      const nets = await docker(['network', 'ls', '--format', '{{.Name}}']);
      assert.ok(!nets.stdout.split('\n').includes(`${PROJECT}_dsnet`));

      // dslab run --backend docker: the experiments inside the client container, the report on the host
      const report = await dockerRunLab(topology, { composeDir: packageRoot(), project: PROJECT });
      assert.equal(report.broughtUp, true);
      assert.ok(report.checks.length >= 10, `only ${report.checks.length} checks ran`);
      assert.deepEqual(report.checks.filter((c) => c.status === 'fail').map((c) => c.id), []);
      assert.equal(report.summary.ok, true);
      const out = mkdtempSync(join(tmpdir(), 'dslab-dk1-reports-'));
      try {
        const files = await writeReports(report, out);
        assert.ok(existsSync(files.markdown) && existsSync(files.json) && existsSync(files.junit));
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
      const afterRun = await docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${PROJECT}`]);
      assert.equal(afterRun.stdout.trim(), '', 'run removed the project it brought up');
      assert.ok(!existsSync(dockerStateDir(PROJECT)), 'the project\'s state folder is removed');

      // a lab with another name: its compose.yaml mounts the lab file into the client, so a
      // plain `dslab run` in rd-dk3-client runs lab dk3, not the default one
      const dk3 = { ...topology, name: 'dk3' };
      const upDk3 = await dockerUp(dk3);
      up3 = true;
      assert.ok(upDk3.nextSteps.includes('docker exec rd-dk3-client dslab run'), upDk3.nextSteps.join('; '));
      assert.ok(upDk3.nextSteps.includes('dslab down --backend docker --lab dk3'), upDk3.nextSteps.join('; '));
      const r3 = await docker(['exec', 'rd-dk3-client', 'dslab', 'run', '--json', '--no-report'], { allowFailure: true, timeoutMs: 120_000 });
      const report3 = JSON.parse(r3.stdout) as RunReport;
      assert.equal(r3.code, 0, r3.stderr + JSON.stringify(report3.checks?.filter((c) => c.status !== 'pass'), null, 1));
      assert.equal(report3.lab, 'dk3');
      assert.equal(report3.summary.ok, true);
      assert.deepEqual(report3.checks.filter((c) => c.status !== 'pass').map((c) => c.id), []);
      await dockerDown('dk3');
      up3 = false;
      assert.ok(!existsSync(dockerStateDir('rd-dk3')), 'the dk3 project\'s state folder is removed');
    } finally {
      if (up) await dockerDown(topology.name, PROJECT).catch(() => undefined);
      if (up3) await dockerDown('dk3').catch(() => undefined);
    }
    // while the engine runs, the machine's own namespace has none of its bridges or rules
    assert.deepEqual((await hostNetworkTraces()).filter((x) => !before.includes(x)), []);
  }, t);
  // the engine could not start here: skipped with the reason
  if (!ran) return;
  if (engineStarted) {
    assert.ok(!existsSync(`/run/netns/${ENGINE_NETNS}`), 'engine namespace removed');
    assert.ok(!existsSync('/var/lib/dslab-docker'), 'engine data root removed');
    assert.ok(!existsSync('/run/dslab-docker'), 'engine run folder removed');
  } else {
    t.diagnostic('an engine was already running: it was reused and left running');
  }
  assert.ok(existsSync(join(compiledSrcDir(), 'backends', 'docker', 'backend.js')));
});
