/**
 * `dslab addr`: the article's IPv6 basics as a tool. `dslab addr ADDRESS|PREFIX` explains one
 * address or prefix; `ula`, `eui64` and `subnet` make a ULA prefix, an EUI-64 interface ID and
 * SLAAC address, and a list of subnets. The work is in src/addr (loaded lazily).
 */
import type { Command } from 'commander';
import { type Output, printJson, stdio } from '../context.js';

interface JsonOption {
  json?: boolean;
}

function emit<T>(output: Output, options: JsonOption, value: T, render: (v: T) => string[]): void {
  if (options.json) printJson(output, value);
  else for (const line of render(value)) output.out(line);
}

export function register(program: Command): void {
  const addr = program
    .command('addr')
    .description('IPv6 (and IPv4) address basics: forms, types, prefixes, ULA, EUI-64/SLAAC, subnets')
    .addHelpText(
      'after',
      '\nExamples:\n  dslab addr fd00:dead:beef::10\n  dslab addr 2001:db8::/48\n  dslab addr 172.30.0.0/24\n  dslab addr ula --subnet 1\n  dslab addr eui64 52:54:00:12:34:56 2001:db8:1:2::/64\n  dslab addr subnet 2001:db8::/48 64',
    );

  addr
    .command('explain <address>', { isDefault: true })
    .description('explain an address or prefix (the default: "dslab addr ADDRESS|PREFIX")')
    .option('--json', 'print the result as JSON')
    .action(async (address: string, options: JsonOption) => {
      const { explainAddress } = await import('../../addr/index.js');
      const { renderExplanation } = await import('../render/addr.js');
      emit(stdio, options, explainAddress(address), renderExplanation);
    });

  addr
    .command('ula')
    .description('generate a new ULA /48 prefix (RFC 4193 §3.2.2) and a /64 from it')
    .option('--subnet <n>', 'subnet ID of the /64, decimal 0-65535', '0')
    .option('--random', 'use a cryptographically random global ID instead of SHA-1 of time and local identifier')
    .option('--json', 'print the result as JSON')
    .action(async (options: JsonOption & { subnet: string; random?: boolean }) => {
      const { generateUla } = await import('../../addr/index.js');
      const { renderUla } = await import('../render/addr.js');
      emit(stdio, options, generateUla({ subnet: options.subnet, method: options.random ? 'random' : 'sha1' }), renderUla);
    });

  addr
    .command('eui64 <mac> [prefix]')
    .description('modified EUI-64 interface ID of a MAC address, and its SLAAC address in a /64 prefix')
    .option('--json', 'print the result as JSON')
    .action(async (mac: string, prefix: string | undefined, options: JsonOption) => {
      const { eui64 } = await import('../../addr/index.js');
      const { renderEui64 } = await import('../render/addr.js');
      emit(stdio, options, eui64(mac, prefix), renderEui64);
    });

  addr
    .command('subnet <prefix> <newlen>')
    .description('split a prefix into subnets of length NEWLEN: how many, the first few and the last')
    .option('--show <n>', 'how many subnets to list from the start', '4')
    .option('--json', 'print the result as JSON')
    .action(async (prefix: string, newlen: string, options: JsonOption & { show: string }) => {
      const { splitSubnets } = await import('../../addr/index.js');
      const { renderSubnets } = await import('../render/addr.js');
      const show = Number(options.show);
      if (!Number.isInteger(show) || show < 1) {
        const { DslabError } = await import('../../errors.js');
        throw new DslabError('DSLAB_E_BAD_OPTION', `--show "${options.show}" is not a whole number of 1 or more.`, {
          field: 'show',
          value: options.show,
          hint: 'Give how many subnets to list, e.g. --show 8.',
        });
      }
      emit(stdio, options, splitSubnets(prefix, newlen, { show }), renderSubnets);
    });
}
