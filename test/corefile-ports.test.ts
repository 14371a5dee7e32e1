// A Corefile with several server blocks: dslab's DNS server listens on each block's port and
// answers there only for that port's blocks, as CoreDNS does; two blocks serving the same
// zone on the same port are refused with the line named (CoreDNS refuses them too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { isDslabError } from '../src/errors.js';
import { corefileServerConfigs, parseCorefile } from '../src/services/dns/corefile.js';
import { compiledSrcDir } from '../src/util/package-root.js';
import { run } from '../src/util/run.js';
import { firstLine } from './helpers/web-tools.js';

const NS = 'dk3-conf';
const mainJs = join(compiledSrcDir(), 'services', 'dns', 'main.js');

const TWO_PORTS = `.:5301 {
  hosts {
    172.30.0.10 one.local
  }
}
other:5302 {
  log
  hosts {
    fd00:dead:beef::10 two.other
  }
}
`;

test('one server config per port, each with its own blocks\' zones and records', () => {
  const configs = corefileServerConfigs(parseCorefile(TWO_PORTS));
  assert.deepEqual(
    configs.map((c) => ({ zones: c.zones, records: c.records.map((r) => `${r.name} ${r.type}`), ports: [...new Set(c.listen.map((l) => l.port))] })),
    [
      { zones: [''], records: ['one.local A'], ports: [5301] },
      { zones: ['other'], records: ['two.other AAAA'], ports: [5302] },
    ],
  );
});

test('blocks on one port share one server config', () => {
  const configs = corefileServerConfigs(parseCorefile('local {\n hosts {\n  172.30.0.10 a.local\n }\n}\nother {\n hosts {\n  172.30.0.11 b.other\n }\n}\n'));
  assert.equal(configs.length, 1);
  assert.deepEqual(configs[0]!.zones, ['local', 'other']);
  assert.deepEqual(configs[0]!.listen.map((l) => l.port), [53, 53]);
});

test('the same zone twice on one port is an error naming the second block\'s line', () => {
  assert.throws(
    () => parseCorefile('. {\n  log\n}\n\n.:53 {\n  errors\n}\n'),
    (err: unknown) => isDslabError(err, 'DSLAB_E_COREFILE') && err.field === 'Corefile:5' && err.value === '.:53 {' && /line 1/.test(err.message),
  );
  // the same zone on another port is fine
  assert.equal(parseCorefile('. {\n  log\n}\n.:5353 {\n  log\n}\n').servers.length, 2);
});

function skipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to create a network namespace';
  if (!existsSync('/usr/bin/dig')) return 'needs dig (dnsutils)';
  return undefined;
}

test('-conf with two blocks on two ports answers each block on its own port', { skip: skipReason() }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dslab-dk3-corefile-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'Corefile');
  writeFileSync(file, TWO_PORTS);
  await run('ip', ['netns', 'add', NS]);
  t.after(async () => {
    await run('ip', ['netns', 'del', NS], { allowFailure: true });
    assert.ok(!existsSync(`/run/netns/${NS}`));
  });
  await run('ip', ['-n', NS, 'link', 'set', 'lo', 'up']);
  const child = spawn('ip', ['netns', 'exec', NS, process.execPath, mainJs, '-conf', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit');
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  const ready = await firstLine(child, 10_000).catch((err: Error) => err.message);
  assert.equal(ready, 'ready', `server did not start: ${stderr}`);
  const dig = async (port: number, server: string, name: string, type: string) =>
    (await run('ip', ['netns', 'exec', NS, 'dig', '+time=2', '+tries=1', '-p', String(port), `@${server}`, name, type])).stdout;
  assert.match(await dig(5301, '127.0.0.1', 'one.local', 'A'), /one\.local\.\s+\d+\s+IN\s+A\s+172\.30\.0\.10/);
  assert.match(await dig(5302, '::1', 'two.other', 'AAAA'), /two\.other\.\s+\d+\s+IN\s+AAAA\s+fd00:dead:beef::10/);
  // each port answers only for its own blocks
  assert.doesNotMatch(await dig(5301, '127.0.0.1', 'two.other', 'AAAA'), /IN\s+AAAA\s+fd00/);
  assert.doesNotMatch(await dig(5302, '127.0.0.1', 'one.local', 'A'), /IN\s+A\s+172\.30/);
  child.kill('SIGTERM');
  const [code] = await exited;
  assert.equal(code, 0, stderr);
});
