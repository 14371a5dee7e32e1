/**
 * The hermetic Docker engine for tests: why a Docker test must skip here, and
 * `withHermeticEngine`, which starts docker/engine.sh (dockerd in a namespace of its own)
 * unless one already answers, builds the local images from the compiled tree under test,
 * points DOCKER_HOST and the DSLAB_*_IMAGE overrides at them, and afterwards stops the
 * engine it started (which removes its containers, networks, images and data).
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { compiledSrcDir, packageRoot } from '../../src/util/package-root.js';
import { run } from '../../src/util/run.js';

export const ENGINE_SOCKET = '/run/dslab-docker/docker.sock';
export const ENGINE_NETNS = 'dslabdocker';
export const ROOTFS_CACHE = process.env.DSLAB_ROOTFS_CACHE ?? '/var/cache/dslab/rootfs-bookworm.tar';

export const LOCAL_IMAGES = {
  DSLAB_WEB_IMAGE: 'dslab/web:local',
  DSLAB_DNS_IMAGE: 'dslab/dns:local',
  DSLAB_CLIENT_IMAGE: 'dslab/client:local',
};

function onPath(tool: string): boolean {
  return (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':').some((d) => d && existsSync(join(d, tool)));
}

/** Why the Docker tests cannot run here (undefined: they can). */
export function dockerSkipReason(): string | undefined {
  if (process.platform !== 'linux') return 'the hermetic engine needs Linux';
  if (process.getuid?.() !== 0) return 'the hermetic engine needs root (dockerd)';
  if (!onPath('dockerd') || !onPath('docker')) return 'needs Debian\'s docker.io (run docker/ci-setup.sh)';
  if (!onPath('docker-compose')) return 'needs docker-compose (run docker/ci-setup.sh)';
  if (!onPath('nsenter')) return 'needs nsenter (util-linux)';
  if (!existsSync(ROOTFS_CACHE) && !onPath('debootstrap')) return `needs the root filesystem ${ROOTFS_CACHE} or debootstrap (run docker/ci-setup.sh)`;
  return undefined;
}

function script(name: string): string {
  return join(packageRoot(), 'docker', name);
}

export interface HermeticEngine {
  /** True when this helper started the engine (and so stops it). */
  started: boolean;
}

/** Environment changes the engine needs, applied for the duration of `fn` and then undone. */
async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** What a test passes so that an engine that cannot start skips it (with the reason) instead of failing it. */
export interface Skippable {
  skip(message?: string): void;
}

/**
 * Runs `fn` with the engine up and the images built. When the engine cannot start here (no
 * cgroups or privileges in a CI container, say) and `t` is given, the test is skipped with
 * dockerd's reason and `fn` is not called (the result is undefined).
 */
export async function withHermeticEngine<T>(fn: (engine: HermeticEngine) => Promise<T>, t?: Skippable): Promise<T | undefined> {
  const env = { DOCKER_HOST: `unix://${ENGINE_SOCKET}`, ...LOCAL_IMAGES };
  return withEnv(env, async () => {
    const status = await run('bash', [script('engine.sh'), 'status'], { allowFailure: true });
    const started = status.code !== 0;
    if (started) {
      const start = await run('bash', [script('engine.sh'), 'start'], { allowFailure: true, timeoutMs: 120_000 });
      if (start.code !== 0) {
        const reason = `the Docker engine cannot start here: ${start.stderr.trim().split('\n').slice(-3).join(' / ')}`;
        if (!t) throw new Error(reason);
        t.skip(reason);
        return undefined;
      }
    }
    try {
      const dist = relative(packageRoot(), dirname(compiledSrcDir()));
      await run('bash', [script('build-images.sh')], { env: { ...process.env, DSLAB_DIST: dist }, timeoutMs: 15 * 60_000 });
      return await fn({ started });
    } finally {
      if (started) await run('bash', [script('engine.sh'), 'stop'], { timeoutMs: 120_000 });
    }
  });
}

/** Signs in the machine's own namespace that an engine touched it: docker bridges, lab addresses, NAT chains. */
export async function hostNetworkTraces(): Promise<string[]> {
  const traces: string[] = [];
  const links = (await run('ip', ['-br', 'link'])).stdout;
  for (const line of links.split('\n')) if (/^(docker\d|br-[0-9a-f]{12})/.test(line)) traces.push(`link ${line.split(/\s+/)[0]}`);
  const addrs = (await run('ip', ['-br', 'addr'])).stdout;
  for (const line of addrs.split('\n')) if (/172\.30\.|fd00:dead:beef:/.test(line)) traces.push(`address on ${line.split(/\s+/)[0]}`);
  const ipt = await run('iptables-save', [], { allowFailure: true }).catch(() => undefined);
  if (ipt && /DOCKER/.test(ipt.stdout)) traces.push('iptables DOCKER chains');
  return traces;
}
