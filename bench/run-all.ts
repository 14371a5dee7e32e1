/**
 * Runs every benchmark in bench/ one after the other (their compiled .js next to this file,
 * except this runner and helper modules such as `*-worker.js` that other benchmarks start
 * themselves), passing `--quick` through, and says where the figures belong.
 *
 * Usage: npm run bench [-- --quick] [-- --only run-wall,dns-throughput] [-- --list]
 * (as root: most benchmarks build labs or namespaces; each one targets only loopback and
 * its own lab namespaces).
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

/** Modules that only other benchmarks start, with their own arguments. */
const HELPER = /-(worker|helper|lib)\.js$/;

export interface BenchScript {
  name: string;
  path: string;
}

/** The benchmark scripts in `dir`, in name order: compiled .js, without this runner and helpers. */
export function benchScripts(dir: string, self: string): BenchScript[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js') && f !== basename(self) && !HELPER.test(f))
    .sort()
    .map((f) => ({ name: f.replace(/\.js$/, ''), path: join(dir, f) }));
}

function runOne(script: BenchScript, args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script.path, ...args], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, ms: performance.now() - t0 }));
  });
}

function optionValue(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const self = fileURLToPath(import.meta.url);
  let scripts = benchScripts(dirname(self), self);
  const only = optionValue(argv, '--only');
  if (only !== undefined) {
    const wanted = only.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = wanted.filter((w) => !scripts.some((s) => s.name === w));
    if (unknown.length) {
      process.stderr.write(`run-all: --only names ${unknown.join(', ')}, which is not a benchmark here. Benchmarks: ${scripts.map((s) => s.name).join(', ')}.\n`);
      process.exitCode = 2;
      return;
    }
    scripts = scripts.filter((s) => wanted.includes(s.name));
  }
  if (argv.includes('--list')) {
    for (const s of scripts) process.stdout.write(`${s.name}\t${s.path}\n`);
    return;
  }
  const passed = quick ? ['--quick'] : [];
  const rows: Array<{ name: string; result: string; ms: number }> = [];
  for (const s of scripts) {
    process.stdout.write(`\n=== ${s.name}${quick ? ' --quick' : ''} ===\n`);
    const r = await runOne(s, passed);
    rows.push({ name: s.name, result: r.code === 0 ? 'ok' : r.signal ? `killed by ${r.signal}` : `exit ${r.code}`, ms: r.ms });
  }
  process.stdout.write('\n=== summary ===\n');
  const width = Math.max(4, ...rows.map((r) => r.name.length));
  for (const r of rows) process.stdout.write(`${r.name.padEnd(width)}  ${r.result.padEnd(14)}  ${(r.ms / 1000).toFixed(1)} s\n`);
  process.stdout.write(
    `\nFigures go to docs/benchmarks.md: copy the numbers above into the section of each benchmark, with the machine's state (cores, load)${quick ? ' and the note that they come from a --quick run' : ''}.\n`,
  );
  if (rows.some((r) => r.result !== 'ok')) process.exitCode = 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main();
