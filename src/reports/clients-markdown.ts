/**
 * The report's section for the experiment "how real clients fall back" (`dslab run
 * --clients`): what was run, the grid as a table and as a picture, what each scenario does,
 * the clients that were skipped and why, and the article's client table set against what was
 * measured in this run.
 */
import { basename } from 'node:path';
import type { RunReport } from '../experiments/types.js';
import { cellText, findCell } from './matrix-cells.js';

export const CLIENTS_TITLE = 'Experiment 4: how real clients fall back';

/** The grid picture's file name beside the report. */
export function clientsPictureName(lab: string): string {
  return `${lab}-clients.svg`;
}

const cell = (t: string): string => t.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function clientsMarkdown(report: RunReport): string[] {
  const c = report.clients;
  if (!c) return [];
  const m = c.matrix;
  const out = [`### ${CLIENTS_TITLE}`, ''];
  out.push(
    '> Each real client fetched `http://NAME/` from the client node once per scenario, with the scenario\'s faults in the lab and a capture on the node\'s interface;',
    '> dslab read the attempts from the packets, not from the program. A cell is the family that carried the request and the time from the client\'s first packet',
    '> to that connection ("delay": the Connection Attempt Delay seen on the wire; "on error": it moved on after a reset or an ICMP error). These are observations',
    '> about the clients, not checks of the lab: they do not change the result above.',
    '',
    'Command (the same grid, run again by hand):',
    '',
    '```sh',
    c.command,
    '```',
    '',
  );
  out.push(`| Client | ${m.scenarios.map((s) => s.name).join(' | ')} |`, `| --- | ${m.scenarios.map(() => '---').join(' | ')} |`);
  for (const client of m.clients) out.push(`| ${cell(client.name)} | ${m.scenarios.map((s) => cell(cellText(findCell(m, client.id, s.name)))).join(' | ')} |`);
  out.push('');
  const pic = clientsPictureName(report.lab);
  if (report.files?.clients && basename(report.files.clients) === pic) out.push(`![How real clients fall back](${pic})`, '');
  out.push('Scenarios:', '', ...m.scenarios.map((s) => `- \`${s.name}\` (target ${s.target}): ${s.description}`), '');
  if (m.skipped.length) out.push('Not run:', '', ...m.skipped.map((s) => `- ${s.name}: ${s.reason}`), '');
  out.push(`${m.cells.length} runs in ${(m.ms / 1000).toFixed(1)} s.`, '');
  out.push("#### The article's client table, against what was measured here", '', '| Client (article) | The article says | Measured in this run |', '| --- | --- | --- |');
  for (const row of c.article) out.push(`| ${cell(row.client)} | ${cell(row.claim)} | ${cell(row.measured.join(' '))} |`);
  out.push('');
  return out;
}
