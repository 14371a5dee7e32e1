// Ctrl-C during `dslab up --backend docker`: the command removes the containers, network and
// state it made so far, says so, and exits 130; nothing of the project is left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { dockerStateDir } from '../src/backends/docker/state.js';
import { docker } from '../src/backends/docker/tools.js';
import { dockerSkipReason, withHermeticEngine } from './helpers/docker-engine.js';
import { cliPath } from './helpers/netns-lab.js';

const LAB = 'dk5';
const PROJECT = 'rd-dk5';

test('Ctrl-C during up --backend docker removes what was created and exits 130', { skip: dockerSkipReason(), timeout: 600_000 }, async (t) => {
  await withHermeticEngine(async () => {
    const child = spawn(process.execPath, [cliPath(), 'up', '--backend', 'docker', '--name', LAB], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const exited = once(child, 'exit');
    t.after(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await docker(['rm', '-f', `rd-${LAB}-web`, `rd-${LAB}-dns`, `rd-${LAB}-client`], { allowFailure: true });
    });
    // interrupt while compose is creating the containers
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('starting containers')) resolve();
      });
      child.on('exit', () => resolve());
    });
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    const [code] = (await exited) as [number | null];
    assert.equal(code, 130, stderr);
    assert.match(stderr, /Received SIGINT: removing the containers created so far/);
    assert.match(stderr, /everything created so far was removed/);
    const left = await docker(['ps', '-a', '--filter', `label=com.docker.compose.project=${PROJECT}`, '--format', '{{.Names}}']);
    assert.equal(left.stdout.trim(), '', 'no container of the project is left');
    const nets = await docker(['network', 'ls', '--filter', `label=com.docker.compose.project=${PROJECT}`, '--format', '{{.Name}}']);
    assert.equal(nets.stdout.trim(), '', 'no network of the project is left');
    assert.ok(!existsSync(dockerStateDir(PROJECT)), 'no state folder is left');
  }, t);
});
