/**
 * The probe program, to run inside a lab node (`dslab exec client -- node .../main.js ...`):
 *   node <dist>/src/services/probe/main.js --config FILE [--timeout MS]
 * `dslab up` runs it in the switch namespace to prove each node's IPv6 address where ping is
 * not installed (src/backends/netns/ipv6-check.ts); it can also be run by hand in any node.
 * Prints `{ "results": [...] }` as JSON and exits 0 whatever the results; exit 1 only when
 * the input is bad (the error goes to stderr).
 */
import process from 'node:process';
import { parseArgs } from 'node:util';
import { DslabError } from '../../errors.js';
import { readJsonConfig, reportFailure } from '../program.js';
import { probeTargets } from './probe.js';
import { parseProbeConfig } from './targets.js';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string' }, timeout: { type: 'string' } }, strict: true });
  if (!values.config) {
    throw new DslabError('DSLAB_E_USAGE', 'The probe needs --config FILE.', {
      field: '--config',
      hint: 'Run: node main.js --config probe.json',
    });
  }
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    timeoutMs = Number(values.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60000) {
      throw new DslabError('DSLAB_E_BAD_OPTION', `--timeout ${values.timeout} is not a whole number of milliseconds from 100 to 60000.`, {
        field: '--timeout',
        value: values.timeout,
        hint: 'Leave it out for the default of 1500 ms.',
      });
    }
  }
  const config = parseProbeConfig(await readJsonConfig(values.config, 'probe config', 'Fix the JSON ({ "targets": [...] }, as labProbeTargets() in plan.ts makes them).'), values.config);
  const results = await probeTargets(config.targets, { timeoutMs: timeoutMs ?? config.timeoutMs });
  process.stdout.write(JSON.stringify({ results }) + '\n');
}

main().catch((err: unknown) => reportFailure('probe', err));
