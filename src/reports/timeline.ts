/**
 * Draws a connection race as text: one lane per attempt on a shared time axis, so that the
 * Happy Eyeballs delay (IPv4 starting while IPv6 still waits) can be seen at a glance.
 * The lanes come from the race model (race.ts), which also feeds the SVG picture.
 */
import type { Lane } from './race.js';

export { lanesFromAttempts, lanesFromCurl, type Lane } from './race.js';

/** What the text needs of a lane. */
type TextLane = Pick<Lane, 'label' | 'startMs' | 'endMs' | 'outcome'>;

export interface TimelineOptions {
  width?: number;
  /** Axis end; default: the latest end (or start) among the lanes. */
  untilMs?: number;
  /** Marks on the axis, e.g. the configured delay. */
  marks?: Array<{ atMs: number; label: string }>;
}

const END_MARK: Record<string, string> = { connected: '*', failed: 'x', cancelled: '-' };

function fmt(msValue: number): string {
  return msValue < 10 ? msValue.toFixed(1) : String(Math.round(msValue));
}

export function drawTimeline(lanes: readonly TextLane[], options: TimelineOptions = {}): string {
  if (lanes.length === 0) return '(no attempts)';
  const width = options.width ?? 48;
  const latest = Math.max(...lanes.map((l) => l.endMs ?? l.startMs), ...(options.marks ?? []).map((m) => m.atMs));
  const until = Math.max(options.untilMs ?? latest, 1);
  const col = (t: number) => Math.min(width - 1, Math.max(0, Math.round((t / until) * (width - 1))));
  const labelWidth = Math.max(...lanes.map((l) => l.label.length));
  const pad = ' '.repeat(labelWidth + 1);
  const axis = Array.from({ length: width }, () => '-');
  const notes: string[] = [];
  for (const m of options.marks ?? []) {
    axis[col(m.atMs)] = '+';
    notes.push(`+ ${m.label} at ${fmt(m.atMs)} ms`);
  }
  const lines = [`${pad}0 ms${' '.repeat(Math.max(1, width - 4 - `${fmt(until)} ms`.length))}${fmt(until)} ms`, `${pad}|${axis.join('')}|`];
  for (const l of lanes) {
    const row = Array.from({ length: width }, () => ' ');
    const s = col(l.startMs);
    const e = col(l.endMs ?? until);
    for (let i = s; i <= e; i++) row[i] = '=';
    row[s] = '[';
    row[e] = l.endMs === null ? '>' : (END_MARK[l.outcome] ?? '|');
    const when = l.endMs === null ? `still waiting at ${fmt(until)} ms` : `${l.outcome} at ${fmt(l.endMs)} ms`;
    lines.push(`${l.label.padEnd(labelWidth)} |${row.join('')}| started ${fmt(l.startMs)} ms, ${when}`);
  }
  if (notes.length) lines.push(`${pad}${notes.join('; ')}`);
  return lines.join('\n');
}
