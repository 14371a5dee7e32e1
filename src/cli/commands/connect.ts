/**
 * `dslab connect HOST [PORT]`: connects with the Happy Eyeballs connector (or the seed
 * client's sequential way, or one family), sends one HTTP GET unless --no-http, and shows
 * what happened: the seed client's lines, a timeline of the race, the sorting explanation,
 * or the JSON report. `--count N` connects N times in one process, so the cache shows.
 */
import type { Command } from 'commander';
import { DslabError } from '../../errors.js';
import { ExitError, printJson, stdio, type Output } from '../context.js';
import type { ConnectReport } from '../../connector/report.js';
import type { ConnectMode, HappyOptions, PolicyChoice } from '../../connector/types.js';
import type { NormalizedOptions } from '../../connector/options.js';

export interface ConnectCommandOptions {
  host: string;
  port?: string | number;
  mode?: string;
  delay?: string | number;
  resolutionDelay?: string | number;
  timeout?: string | number;
  attemptTimeout?: string | number;
  firstFamilyCount?: string | number;
  policy?: string;
  cache?: boolean;
  delayFromRtt?: boolean;
  dnsServer?: string[];
  dnsTimeout?: string | number;
  tls?: boolean;
  servername?: string;
  /** PEM file of CAs to trust for this connection, on top of the system's. */
  ca?: string;
  /** Skip certificate verification (like curl -k), with a warning. */
  insecure?: boolean;
  http?: boolean;
  path?: string;
  explain?: boolean;
  count?: string | number;
  /** Write a picture of the race (the first run's) to this SVG file. */
  svg?: string;
  signal?: AbortSignal;
}

export interface ConnectCommandResult {
  runs: ConnectReport[];
  /** The SVG picture written for --svg (absolute path). */
  svg?: string;
}

function parseNumber(field: string, text: string | number | undefined, flag: string, what = 'a number of milliseconds', example = 250): number | undefined {
  if (text === undefined) return undefined;
  if (typeof text === 'number') return text;
  if (!/^\d+(\.\d+)?$/.test(text.trim())) {
    throw new DslabError('DSLAB_E_BAD_OPTION', `Invalid ${flag}: ${JSON.stringify(text)} is not ${what}.`, { field, value: text, hint: `Give ${flag} a number, e.g. ${flag} ${example}.` });
  }
  return Number(text);
}

function parsePort(text: string | number | undefined): number {
  if (text === undefined) return 80;
  const s = String(text).trim();
  if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 65535) {
    throw new DslabError('DSLAB_E_BAD_OPTION', `Invalid port: ${JSON.stringify(text)}. Must be a whole number from 1 to 65535.`, { field: 'port', value: text, hint: 'Give a port such as 80, or leave it out for 80.' });
  }
  return Number(s);
}

async function parsePolicy(text: string | undefined): Promise<PolicyChoice | undefined> {
  if (text === undefined || ['system', 'glibc', 'rfc6724'].includes(text)) return text as PolicyChoice | undefined;
  const { readFile } = await import('node:fs/promises');
  let body: string;
  try {
    body = await readFile(text, 'utf8');
  } catch (err) {
    throw new DslabError('DSLAB_E_BAD_OPTION', `Invalid --policy: ${JSON.stringify(text)} is neither system, glibc, rfc6724 nor a readable file.`, {
      field: 'policy',
      value: text,
      hint: 'Use system, glibc or rfc6724, or the path of a table in gai.conf format (label/precedence lines).',
      cause: err,
    });
  }
  const { parseGaiConf, tableFromGaiConf } = await import('../../connector/policy-table.js');
  const conf = parseGaiConf(body);
  if (conf.labels.length === 0 && conf.precedences.length === 0) {
    throw new DslabError('DSLAB_E_BAD_OPTION', `Invalid --policy file ${text}: it has no label or precedence line.`, {
      field: 'policy',
      value: text,
      hint: 'Write lines such as "precedence fd00::/8 45" and "label fd00::/8 14" (gai.conf format).',
    });
  }
  return { ...tableFromGaiConf(conf, text), name: 'custom' };
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * The TLS options of the command line: `--ca FILE` adds the PEM certificates in FILE to the
 * system's trusted CAs (Node's `ca` replaces them, so the roots are passed along);
 * `--insecure` turns verification off. Both need --tls and exclude each other.
 */
async function tlsOptions(o: ConnectCommandOptions): Promise<HappyOptions['tls']> {
  if (!o.tls) {
    const flag = o.ca !== undefined ? '--ca' : o.insecure ? '--insecure' : o.servername !== undefined ? '--servername' : undefined;
    if (flag) {
      throw new DslabError('DSLAB_E_BAD_OPTION', `Invalid ${flag}: it applies to TLS connections only, and --tls was not given.`, {
        field: flag.slice(2),
        value: flag === '--ca' ? o.ca : flag === '--servername' ? o.servername : true,
        hint: `Add --tls (e.g. dslab connect HOST 443 --tls ${flag}${flag === '--insecure' ? '' : ' ...'}), or leave ${flag} out.`,
      });
    }
    return undefined;
  }
  if (o.ca !== undefined && o.insecure) {
    throw new DslabError('DSLAB_E_BAD_OPTION', 'Invalid --insecure together with --ca: --insecure skips the very check that --ca is for.', {
      field: 'insecure',
      value: true,
      hint: 'Use --ca FILE to trust the server\'s certificate, or --insecure to skip verification, not both.',
    });
  }
  const base = { ...(o.servername ? { servername: o.servername } : {}) };
  if (o.insecure) return { ...base, rejectUnauthorized: false };
  if (o.ca === undefined) return Object.keys(base).length > 0 ? base : true;
  const [{ readFile }, { X509Certificate }, tls] = await Promise.all([import('node:fs/promises'), import('node:crypto'), import('node:tls')]);
  let text: string;
  try {
    text = await readFile(o.ca, 'utf8');
  } catch (err) {
    throw new DslabError('DSLAB_E_BAD_OPTION', `Invalid --ca: ${JSON.stringify(o.ca)} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`, {
      field: 'ca',
      value: o.ca,
      hint: 'Give the path of a PEM file holding the certificate to trust (for a self-signed server, its own certificate).',
      cause: err,
    });
  }
  const pems = text.match(PEM_CERT) ?? [];
  if (pems.length === 0) {
    throw new DslabError('DSLAB_E_BAD_OPTION', `Invalid --ca: ${JSON.stringify(o.ca)} holds no PEM certificate (no "-----BEGIN CERTIFICATE-----" block).`, {
      field: 'ca',
      value: o.ca,
      hint: 'Give a PEM certificate file (convert DER with: openssl x509 -inform der -in cert.der -out cert.pem); a private key is not a certificate.',
    });
  }
  pems.forEach((pem, i) => {
    try {
      new X509Certificate(pem);
    } catch (err) {
      throw new DslabError('DSLAB_E_BAD_OPTION', `Invalid --ca: certificate ${i + 1} of ${pems.length} in ${JSON.stringify(o.ca)} cannot be parsed (${(err as Error).message}).`, {
        field: 'ca',
        value: o.ca,
        hint: 'Check the file with: openssl x509 -in FILE -noout -subject, and give an intact PEM certificate.',
        cause: err,
      });
    }
  });
  return { ...base, ca: [...tls.rootCertificates, ...pems] };
}

/**
 * Builds the connector options from the command line, validating everything before connecting;
 * `normalized` is what the connector will make of them (defaults filled in, warnings).
 */
export async function connectOptions(o: ConnectCommandOptions): Promise<{ options: HappyOptions; normalized: NormalizedOptions }> {
  const { normalizeOptions } = await import('../../connector/options.js');
  const delay = parseNumber('connectionAttemptDelayMs', o.delay, '--delay');
  const resolutionDelay = parseNumber('resolutionDelayMs', o.resolutionDelay, '--resolution-delay');
  const timeout = parseNumber('timeoutMs', o.timeout, '--timeout');
  const attemptTimeout = parseNumber('attemptTimeoutMs', o.attemptTimeout, '--attempt-timeout');
  const fafc = parseNumber('firstAddressFamilyCount', o.firstFamilyCount, '--first-family-count', 'a number', 2);
  const dnsTimeout = parseNumber('dnsTimeoutMs', o.dnsTimeout, '--dns-timeout');
  const policy = await parsePolicy(o.policy);
  const tls = await tlsOptions(o);
  const options: HappyOptions = {
    host: o.host,
    port: parsePort(o.port),
    mode: (o.mode ?? 'happy') as ConnectMode,
    ...(delay !== undefined ? { connectionAttemptDelayMs: delay } : {}),
    ...(resolutionDelay !== undefined ? { resolutionDelayMs: resolutionDelay } : {}),
    ...(timeout !== undefined ? { timeoutMs: timeout } : {}),
    ...(attemptTimeout !== undefined ? { attemptTimeoutMs: attemptTimeout } : {}),
    ...(fafc !== undefined ? { firstAddressFamilyCount: fafc } : {}),
    ...(policy !== undefined ? { policy } : {}),
    cache: o.cache !== false,
    delayFromRtt: Boolean(o.delayFromRtt),
    ...(o.dnsServer && o.dnsServer.length > 0 ? { dnsServers: o.dnsServer } : {}),
    ...(dnsTimeout !== undefined ? { dnsTimeoutMs: dnsTimeout } : {}),
    ...(tls !== undefined ? { tls } : {}),
    explain: Boolean(o.explain),
    ...(o.signal ? { signal: o.signal } : {}),
  };
  try {
    // every bad value is reported before anything is sent
    return { options, normalized: normalizeOptions(options) };
  } catch (err) {
    throw asFlagError(err);
  }
}

/**
 * The library names its option fields; on the command line the message names the flag the
 * user typed (the error's `field` stays the library's name, stable for scripts).
 */
const FLAGS: Record<string, string> = {
  connectionAttemptDelayMs: '--delay',
  resolutionDelayMs: '--resolution-delay',
  timeoutMs: '--timeout',
  attemptTimeoutMs: '--attempt-timeout',
  firstAddressFamilyCount: '--first-family-count',
  dnsTimeoutMs: '--dns-timeout',
  dnsServers: '--dns-server',
};

function asFlagError(err: unknown): unknown {
  if (!(err instanceof DslabError) || err.field === undefined) return err;
  const flag = FLAGS[err.field];
  if (flag === undefined) return err;
  return new DslabError(err.code, err.message.replace(`Invalid ${err.field}:`, `Invalid ${flag}:`).replace(`Give ${err.field} `, `Give ${flag} `), {
    field: err.field,
    value: err.value,
    ...(err.hint !== undefined ? { hint: err.hint.replace(`Give ${err.field} `, `Give ${flag} `) } : {}),
    cause: err,
    ...(err.details !== undefined ? { details: err.details } : {}),
  });
}

export async function connectCommand(o: ConnectCommandOptions): Promise<ConnectCommandResult> {
  const count = parseNumber('count', o.count, '--count', 'a number', 5) ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 100_000) {
    throw new DslabError('DSLAB_E_BAD_OPTION', `Invalid --count: ${JSON.stringify(o.count)}. Must be a whole number from 1 to 100000.`, { field: 'count', value: o.count, hint: 'Use e.g. --count 5.' });
  }
  const path = o.path ?? '/';
  if (!path.startsWith('/') || /[\s]/.test(path)) {
    throw new DslabError('DSLAB_E_BAD_OPTION', `Invalid --path: ${JSON.stringify(path)}. Must start with "/" and contain no spaces.`, { field: 'path', value: path, hint: 'Use e.g. --path /index.html.' });
  }
  const { options, normalized: norm } = await connectOptions(o);
  const svg = o.svg !== undefined ? await import('../render/connect-svg.js') : undefined;
  const svgPath = svg && o.svg !== undefined ? await svg.checkSvgTarget(o.svg) : undefined;
  const [{ happyConnect }, { reportFromResult, reportFromError }, { httpStatusLine }] = await Promise.all([
    import('../../connector/connect.js'),
    import('../../connector/report.js'),
    import('../../connector/http-probe.js'),
  ]);
  const runs: ConnectReport[] = [];
  for (let i = 0; i < count; i++) {
    if (o.signal?.aborted) break;
    const started = performance.now();
    let report: ConnectReport;
    try {
      const result = await happyConnect(options);
      report = reportFromResult(result);
      if (o.http !== false) {
        try {
          report.http = { statusLine: await httpStatusLine(result.socket, norm.host, path, 5000) };
        } catch (err) {
          report.http = { error: (err as Error).message };
        }
      }
      result.socket.destroy();
    } catch (err) {
      if (err instanceof DslabError && err.code === 'DSLAB_E_BAD_OPTION') throw err;
      report = reportFromError({ host: norm.host, port: norm.port, mode: norm.mode, delayMs: norm.delayMs }, err, performance.now() - started);
      report.warnings = [...norm.warnings];
    }
    runs.push(report);
  }
  if (svg && svgPath && runs[0]) await svg.writeConnectSvg(svgPath, runs[0], norm.attemptTimeoutMs);
  return { runs, ...(svgPath ? { svg: svgPath } : {}) };
}

export function register(program: Command): void {
  program
    .command('connect')
    .description('connect to HOST the Happy Eyeballs way (RFC 8305) and show the race, like the article\'s ds_client.py')
    .argument('<host>', 'name or address, e.g. dual-badv6.local (inside a lab, run it in the client node: dslab exec client -- dslab connect ...)')
    .argument('[port]', 'TCP port', '80')
    .option('--mode <mode>', 'happy (RFC 8305), sequential (IPv6 then IPv4, 2 s each, like ds_client.py), ipv4 or ipv6', 'happy')
    .option('--delay <ms>', 'Connection Attempt Delay (RFC 8305 §5; default 250; min 10, under 100 warns, over 2000 capped)')
    .option('--resolution-delay <ms>', 'Resolution Delay: how long an A answer waits for AAAA (RFC 8305 §3; default 50)')
    .option('--timeout <ms>', 'overall deadline (default 10000; sequential: 30000)')
    .option('--attempt-timeout <ms>', 'per-attempt timeout (default: none in happy mode, 2000 in sequential)')
    .option('--first-family-count <n>', 'First Address Family Count (RFC 8305 §4; default 1)')
    .option('--policy <table>', 'address sorting table: system (default: /etc/gai.conf, else glibc\'s), glibc, rfc6724, or a gai.conf-style FILE')
    .option('--no-cache', 'do not use or fill the winner cache')
    .option('--delay-from-rtt', 'derive the Connection Attempt Delay from cached RTTs (within 100..2000 ms)')
    .option('--dns-server <addr...>', 'ask these resolvers instead of /etc/resolv.conf (e.g. 127.0.0.1:5353)')
    .option('--dns-timeout <ms>', 'DNS timeout of the first try (default 1500; retried on each nameserver with longer timeouts): what sequential mode waits out when an answer is lost')
    .option('--tls', 'do TLS on the winning socket (HTTPS)')
    .option('--servername <name>', 'TLS server name (default: the host)')
    .option('--ca <file>', 'with --tls: also trust the CA certificate(s) in this PEM file (e.g. a self-signed server\'s own certificate)')
    .option('--insecure', 'with --tls: do not verify the server\'s certificate (like curl -k); prints a warning')
    .option('--no-http', 'only connect; send no HTTP request')
    .option('--path <path>', 'path of the HTTP GET', '/')
    .option('--count <n>', 'connect N times in one process (the cache shows from the second on)', '1')
    .option('--timeline', 'draw the race as a chart: one bar per attempt on a millisecond scale')
    .option('--svg <file>', 'also write a picture of the race to FILE (SVG; with --count, of the first run)')
    .option('--explain', 'say which sorting table decided the order, and by which RFC 6724 rule')
    .option('--json', 'print the result as JSON')
    .action(async (host: string, port: string, opts: Record<string, unknown>) => {
      const { abortOnSignals } = await import('../abort-on-signals.js');
      const { signal, dispose } = abortOnSignals('cancelling the connection');
      try {
        // commander's camelCased option names are the fields of ConnectCommandOptions
        const result = await connectCommand({ ...(opts as Omit<ConnectCommandOptions, 'host' | 'port' | 'signal'>), host, port, signal });
        await show(stdio, result, { json: Boolean(opts.json), timeline: Boolean(opts.timeline), explain: Boolean(opts.explain) });
        const failed = result.runs.some((r) => r.error !== undefined || (r.http !== undefined && 'error' in r.http));
        if (failed) throw new ExitError(1);
      } finally {
        dispose();
      }
    });
}

async function show(output: Output, result: ConnectCommandResult, how: { json: boolean; timeline: boolean; explain: boolean }): Promise<void> {
  if (how.json) {
    printJson(output, result.runs.length === 1 ? result.runs[0] : { count: result.runs.length, runs: result.runs });
    return;
  }
  const { renderConnect, renderCountSummary, summaryLine } = await import('../render/connect.js');
  const { renderTimeline } = await import('../render/connect-timeline.js');
  const { renderExplain } = await import('../render/connect-explain.js');
  result.runs.forEach((run, i) => {
    if (i > 0) {
      // later runs in one line each: the cache is what they show
      output.out(`run ${i + 1}: ${summaryLine(run)}`);
      if (how.timeline) for (const line of renderTimeline(run)) output.out(line);
      return;
    }
    if (result.runs.length > 1) output.out(`run 1 of ${result.runs.length}:`);
    for (const line of renderConnect(run)) output.out(line);
    if (how.timeline) for (const line of renderTimeline(run)) output.out(line);
    if (how.explain) for (const line of renderExplain(run)) output.out(line);
  });
  if (result.runs.length > 1) for (const line of renderCountSummary(result.runs)) output.out(line);
  if (result.svg) output.out(`picture of the race: ${result.svg}`);
}
