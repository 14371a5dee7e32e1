/**
 * Process entry of the DNS server, started inside the dns node:
 *   node <dist>/src/services/dns/main.js --config FILE [--log FILE] [--faults FILE]
 * Writes `ready` to stdout once every listener is bound and nothing to stdout after that;
 * logs one line per query to --log (append) or stderr. SIGTERM/SIGINT close it (exit 0);
 * a start-up failure goes to stderr with exit code 1. Heavy modules load lazily.
 * With --faults, SIGHUP re-reads the DNS faults file (faults.ts) and acknowledges in FILE.loaded.
 */
import { readFile } from 'node:fs/promises';
import process from 'node:process';
import { parseArgs } from 'node:util';
import type { LogSink } from './log-sink.js';

const USAGE = 'usage: main.js --config FILE [--log FILE] [--faults FILE]   or, as CoreDNS: main.js -conf COREFILE';

class StartupError extends Error {}

/**
 * CoreDNS's command line (`-conf COREFILE`), so this server stands in for the CoreDNS image
 * with compose.yaml unchanged: the Corefile subset is read by corefile.ts, logs go to stderr.
 */
async function corefileConfigs(argv: string[]): Promise<import('./config.js').DnsServerConfig[] | undefined> {
  if (argv[0] !== '-conf') return undefined;
  if (argv.length !== 2) throw new StartupError(`-conf takes one Corefile path and nothing else.\n${USAGE}`);
  let text: string;
  try {
    text = await readFile(argv[1]!, 'utf8');
  } catch (err) {
    throw new StartupError(`cannot read -conf ${argv[1]}: ${(err as Error).message}. Check the path (compose mounts ./Corefile at /Corefile).`);
  }
  const { parseCorefile, corefileServerConfigs, describeNotFollowed } = await import('./corefile.js');
  const corefile = parseCorefile(text, argv[1]);
  for (const warning of describeNotFollowed(corefile)) process.stderr.write(`dslab dns server: ${warning}\n`);
  // one server per port, each with its own blocks' zones, as CoreDNS serves several blocks
  return corefileServerConfigs(corefile);
}

async function start(): Promise<void> {
  const fromCorefile = await corefileConfigs(process.argv.slice(2));
  let values: { config?: string; log?: string; faults?: string } = {};
  let json: unknown;
  if (!fromCorefile) {
    try {
      ({ values } = parseArgs({ options: { config: { type: 'string' }, log: { type: 'string' }, faults: { type: 'string' } }, strict: true, allowPositionals: false }));
    } catch (err) {
      throw new StartupError(`${(err as Error).message}\n${USAGE}`);
    }
    if (!values.config) throw new StartupError(`--config is required: give the JSON file made by buildDnsConfig().\n${USAGE}`);

    let text: string;
    try {
      text = await readFile(values.config, 'utf8');
    } catch (err) {
      throw new StartupError(`cannot read --config ${values.config}: ${(err as Error).message}. Check the path.`);
    }
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new StartupError(`--config ${values.config} is not valid JSON: ${(err as Error).message}. Regenerate it with buildDnsConfig().`);
    }
  }
  const [{ parseDnsConfigs }, { startDnsServer }, sinkModule] = await Promise.all([
    import('./config.js'),
    import('./server.js'),
    import('./log-sink.js'),
  ]);
  const configs = fromCorefile ?? parseDnsConfigs(json);

  let sink: LogSink | undefined;
  if (values.log) {
    try {
      sink = await sinkModule.LogSink.open(values.log);
    } catch (err) {
      throw new StartupError(`cannot open --log ${values.log} for appending: ${(err as Error).message}. Check the folder exists and is writable.`);
    }
  }
  const log = sink ? (line: string) => sink.write(line) : (line: string) => void process.stderr.write(line + '\n');
  const servers: Awaited<ReturnType<typeof startDnsServer>>[] = [];
  const faults = values.faults !== undefined ? { file: values.faults, reloadFaults: (await import('./faults-file.js')).reloadFaults } : undefined;
  try {
    for (const config of configs) servers.push(await startDnsServer(config, { log }));
    // a faults file it cannot take fails the start as a port it cannot bind does
    if (faults) await faults.reloadFaults(faults.file, servers);
  } catch (err) {
    await Promise.all(servers.map((s) => s.close()));
    await sink?.close();
    throw err;
  }

  if (faults) {
    const reload = async (): Promise<void> => {
      try {
        const loaded = await faults.reloadFaults(faults.file, servers);
        log(`[INFO] faults: ${loaded.faults.length} rule(s) in effect (generation ${loaded.generation})`);
      } catch (err) {
        log(`[ERROR] faults not reloaded: ${describe(err)}`);
      }
    };
    process.on('SIGHUP', () => void reload());
  }

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    // with every socket closed and the log flushed the event loop empties and node exits 0
    void Promise.all(servers.map((server) => server.close()))
      .then(() => {
        for (const server of servers) {
          const s = server.stats();
          const answers = Object.entries(s.answers).map(([rcode, n]) => `${rcode} ${n}`).join(', ');
          log(`[INFO] stopped: ${s.queries} queries (${answers}), ${s.dropped} dropped, ${s.malformed} malformed, ${s.truncated} truncated`);
        }
        return sink?.close();
      })
      .finally(() => {
        process.removeListener('SIGTERM', stop);
        process.removeListener('SIGINT', stop);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // the bound ports go to the log first: with port 0 it is the only place that tells them
  for (const b of servers.flatMap((server) => server.addresses())) log(`[INFO] listening on ${b.transport} ${b.family === 6 ? `[${b.address}]` : b.address}:${b.port}`);
  await sink?.flush();
  process.stdout.write('ready\n');
}

function describe(err: unknown): string {
  if (err instanceof StartupError) return err.message;
  const e = err as { code?: string; message?: string; field?: string; value?: unknown; hint?: string };
  const parts = [`${e.code ?? 'error'}: ${e.message ?? String(err)}`];
  if (e.field !== undefined) parts.push(`  field: ${e.field}`);
  if (e.value !== undefined) parts.push(`  value: ${JSON.stringify(e.value)}`);
  if (e.hint !== undefined) parts.push(`  fix: ${e.hint}`);
  return parts.join('\n');
}

start().catch((err: unknown) => {
  process.stderr.write(`dslab dns server: ${describe(err)}\n`);
  process.exitCode = 1;
});
