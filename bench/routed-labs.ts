/**
 * Times routed and self-configuring labs, as root after a build:
 *   node <out>/bench/routed-labs.js [--runs 5 | --quick] [--json]
 * - `dslab up examples/slaac.yaml` as the user waits for it (a fresh `node` process, start-up
 *   included), until every SLAAC address has formed and is in DNS, and its `down`;
 * - the default flat lab's `dslab up` the same way, to see that routed support did not slow it;
 * - up() and down() of a 200-node routed lab: 10 networks (dual-stack) of 20 nodes each, a chain
 *   of 9 routers between them, web and dns on the last network, the client on the first.
 * Lab names bsl, bfl and brt; each is removed at the end, also on failure.
 */
import { join } from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { down } from '../src/backends/netns/down.js';
import { up } from '../src/backends/netns/up.js';
import { parseLab } from '../src/lab/load.js';
import { packageRoot } from '../src/util/package-root.js';
import { dslabCli, nodeWallMs, stats } from './bench-lib.js';

const { values } = parseArgs({ options: { runs: { type: 'string' }, json: { type: 'boolean', default: false }, quick: { type: 'boolean', default: false } } });
const RUNS = Number(values.runs ?? (values.quick ? 2 : 5));
const cli = dslabCli();
const wallMs = (args: string[]): number => nodeWallMs([cli, ...args]);
const median = (xs: number[]): number => stats(xs).median;

/** 10 networks of 20 nodes: routers r1-r9 join network i and i+1; hosts fill each network to 20. */
export function routedLabYaml(name: string): string {
  const lines = [`name: ${name}`, 'networks:'];
  for (let i = 0; i < 10; i++) lines.push(`  - { name: n${i}, ipv4: 10.81.${i}.0/24, ipv6: "fd00:81:${i}::/64" }`);
  lines.push('nodes:');
  const count = new Array<number>(10).fill(0);
  for (let i = 1; i <= 9; i++) {
    lines.push(`  - { name: r${i}, role: router, addresses: { n${i - 1}: { ipv4: 10.81.${i - 1}.254, ipv6: "fd00:81:${i - 1}::fe" }, n${i}: { ipv4: 10.81.${i}.253, ipv6: "fd00:81:${i}::fd" } } }`);
    count[i - 1]!++;
    count[i]!++;
  }
  lines.push('  - { name: client, role: client, addresses: { n0: { ipv4: 10.81.0.20, ipv6: "fd00:81:0::20" } } }');
  lines.push('  - { name: web, role: web, addresses: { n9: { ipv4: 10.81.9.10, ipv6: "fd00:81:9::10" } } }');
  lines.push('  - { name: dns, role: dns, addresses: { n9: { ipv4: 10.81.9.53, ipv6: "fd00:81:9::53" } } }');
  count[0]!++;
  count[9]! += 2;
  for (let net = 0; net < 10; net++) {
    for (let h = 100; count[net]! < 20; h++, count[net]!++) lines.push(`  - { name: h${net}x${h}, role: host, addresses: { n${net}: { ipv4: 10.81.${net}.${h}, ipv6: "fd00:81:${net}::${h}" } } }`);
  }
  lines.push('records:', '  - { name: www.routed.test, a: 10.81.9.10, aaaa: "fd00:81:9::10" }');
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const slaac = join(packageRoot(), 'examples', 'slaac.yaml');
  const result = { runs: RUNS, slaacUpMs: [] as number[], slaacDownMs: [] as number[], flatUpMs: [] as number[], flatDownMs: [] as number[], routed200UpMs: [] as number[], routed200DownMs: [] as number[] };
  try {
    for (let i = 0; i < RUNS; i++) {
      result.slaacUpMs.push(wallMs(['up', slaac, '--name', 'bsl', '--json']));
      result.slaacDownMs.push(wallMs(['down', '--lab', 'bsl', '--json']));
      result.flatUpMs.push(wallMs(['up', '--name', 'bfl', '--json']));
      result.flatDownMs.push(wallMs(['down', '--lab', 'bfl', '--json']));
    }
    const routed = parseLab(routedLabYaml('brt'), '<bench: 200-node routed lab>');
    for (let i = 0; i < Math.max(1, Math.ceil(RUNS / 2)); i++) {
      let t0 = performance.now();
      await up(routed);
      result.routed200UpMs.push(performance.now() - t0);
      t0 = performance.now();
      await down('brt');
      result.routed200DownMs.push(performance.now() - t0);
    }
  } finally {
    for (const lab of ['bsl', 'bfl', 'brt']) await down(lab).catch(() => undefined);
  }
  if (values.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  const f = (xs: number[]) => `${Math.round(median(xs))} ms (min ${Math.round(Math.min(...xs))}, ${xs.length} runs)`;
  console.log(`dslab up examples/slaac.yaml   ${f(result.slaacUpMs)}   target <= 2000 ms (addresses formed and in DNS)`);
  console.log(`dslab down (slaac)             ${f(result.slaacDownMs)}`);
  console.log(`dslab up (default flat lab)    ${f(result.flatUpMs)}   target <= 400 ms`);
  console.log(`dslab down (default flat lab)  ${f(result.flatDownMs)}`);
  console.log(`up() 200-node routed lab       ${f(result.routed200UpMs)}   target <= 5000 ms`);
  console.log(`down() 200-node routed lab     ${f(result.routed200DownMs)}   target <= 2000 ms`);
}

await main();
