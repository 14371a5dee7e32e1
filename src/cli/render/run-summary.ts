/**
 * The end of `dslab run` on a terminal: the article-style summary table, the races drawn as
 * timelines, the findings, and where the reports went.
 */
import { SECTION_TITLES, type RunReport } from '../../experiments/types.js';
import { STATUS_MARK, durationText, timelineOf } from '../../reports/check-views.js';
import { renderMatrix } from './matrix.js';
import { table } from './table.js';

function short(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 3) + '...';
}

export function renderRunSummary(report: RunReport): string[] {
  const out: string[] = ['', `Summary of lab ${report.lab}`, ''];
  const rows = report.checks.map((c) => [SECTION_TITLES[c.section].split(':')[0]!, short(c.title, 58), STATUS_MARK[c.status], durationText(c.durationMs), short(c.observed, 70)]);
  out.push(...table(['Section', 'Check', 'Result', 'Time', 'Observed'], rows));
  for (const id of ['fallback.broken.sequential', 'fallback.broken.happy', 'fallback.broken.curl']) {
    const c = report.checks.find((x) => x.id === id);
    const tl = c && timelineOf(c, report.plan);
    if (c && tl) out.push('', `  ${c.title}:`, ...tl.split('\n').map((l) => `    ${l}`));
  }
  if (report.clients) out.push('', ...renderMatrix(report.clients.matrix).map((l) => (l ? `  ${l}` : l)));
  out.push('', 'Findings:', ...report.findings.map((f) => `  - ${f}`));
  const s = report.summary;
  const t = report.timings;
  out.push(
    '',
    `${s.ok ? 'PASS' : 'FAIL'}: ${s.pass} passed, ${s.fail} failed, ${s.skip} skipped, ${s.notApplicable} not applicable, in ${durationText(t.wallMs)} (up ${durationText(t.upMs)}, experiments ${durationText(t.experimentsMs)}, down ${durationText(t.downMs)}).`,
  );
  if (report.files) out.push(`Reports: ${report.files.markdown}`, `         ${report.files.json}`, `         ${report.files.junit}`, ...(report.files.races ?? []).map((f) => `         ${f}`), ...(report.files.clients ? [`         ${report.files.clients}`] : []));
  if (report.kept) out.push(`The lab ${report.lab} is still up (--keep); remove it with "dslab down --lab ${report.lab}".`);
  return out;
}
