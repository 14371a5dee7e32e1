/**
 * `dslab connect --timeline`: the race as a terminal chart, one bar per attempt on a shared
 * millisecond scale, with the DNS answers marked, so the Connection Attempt Delay is visible.
 * The lanes come from the race model that also feeds `--svg` (src/reports/race.ts).
 */
import type { ConnectReport } from '../../connector/report.js';
import { lanesFromAttempts } from '../../reports/race.js';

const WIDTH = 50;

export function renderTimeline(r: ConnectReport, width = WIDTH): string[] {
  const lanes = lanesFromAttempts(r.attempts);
  const end = Math.max(r.totalMs, ...lanes.map((a) => a.endMs ?? 0), 0.001);
  const col = (t: number): number => Math.min(width - 1, Math.max(0, Math.floor((t / end) * width)));
  const labels = lanes.map((a) => a.label);
  const dnsLabel = 'DNS';
  const pad = Math.max(dnsLabel.length, ...labels.map((l) => l.length));
  const lines = ['', `timeline (0 to ${end.toFixed(1)} ms, 1 column = ${(end / width).toFixed(2)} ms)`];
  const dns = Array.from({ length: width }, () => ' ');
  if (r.resolution.aaaa.ms !== null) dns[col(r.resolution.aaaa.ms)] = '6';
  if (r.resolution.a.ms !== null) dns[col(r.resolution.a.ms)] = dns[col(r.resolution.a.ms)] === '6' ? '*' : '4';
  lines.push(`  ${dnsLabel.padEnd(pad)} |${dns.join('')}| answers: 6 = AAAA, 4 = A`);
  lanes.forEach((a, i) => {
    const from = col(a.startMs);
    const to = Math.max(from, col(a.endMs ?? end));
    const fill = a.outcome === 'connected' ? '█' : a.outcome === 'failed' ? 'x' : '░';
    const row = Array.from({ length: width }, (_, c) => (c >= from && c <= to ? fill : ' '));
    const took = (a.endMs ?? end) - a.startMs;
    lines.push(`  ${labels[i]!.padEnd(pad)} |${row.join('')}| ${a.outcome} ${took.toFixed(1)} ms (from ${a.startMs.toFixed(1)})`);
  });
  const axis = `  ${''.padEnd(pad)} 0${' '.repeat(Math.max(0, width - 1 - `${end.toFixed(0)} ms`.length))}${end.toFixed(0)} ms`;
  lines.push(axis);
  lines.push(`  ${''.padEnd(pad)} █ connected  ░ cancelled (lost the race)  x failed`);
  return lines;
}
