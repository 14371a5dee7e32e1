/**
 * The run as JUnit XML for CI systems: one testsuite per section, one testcase per check;
 * a failed check is a <failure>, a skipped or not-applicable one a <skipped> with its reason.
 */
import { SECTIONS, SECTION_TITLES, type RunReport } from '../experiments/types.js';
import { outputHeading } from './check-views.js';
import { CLIENTS_TITLE } from './clients-markdown.js';
import { cellText } from './matrix-cells.js';
import { xmlEscape } from './xml-escape.js';

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/**
 * The clients experiment as one testsuite: a testcase per client and scenario, its
 * measurements as properties. The cells are observations about the clients, not checks of
 * the lab, so none is a <failure> (the run's result does not depend on them); a client that
 * is not installed is a <skipped> testcase with the install hint.
 */
function clientsSuite(report: RunReport): string[] {
  const c = report.clients;
  if (!c) return [];
  const m = c.matrix;
  const prop = (name: string, value: unknown) => `        <property name="${name}" value="${xmlEscape(value === null || value === undefined ? '' : String(value))}"/>`;
  const out = [`  <testsuite name="${xmlEscape(CLIENTS_TITLE)}" tests="${m.cells.length + m.skipped.length}" failures="0" errors="0" skipped="${m.skipped.length}" time="${seconds(m.ms)}" timestamp="${xmlEscape(report.environment.date)}">`];
  for (const cell of m.cells) {
    const name = m.clients.find((x) => x.id === cell.client)?.name ?? cell.client;
    out.push(
      `    <testcase classname="dslab.clients.${xmlEscape(cell.scenario)}" name="${xmlEscape(`${cell.client} in ${cell.scenario}: ${cellText(cell)}`)}" time="${seconds(cell.wallMs)}">`,
      '      <properties>',
      prop('family', cell.family),
      prop('connectMs', cell.connectMs),
      prop('attemptDelayMs', cell.attemptDelayMs),
      prop('fallback', cell.fallback),
      prop('grade', cell.grade),
      prop('exitCode', cell.exitCode),
      '      </properties>',
      `      <system-out>${xmlEscape(`${name}, scenario ${cell.scenario} (target ${cell.target}): ${cell.summary}`)}</system-out>`,
      '    </testcase>',
    );
  }
  for (const s of m.skipped) out.push(`    <testcase classname="dslab.clients" name="${xmlEscape(s.id)}" time="0">`, `      <skipped message="${xmlEscape(`not installed: ${s.reason}`)}"/>`, '    </testcase>');
  out.push('  </testsuite>');
  return out;
}

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
      const sysout = `      <system-out>${xmlEscape(`$ ${c.commands.join('\n$ ')}\nexpected: ${c.expectation}\nobserved: ${c.observed}${c.output ? `\n\n${outputHeading(c)}\n${c.output}` : ''}`)}</system-out>`;
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
  out.push(...clientsSuite(report));
  out.push('</testsuites>', '');
  return out.join('\n');
}
