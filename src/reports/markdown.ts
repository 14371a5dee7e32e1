/**
 * The Markdown test report, with the structure of the seed's docs/test-report.md:
 * environment (kernel, Node, backend, date), topology diagram, records table, each
 * experiment's checks with their commands and outputs, the summary table, and the findings
 * in plain words. The overall result comes first so that a reader knows it at a glance.
 */
import { basename } from 'node:path';
import { explanation } from '../experiments/explain.js';
import { SECTIONS, SECTION_TITLES, type CheckResult, type RunReport } from '../experiments/types.js';
import { STATUS_MARK, durationText, outputHeading, raceFileName, timelineOf } from './check-views.js';
import { topologyDiagram } from './topology-diagram.js';
import { clientsMarkdown } from './clients-markdown.js';
import { DEFAULT_SOURCE } from '../lab/topology.js';

/** Table cells cannot hold `|` or newlines. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function fence(text: string, lang = ''): string[] {
  // a fence longer than any backtick run inside keeps the block closed
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const f = '`'.repeat(longest + 1);
  return [f + lang, text, f];
}

/** The race's SVG, embedded when it was written beside the report (it has the same folder). */
function racePicture(c: CheckResult, report: RunReport): string[] {
  const name = raceFileName(report.lab, c);
  if (!report.files?.races?.some((f) => basename(f) === name)) return [];
  return [`![The race of ${c.title.replace(/[[\]\\]/g, '')}](${name})`, ''];
}

function checkSection(c: CheckResult, report: RunReport): string[] {
  const out = [`#### ${STATUS_MARK[c.status]}: ${c.title}`, ''];
  out.push(`- Check: \`${c.id}\` (${c.tool}), ${durationText(c.durationMs)}`);
  out.push(`- Expected: ${c.expectation}`);
  out.push(`- Observed: ${c.observed}`);
  if (c.reason) out.push(`- ${c.status === 'fail' ? 'Why it failed' : 'Why'}: ${c.reason}`);
  out.push('', c.commands.length > 1 ? 'Commands:' : 'Command:', '', ...fence(c.commands.join('\n'), 'sh'));
  if (c.output) out.push('', outputHeading(c), '', ...fence(c.output));
  const tl = timelineOf(c, report.plan);
  if (tl) out.push('', "Timeline (dslab's drawing of the attempts above, from their timestamps):", '', ...racePicture(c, report), ...fence(tl));
  out.push('');
  return out;
}

export function renderMarkdown(report: RunReport): string {
  const e = report.environment;
  const s = report.summary;
  const out: string[] = [];
  out.push(`# dslab test report: lab ${report.lab}`, '');
  out.push(
    `Result: **${s.ok ? 'PASS' : 'FAIL'}**: ${s.pass} passed, ${s.fail} failed, ${s.skip} skipped, ${s.notApplicable} not applicable (of ${s.total}).`,
    `Lab file: \`${report.source === DEFAULT_SOURCE ? 'examples/default.yaml' : report.source}\`; ${report.broughtUp ? `brought up by this run${report.kept ? ' and kept' : ' and taken down after'}` : 'already up (left up)'}.`,
    '',
  );
  out.push('## Environment', '', '| Item | Value |', '| --- | --- |');
  out.push(`| Date | ${e.date} |`, `| Kernel | ${cell(e.kernel)} |`, `| Node.js | ${e.node} |`, `| Backend | ${e.backend} |`, `| Host | ${cell(e.hostname)} |`);
  for (const [tool, v] of Object.entries(e.tools)) out.push(`| ${tool} | ${cell(v ?? 'not installed')} |`);
  const t = report.timings;
  out.push(`| Timings | up ${durationText(t.upMs)}, experiments ${durationText(t.experimentsMs)}, down ${durationText(t.downMs)}, total ${durationText(t.wallMs)} |`, '');
  out.push('## Topology', '', ...fence(topologyDiagram(report)), '');
  out.push('## DNS records', '', '| Name | Type | Address | Reachable |', '| --- | --- | --- | --- |');
  const addrs = new Set(report.topology.nodes.flatMap((n) => [n.ipv4, n.ipv6]).filter(Boolean));
  for (const r of report.topology.records) out.push(`| ${r.name} | ${r.type} | ${r.address} | ${addrs.has(r.address) ? 'yes (a node has it)' : 'no: no node has it'} |`);
  out.push('');
  const shell = `dslab shell --lab ${report.lab} ${report.plan.client.name}`;
  out.push(
    '## Tests',
    '',
    `Commands are what a person would type to see each result themselves: \`dslab ...\` on the host (with the lab up: \`dslab up${report.lab === 'dslab' ? '' : ` --name ${report.lab}`}\`), everything else in the client node's shell (\`${shell}\`, like the article's \`docker exec -it rd-ds-client sh\`). Each Output block says who printed it: the command the check ran (named with the flags dslab adds to measure it), captured in this run, or dslab's own rendering of what its code observed.`,
    '',
  );
  for (const section of SECTIONS) {
    const checks = report.checks.filter((c) => c.section === section);
    if (checks.length === 0) continue;
    out.push(`### ${SECTION_TITLES[section]}`, '', ...explanation(section, report.plan).map((l) => `> ${l}`), '');
    for (const c of checks) out.push(...checkSection(c, report));
  }
  out.push(...clientsMarkdown(report));
  out.push('## Summary', '', '| Section | Check | Expected | Observed | Result | Time |', '| --- | --- | --- | --- | --- | --- |');
  for (const c of report.checks) {
    out.push(`| ${SECTION_TITLES[c.section].split(':')[0]} | ${cell(c.title)} | ${cell(c.expectation)} | ${cell(c.observed)} | ${STATUS_MARK[c.status]} | ${durationText(c.durationMs)} |`);
  }
  out.push('');
  out.push('## Findings', '', ...report.findings.map((f) => `- ${f}`), '');
  return out.join('\n');
}
