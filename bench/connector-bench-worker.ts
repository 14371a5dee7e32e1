/**
 * Runs inside the lab's client node for bench/connector-bench.ts: connects N times with one
 * client (dslab happy fresh or cached, dslab sequential, Node's autoSelectFamily, or a direct
 * net.connect) and prints the call-to-connected times in ms as JSON.
 *
 *   node connector-bench-worker.js CLIENT HOST PORT RUNS [FLUSH_ADDRESS]
 */
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import process from 'node:process';
import { happyConnect } from '../src/connector/connect.js';
import { HappyCache } from '../src/connector/cache.js';

type Client = 'dslab-happy' | 'dslab-cached' | 'dslab-sequential' | 'node-autoselect' | 'node-direct';

function flush(address: string | undefined): void {
  // the kernel's pending neighbour probe for an address nobody has would fail the next run early
  if (address) execFileSync('ip', ['-6', 'neigh', 'flush', 'to', address], { stdio: 'ignore' });
}

function nodeConnect(options: net.NetConnectOpts): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const s = net.connect(options);
    s.once('connect', () => {
      const ms = performance.now() - t0;
      s.destroy();
      resolve(ms);
    });
    s.once('error', reject);
  });
}

async function once(client: Client, host: string, port: number): Promise<number> {
  switch (client) {
    case 'dslab-happy':
    case 'dslab-sequential': {
      const t0 = performance.now();
      const r = await happyConnect({ host, port, cache: false, mode: client === 'dslab-happy' ? 'happy' : 'sequential' });
      const ms = performance.now() - t0;
      r.socket.destroy();
      return ms;
    }
    case 'dslab-cached': {
      const cache = new HappyCache();
      (await happyConnect({ host, port, cache })).socket.destroy(); // primes the cache
      const t0 = performance.now();
      const r = await happyConnect({ host, port, cache });
      const ms = performance.now() - t0;
      r.socket.destroy();
      if (!r.fromCache) throw new Error('the second connection did not use the cache');
      return ms;
    }
    case 'node-autoselect':
      return nodeConnect({ host, port, autoSelectFamily: true, autoSelectFamilyAttemptTimeout: 250 });
    case 'node-direct':
      return nodeConnect({ host, port });
  }
}

async function main(): Promise<void> {
  const [client, host, portText, runsText, flushAddress] = process.argv.slice(2);
  const port = Number(portText);
  const runs = Number(runsText);
  // one unmeasured warm-up, so that module loading and JIT are not in the first figure
  flush(flushAddress);
  await once(client as Client, host!, port).catch(() => undefined);
  const times: number[] = [];
  const errors: string[] = [];
  for (let i = 0; i < runs; i++) {
    flush(flushAddress);
    try {
      times.push(await once(client as Client, host!, port));
    } catch (err) {
      errors.push(String((err as { code?: string }).code ?? (err as Error).message));
    }
  }
  process.stdout.write(JSON.stringify({ times, errors }) + '\n');
}

await main();
