/**
 * The real clients `dslab measure --matrix` runs, each as the command a user would type in
 * the client node to fetch `http://HOST/`: curl, wget, Python (urllib, requests, asyncio
 * with and without happy_eyeballs_delay), Node (net.connect with autoSelectFamily on and
 * off, fetch), headless Chromium and dslab's own connector. A client whose program (or
 * Python module) is missing is skipped with the install hint. Each gets a timeout so that a
 * client that never falls back costs seconds, not minutes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { findProgram } from '../util/find-program.js';
import { compiledSrcDir } from '../util/package-root.js';
import { run } from '../util/run.js';

/** Seconds a client may try before it is given up (its own timeout where it has one): 2 s, the per-attempt timeout of the article's ds_client.py. */
export const CLIENT_TIMEOUT_S = 2;

export interface ClientSpec {
  id: string;
  /** In words, for tables and the report. */
  name: string;
  /** The command for `host` (port 80); `tmp` is a private folder for the run. */
  argv(host: string, tmp: string): string[];
  /** Why it cannot run here (undefined: it can). */
  missing(): Promise<string | undefined>;
  needsTmp?: boolean;
}

/** Debian's python3 (the one that has python3-requests), else the first on PATH. */
export function python(): string | null {
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : findProgram('python3');
}

const program = (name: string, pkg: string) => async (): Promise<string | undefined> => (findProgram(name) ? undefined : `${name} is not installed (apt-get install -y --no-install-recommends ${pkg})`);

const pythonModule = (module: string, pkg: string) => async (): Promise<string | undefined> => {
  const py = python();
  if (!py) return 'python3 is not installed (apt-get install -y python3)';
  const r = await run(py, ['-c', `import ${module}`], { allowFailure: true });
  return r.code === 0 ? undefined : `Python cannot import ${module} (apt-get install -y --no-install-recommends ${pkg})`;
};

const PY_URLLIB = `import sys, urllib.request
urllib.request.urlopen("http://" + sys.argv[1] + "/", timeout=${CLIENT_TIMEOUT_S}).read()`;
const PY_REQUESTS = `import sys, requests
requests.get("http://" + sys.argv[1] + "/", timeout=${CLIENT_TIMEOUT_S}).raise_for_status()`;
const PY_ASYNCIO = (delay: string) => `import asyncio, sys
async def main():
    r, w = await asyncio.wait_for(asyncio.open_connection(sys.argv[1], 80${delay}), ${CLIENT_TIMEOUT_S})
    w.write(b"GET / HTTP/1.0\\r\\nHost: " + sys.argv[1].encode() + b"\\r\\n\\r\\n")
    await w.drain()
    await r.read()
asyncio.run(main())`;
const NODE_NET = (auto: boolean | undefined) => `const net = require('node:net');
const host = process.argv[1];
const s = net.connect({ host, port: 80${auto === undefined ? '' : `, autoSelectFamily: ${auto}`} });
s.setTimeout(${CLIENT_TIMEOUT_S * 1000}, () => { console.error('timeout'); process.exit(1); });
s.on('connect', () => s.end('GET / HTTP/1.0\\r\\nHost: ' + host + '\\r\\n\\r\\n'));
s.on('data', () => {});
s.on('error', (e) => { console.error(e.message); process.exit(1); });`;
const NODE_FETCH = `fetch('http://' + process.argv[1] + '/', { signal: AbortSignal.timeout(${CLIENT_TIMEOUT_S * 1000}) }).then((r) => r.text()).catch((e) => { console.error(String(e.cause ?? e)); process.exit(1); });`;

const dslabCli = (): string => join(compiledSrcDir(), 'cli', 'main.js');

export const CLIENTS: readonly ClientSpec[] = [
  { id: 'curl', name: 'curl', argv: (h) => ['curl', '-sS', '-o', '/dev/null', '--max-time', String(CLIENT_TIMEOUT_S * 2), `http://${h}/`], missing: program('curl', 'curl') },
  { id: 'wget', name: 'wget', argv: (h) => ['wget', '-q', '-O', '/dev/null', `--timeout=${CLIENT_TIMEOUT_S}`, '--tries=1', `http://${h}/`], missing: program('wget', 'wget') },
  { id: 'python-urllib', name: 'Python urllib', argv: (h) => [python() ?? 'python3', '-c', PY_URLLIB, h], missing: pythonModule('urllib.request', 'python3') },
  { id: 'python-requests', name: 'Python requests', argv: (h) => [python() ?? 'python3', '-c', PY_REQUESTS, h], missing: pythonModule('requests', 'python3-requests') },
  { id: 'python-asyncio', name: 'Python asyncio', argv: (h) => [python() ?? 'python3', '-c', PY_ASYNCIO(''), h], missing: pythonModule('asyncio', 'python3') },
  { id: 'python-asyncio-he', name: 'Python asyncio, happy_eyeballs_delay=0.25', argv: (h) => [python() ?? 'python3', '-c', PY_ASYNCIO(', happy_eyeballs_delay=0.25'), h], missing: pythonModule('asyncio', 'python3') },
  { id: 'node-net', name: `Node ${process.version} net.connect`, argv: (h) => [process.execPath, '-e', NODE_NET(undefined), h], missing: async () => undefined },
  { id: 'node-net-noauto', name: `Node ${process.version} net.connect, autoSelectFamily: false`, argv: (h) => [process.execPath, '-e', NODE_NET(false), h], missing: async () => undefined },
  { id: 'node-fetch', name: `Node ${process.version} fetch`, argv: (h) => [process.execPath, '-e', NODE_FETCH, h], missing: async () => undefined },
  {
    id: 'chromium',
    name: 'Chromium (headless)',
    needsTmp: true,
    argv: (h, tmp) => [
      findProgram('chromium') ?? 'chromium',
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${tmp}`,
      `--timeout=${CLIENT_TIMEOUT_S * 1000}`,
      '--dump-dom',
      `http://${h}/`,
    ],
    missing: program('chromium', 'chromium'),
  },
  { id: 'dslab-happy', name: 'dslab connect (Happy Eyeballs)', argv: (h) => [process.execPath, dslabCli(), 'connect', h, '80', '--no-cache', '--json'], missing: async () => undefined },
  { id: 'dslab-sequential', name: 'dslab connect --mode sequential (like ds_client.py)', argv: (h) => [process.execPath, dslabCli(), 'connect', h, '80', '--mode', 'sequential', '--no-cache', '--json'], missing: async () => undefined },
];

export const DEFAULT_MATRIX_SCENARIOS = ['unassigned-aaaa', 'v6-blackhole', 'v6-reset', 'v6-slow', 'aaaa-slow', 'v4-broken'] as const;
