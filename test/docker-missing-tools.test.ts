// Without a docker command, without an engine, or without a compose tool, the Docker backend
// stops with DSLAB_E_DOCKER_MISSING saying what to install or start; `down` of a Docker lab
// that is not up is not an error (like stop.sh) and asks no engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import process from 'node:process';
import { findCompose } from '../src/backends/docker/tools.js';
import { isDslabError } from '../src/errors.js';
import { dslab } from './helpers/netns-lab.js';

interface JsonError {
  error: { code: string; field?: string; value?: unknown; hint?: string; message: string };
}

test('no docker command: DSLAB_E_DOCKER_MISSING saying to install Docker', async () => {
  const r = await dslab(['up', '--backend', 'docker', '--name', 'dk6', '--json'], {
    allowFailure: true,
    timeoutMs: 30_000,
    env: { ...process.env, DSLAB_DOCKER: '/nonexistent/dk6/docker' },
  });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const e = (JSON.parse(r.stdout) as JsonError).error;
  assert.equal(e.code, 'DSLAB_E_DOCKER_MISSING');
  assert.equal(e.field, 'backend');
  assert.match(e.message, /docker command was not found/);
  assert.match(e.hint ?? '', /apt-get install docker\.io docker-compose/);
});

test('no engine answering: DSLAB_E_DOCKER_MISSING saying to start it', async () => {
  const r = await dslab(['status', '--backend', 'docker', '--json'], {
    allowFailure: true,
    timeoutMs: 30_000,
    env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/dslab-dk6.sock' },
  });
  // without the docker command at all this is the "not found" form of the same error
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const e = (JSON.parse(r.stdout) as JsonError).error;
  assert.equal(e.code, 'DSLAB_E_DOCKER_MISSING');
  assert.match(e.hint ?? '', /Start the engine|Install Docker/);
});

test('no compose tool (neither the v2 plugin nor docker-compose): DSLAB_E_DOCKER_MISSING saying to install Compose', async () => {
  const saved = { docker: process.env.DSLAB_DOCKER, compose: process.env.DSLAB_DOCKER_COMPOSE };
  // `false compose version` fails as a docker without the compose plugin does
  process.env.DSLAB_DOCKER = 'false';
  process.env.DSLAB_DOCKER_COMPOSE = '/nonexistent/dk6/docker-compose';
  try {
    await assert.rejects(findCompose(), (err) => {
      assert.ok(isDslabError(err, 'DSLAB_E_DOCKER_MISSING'), String(err));
      assert.match(err.message, /Neither "docker compose" \(Compose v2\) nor "docker-compose" \(v1\)/);
      assert.match(err.hint ?? '', /apt-get install docker-compose/);
      return true;
    });
  } finally {
    for (const [k, v] of [['DSLAB_DOCKER', saved.docker], ['DSLAB_DOCKER_COMPOSE', saved.compose]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});

test('down of a Docker lab that is not up says so and exits 0, without asking an engine', async () => {
  const r = await dslab(['down', '--backend', 'docker', '--lab', 'dk6', '--json'], {
    allowFailure: true,
    timeoutMs: 30_000,
    env: { ...process.env, DSLAB_DOCKER: '/nonexistent/dk6/docker' },
  });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { backend: 'docker', lab: 'dk6', project: 'rd-dk6', removed: false });
  const text = await dslab(['down', '--backend', 'docker', '--lab', 'dk6'], { timeoutMs: 30_000, env: { ...process.env, DSLAB_DOCKER: '/nonexistent/dk6/docker' } });
  assert.equal(text.stdout.trim(), 'Nothing to remove: no Docker lab "dk6" is up.');
});
