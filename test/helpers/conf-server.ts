/**
 * dslab's DNS server started as CoreDNS would be (`main.js -conf COREFILE`) in a network
 * namespace of the test's own (loopback only), removed with the server when the test ends.
 *
 *   const server = await startConfServer(t, 'cf2-conf', corefilePath);
 *   ... dig @::1 inside the namespace ...
 *   await server.stop();   // SIGTERM, resolves with the exit code
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { compiledSrcDir } from '../../src/util/package-root.js';
import { run } from '../../src/util/run.js';
import { firstLine } from './web-tools.js';

export interface ConfServer {
  /** What the server wrote to stderr so far (its notices and log). */
  stderr(): string;
  stop(): Promise<number>;
}

export async function startConfServer(t: TestContext, ns: string, corefile: string): Promise<ConfServer> {
  await run('ip', ['netns', 'del', ns], { allowFailure: true });
  await run('ip', ['netns', 'add', ns]);
  t.after(async () => {
    await run('ip', ['netns', 'del', ns], { allowFailure: true });
    assert.ok(!existsSync(`/run/netns/${ns}`), `namespace ${ns} was left behind`);
  });
  await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, join(compiledSrcDir(), 'services', 'dns', 'main.js'), '-conf', corefile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit');
  t.after(async () => {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  const ready = await firstLine(child, 10_000).catch((err: Error) => err.message);
  assert.equal(ready, 'ready', `server did not start: ${stderr}`);
  return {
    stderr: () => stderr,
    stop: async () => {
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      return code ?? 1;
    },
  };
}
