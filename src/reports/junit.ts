/**
 * The run as JUnit XML for CI systems: one testsuite per section, one testcase per check;
 * a failed check is a <failure>, a skipped or not-applicable one a <skipped> with its reason.
 */
import { SECTIONS, SECTION_TITLES, type RunReport } from '../experiments/types.js';
import { xmlEscape } from './xml-escape.js';

const seconds = (ms: number) => (ms / 1000).toFixed(3);

export function renderJunit(report: RunReport): string {
  const s = report.summary;
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const total = report.checks.reduce((a, c) => a + c.durationMs, 0);
  out.push(`<testsuites name="dslab run ${xmlEscape(report.lab)}" tests="${s.total}" failures="${s.fail}" errors="0" skipped="${s.skip + s.notApplicable}" time="${seconds(total)}">`);
  for (const section of SECTIONS) {
    const checks = report.checks.filter((c) => c.section === section);
    if (checks.length === 0) continue;
    const fail = checks.filter((c) => c.status === 'fail').length;
    const skipped = checks.filter((c) => c.status === 'skip' || c.status === 'n/a').length;
    const time = checks.reduce((a, c) => a + c.durationMs, 0);
    out.push(
      `  <testsuite name="${xmlEscape(SECTION_TITLES[section])}" tests="${checks.length}" failures="${fail}" errors="0" skipped="${skipped}" time="${seconds(time)}" timestamp="${xmlEscape(report.environment.date)}">`,
    );
    for (const c of checks) {
      const open = `    <testcase classname="dslab.${section}" name="${xmlEscape(`${c.id}: ${c.title}`)}" time="${seconds(c.durationMs)}"`;
      const sysout = `      <system-out>${xmlEscape(`$ ${c.commands.join('\n$ ')}\nexpected: ${c.expectation}\nobserved: ${c.observed}${c.output ? `\n\n${c.output}` : ''}`)}</system-out>`;
      if (c.status === 'pass') {
        out.push(`${open}>`, sysout, '    </testcase>');
      } else if (c.status === 'fail') {
        out.push(`${open}>`, `      <failure message="${xmlEscape(c.reason ?? 'failed')}" type="${xmlEscape(c.id)}">${xmlEscape(`expected: ${c.expectation}\nobserved: ${c.observed}`)}</failure>`, sysout, '    </testcase>');
      } else {
        out.push(`${open}>`, `      <skipped message="${xmlEscape(`${c.status === 'n/a' ? 'not applicable' : 'skipped'}: ${c.reason ?? ''}`)}"/>`, '    </testcase>');
      }
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}
