/**
 * A two-sided network for web and probe tests, made only of things the test owns: the named
 * namespace `dslabtest-web` ("near", where clients run) and an anonymous namespace held by a
 * `sleep` started under `unshare --net` ("far", where servers run), joined by a veth pair
 * with documentation addresses (192.0.2.0/24, 2001:db8::/64, no DAD). Traffic crosses a real
 * veth, not loopback, so ICMP behaves as between lab nodes. Everything is removed in t.after.
 */
import { spawn } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { run } from '../../src/util/run.js';
import { hasProgram, isAlive, waitExit } from './web-tools.js';

export const NEAR_NS = 'dslabtest-web';
export const NEAR = { ipv4: '192.0.2.1', ipv6: '2001:db8::1' };
export const FAR = { ipv4: '192.0.2.2', ipv6: '2001:db8::2' };

export interface VethLab {
  /** argv that runs a program in the near namespace. */
  near(argv: string[]): { file: string; args: string[] };
  /** argv that runs a program in the far namespace. */
  far(argv: string[]): { file: string; args: string[] };
  /** Removes everything now (also registered in t.after); resolves when all is gone. */
  destroy(): Promise<void>;
}

export async function namespaces(): Promise<string[]> {
  const r = await run('ip', ['netns', 'list']);
  return r.stdout.split('\n').map((l) => l.split(' ')[0] ?? '').filter(Boolean);
}

/** Why the veth lab cannot be built here, or undefined when it can. */
export async function vethLabUnavailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  if (!(await hasProgram('ip'))) return 'the ip program (iproute2) is not installed';
  if (!(await hasProgram('unshare'))) return 'unshare (util-linux) is not installed';
  if (!(await hasProgram('nsenter'))) return 'nsenter (util-linux) is not installed';
  if (!(await hasProgram('sysctl'))) return 'sysctl (procps) is not installed';
  if ((await namespaces()).includes(NEAR_NS)) return `namespace ${NEAR_NS} already exists (another run?); not touching it`;
  return undefined;
}

export async function makeVethLab(t: TestContext): Promise<VethLab> {
  let holder: ReturnType<typeof spawn> | undefined;
  let created = false;
  const destroy = async (): Promise<void> => {
    if (holder?.pid && isAlive(holder.pid)) {
      holder.kill('SIGKILL');
      await waitExit(holder);
    }
    if (created) {
      await run('ip', ['netns', 'del', NEAR_NS], { allowFailure: true });
      created = false;
    }
  };
  t.after(destroy);
  await run('ip', ['netns', 'add', NEAR_NS]);
  created = true;
  holder = spawn('unshare', ['--net', 'sleep', '600'], { stdio: 'ignore' });
  const pid = holder.pid;
  if (pid === undefined) throw new Error('unshare did not start');
  // wait until the holder is in its own namespace (unshare has exec'd sleep)
  const own = readlinkSync('/proc/self/ns/net');
  let entered = false;
  for (let i = 0; i < 100 && !entered; i++) {
    let ns = own;
    try {
      ns = readlinkSync(`/proc/${pid}/ns/net`);
    } catch {
      // not there yet
    }
    entered = ns !== own;
    if (!entered) await delay(10);
  }
  // never go on with the holder still in the machine's own namespace: the "far" end and its
  // addresses would land there
  if (!entered) throw new Error(`unshare --net (pid ${pid}) did not enter a namespace of its own within 1 s`);
  const far = (argv: string[]) => ({ file: 'nsenter', args: [`--net=/proc/${pid}/ns/net`, ...argv] });
  const near = (argv: string[]) => ({ file: 'ip', args: ['netns', 'exec', NEAR_NS, ...argv] });
  const sh = async (c: { file: string; args: string[] }): Promise<void> => {
    await run(c.file, c.args);
  };
  await run('ip', ['-n', NEAR_NS, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1', 'netns', String(pid)]);
  await sh(near(['ip', 'link', 'set', 'lo', 'up']));
  await sh(near(['ip', 'addr', 'add', `${NEAR.ipv4}/24`, 'dev', 'v0']));
  await sh(near(['ip', 'addr', 'add', `${NEAR.ipv6}/64`, 'dev', 'v0', 'nodad']));
  // without DAD on the link-local address the first neighbour solicitation is not lost
  // (with it, the first IPv6 contact right after link-up waits for the 1 s ND retransmit)
  await sh(near(['sysctl', '-qw', 'net.ipv6.conf.v0.accept_dad=0']));
  await sh(near(['ip', 'link', 'set', 'v0', 'up']));
  await sh(far(['ip', 'link', 'set', 'lo', 'up']));
  await sh(far(['ip', 'addr', 'add', `${FAR.ipv4}/24`, 'dev', 'v1']));
  await sh(far(['ip', 'addr', 'add', `${FAR.ipv6}/64`, 'dev', 'v1', 'nodad']));
  await sh(far(['sysctl', '-qw', 'net.ipv6.conf.v1.accept_dad=0']));
  await sh(far(['ip', 'link', 'set', 'v1', 'up']));
  return { near, far, destroy };
}
