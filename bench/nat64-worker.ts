/**
 * Runs inside the NAT64 lab's IPv6-only client for bench/nat64.ts: alternates TCP connects (and
 * HTTP GETs of /whoami on a fresh connection) to each target address, RUNS times each, after
 * WARMUP unrecorded rounds, and prints the times in ms as JSON.
 *
 *   node nat64-worker.js RUNS WARMUP ADDRESS...
 */
import http from 'node:http';
import net from 'node:net';
import process from 'node:process';

/** Call-to-connected time of one TCP connect to [address]:80, ms. */
function connectMs(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const s = net.connect({ host: address, port: 80 });
    s.once('connect', () => {
      const ms = performance.now() - t0;
      s.destroy();
      resolve(ms);
    });
    s.once('error', reject);
  });
}

/** Time of a GET /whoami on a new connection (no keep-alive) to the end of its body, ms. */
function getMs(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get({ host: address, port: 80, path: '/whoami', agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolve(performance.now() - t0));
    });
    req.once('error', reject);
  });
}

const [runs, warmup, ...targets] = process.argv.slice(2);
const out: Record<string, { connectMs: number[]; getMs: number[] }> = {};
for (const t of targets) out[t] = { connectMs: [], getMs: [] };
for (let i = 0; i < Number(warmup) + Number(runs); i++) {
  // interleaved, so that both paths see the same moment of the machine
  for (const t of targets) {
    const c = await connectMs(t);
    const g = await getMs(t);
    if (i >= Number(warmup)) {
      out[t]!.connectMs.push(c);
      out[t]!.getMs.push(g);
    }
  }
}
process.stdout.write(JSON.stringify(out) + '\n');
