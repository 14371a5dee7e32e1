/**
 * `dslab logs [--lab NAME] [--follow] SERVICE`: prints the log of the lab's DNS or web
 * server (`dns`, `web`, a service id such as `dns-dns2`, or a node name).
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { LAB_OPTION_HELP } from '../lab-option.js';
import { DslabError } from '../../errors.js';
import { printJson, stdio } from '../context.js';

export async function logFiles(labName: string | undefined, service: string): Promise<Array<{ id: string; file: string }>> {
  const [{ resolveLab }, { requireState, labStateDir, serviceFamily }] = await Promise.all([import('../../backends/netns/status.js'), import('../../backends/netns/state.js')]);
  const lab = resolveLab(labName);
  const state = requireState(lab);
  const matches = state.services.filter((s) => s.id === service || serviceFamily(s.kind) === service || s.kind === service || s.node === service);
  if (matches.length === 0) {
    throw new DslabError('DSLAB_E_USAGE', `The lab "${lab}" has no service "${service}".`, {
      field: 'service',
      value: service,
      hint: `Use one of: ${[...new Set(state.services.flatMap((s) => [serviceFamily(s.kind), s.id]))].join(', ') || '(none: this lab runs no services)'}.`,
    });
  }
  const { childPath } = await import('../../util/private-fs.js');
  return matches.map((s) => {
    // the journal is data from disk: a log name that leaves the lab's folder is not followed
    const file = childPath(labStateDir(lab), s.log);
    if (!file) throw new DslabError('DSLAB_E_STATE_UNSAFE', `The journal of lab "${lab}" names the log ${JSON.stringify(s.log)} for ${s.id}, which is not a file in the lab's folder.`, { field: 'log', value: s.log, hint: `Check ${labStateDir(lab)}/state.json: someone or something else wrote it.` });
    return { id: s.id, file };
  });
}

function copy(file: string, start: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const size = existsSync(file) ? statSync(file).size : 0;
    if (size <= start) return resolve(size < start ? 0 : start);
    const s = createReadStream(file, { start, end: size - 1 });
    s.on('data', (chunk) => process.stdout.write(chunk));
    s.on('end', () => resolve(size));
    s.on('error', reject);
  });
}

export function register(program: Command): void {
  program
    .command('logs')
    .description('print the log of the lab\'s DNS or web server (one line per query or request)')
    .argument('<service>', 'dns or web (or a service id / node name)')
    .option('--lab <name>', LAB_OPTION_HELP)
    .option('-f, --follow', 'keep printing new lines (Ctrl-C to stop)')
    .option('--json', 'print the log lines as JSON (not with --follow)')
    .action(async (service: string, opts: { lab?: string; follow?: boolean; json?: boolean }) => {
      const files = await logFiles(opts.lab, service);
      if (opts.json) {
        if (opts.follow) throw new DslabError('DSLAB_E_USAGE', '--json and --follow cannot be combined.', { field: '--json', hint: 'Drop --follow to get the log so far as JSON.' });
        const read = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : []);
        printJson(stdio, { logs: files.map(({ id, file }) => ({ service: id, file, lines: read(file) })) });
        return;
      }
      const offsets = new Map<string, number>();
      for (const { id, file } of files) {
        if (files.length > 1) stdio.out(`==> ${id} (${file}) <==`);
        offsets.set(file, await copy(file, 0));
      }
      if (!opts.follow) return;
      let stop = false;
      process.once('SIGINT', () => (stop = true));
      while (!stop) {
        await sleep(200);
        for (const { file } of files) offsets.set(file, await copy(file, offsets.get(file) ?? 0));
      }
    });
}
