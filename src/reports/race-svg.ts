/**
 * Draws a connection race (race.ts) as a standalone SVG picture: a title (host, client, winner,
 * total), the DNS answers as marks, one lane per attempt with a bar from start to end coloured
 * by outcome, the Connection Attempt Delay (or the sequential client's timeout) as a dashed
 * line, and a millisecond axis. Plain text with no dependencies; the same race gives the same
 * bytes (no clock, no random ids), so that tests can compare output exactly.
 */
import type { Lane, Race, RaceAnswer } from './race.js';
import { xmlEscape } from './xml-escape.js';

/** Options of `renderRaceSvg`: the picture width and the end of the time axis. */
export interface RaceSvgOptions {
  /** Picture width in px (default 860). */
  width?: number;
  /** Axis end in ms; default: a round number just past the race's last event. */
  untilMs?: number;
}

const PAD = 20;
const ROW = 34;
const BAR = 14;
const MARK_ROW = 16;
/** Rough advance widths (px per character) to size the columns: 12 px monospace and sans text. */
const MONO_CH = 7.3;
const SANS_CH = 6.6;
/** The lane notes are partly bold: wider. */
const NOTE_CH = 7.3;

/**
 * Light colours by default, dark ones when the viewer prefers dark: the picture paints its
 * own background, so it stays readable on a page of either colour, and also where the media
 * query is not supported.
 */
const STYLE = [
  '.bg{fill:#ffffff;stroke:#d1d9e0}',
  'text{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;font-size:12px;fill:#1f2328}',
  '.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace}',
  '.title{font-size:15px;font-weight:600}',
  '.muted{fill:#59636e}',
  '.grid{stroke:#d1d9e0;stroke-width:1}',
  '.axis-line,.tick-line{stroke:#59636e;stroke-width:1}',
  '.row{fill:#f6f8fa}',
  '.bar-connected{fill:#1a7f37}',
  '.bar-failed{fill:#cf222e}',
  '.bar-cancelled{fill:#8c959f}',
  '.bar-open{fill-opacity:0.45}',
  '.end-connected{fill:#1a7f37;stroke:#ffffff;stroke-width:1.5}',
  '.end-failed{stroke:#cf222e;stroke-width:2.5;stroke-linecap:round;fill:none}',
  '.end-cancelled{stroke:#57606a;stroke-width:2;stroke-linecap:round}',
  '.note-connected{fill:#1a7f37;font-weight:600}',
  '.note-failed{fill:#cf222e;font-weight:600}',
  '.mark-line{stroke:#0969da;stroke-width:1.5;stroke-dasharray:6 4}',
  '.mark-line.timeout{stroke:#bc4c00}',
  '.mark-text{fill:#0969da;font-weight:600}',
  '.mark-text.timeout{fill:#bc4c00}',
  '.answer{fill:#8250df}',
  '.answer-failed{fill:none;stroke:#8250df;stroke-width:1.5}',
  '.answer-text{fill:#8250df}',
  '@media (prefers-color-scheme:dark){',
  '.bg{fill:#0d1117;stroke:#30363d}',
  'text{fill:#e6edf3}',
  '.muted{fill:#9198a1}',
  '.grid{stroke:#30363d}',
  '.axis-line,.tick-line{stroke:#9198a1}',
  '.row{fill:#161b22}',
  '.bar-connected{fill:#3fb950}',
  '.bar-failed{fill:#f85149}',
  '.bar-cancelled{fill:#6e7681}',
  '.end-connected{fill:#3fb950;stroke:#0d1117}',
  '.end-failed{stroke:#f85149}',
  '.end-cancelled{stroke:#9198a1}',
  '.note-connected{fill:#3fb950}',
  '.note-failed{fill:#f85149}',
  '.mark-line{stroke:#4493f8}',
  '.mark-line.timeout{stroke:#f0883e}',
  '.mark-text{fill:#4493f8}',
  '.mark-text.timeout{fill:#f0883e}',
  '.answer{fill:#ab7df8}',
  '.answer-failed{fill:none;stroke:#ab7df8}',
  '.answer-text{fill:#ab7df8}',
  '}',
].join('');

/** A coordinate with one decimal, never `-0`, so that output is byte-stable. */
function px(v: number): string {
  const r = Math.round(v * 10) / 10;
  return String(r === 0 ? 0 : r);
}

/** A time as people read it: one decimal under 10 ms, whole ms above. */
function msText(v: number): string {
  return v < 10 ? v.toFixed(1) : String(Math.round(v));
}

/** Tick label: a round number without trailing zeros. */
function tickText(v: number): string {
  return String(Number(v.toFixed(3)));
}

/** The axis: a round step (1, 2, 2.5 or 5 times a power of ten) giving at most 10 intervals. */
export function niceAxis(latestMs: number): { untilMs: number; stepMs: number } {
  const span = Math.max(latestMs, 0.1);
  let step = 10 ** (Math.floor(Math.log10(span / 10)) - 1);
  for (;;) {
    for (const k of [1, 2, 2.5, 5]) {
      const s = k * step;
      if (Math.ceil(span / s - 1e-9) <= 10) return { untilMs: Math.ceil(span / s - 1e-9) * s, stepMs: s };
    }
    step *= 10;
  }
}

function ticksFor(untilMs: number, forced: boolean): { untilMs: number; stepMs: number } {
  if (!forced) return niceAxis(untilMs);
  // a given axis end keeps its value; the step is the round one for that span
  const { stepMs } = niceAxis(untilMs);
  return { untilMs, stepMs };
}

function latestOf(race: Race): number {
  return Math.max(
    race.totalMs ?? 0,
    ...race.lanes.map((l) => l.endMs ?? l.startMs),
    ...race.marks.map((m) => m.atMs),
    ...race.answers.map((a) => a.atMs),
  );
}

function hostPort(race: Race): string {
  const host = race.host.includes(':') ? `[${race.host}]` : race.host;
  return race.port !== undefined ? `${host}:${race.port}` : host;
}

function laneNote(l: Lane, untilMs: number): string {
  if (l.endMs === null) return `still trying at ${msText(untilMs)} ms`;
  const took = msText(l.endMs - l.startMs);
  if (l.outcome === 'connected') return `connected in ${took} ms`;
  if (l.outcome === 'failed') return l.error === 'ETIMEDOUT' ? `timed out after ${took} ms` : `failed${l.error ? ` (${l.error})` : ''} after ${took} ms`;
  if (l.outcome === 'cancelled') return `cancelled after ${took} ms`;
  return `${l.outcome} after ${took} ms`;
}

function laneSentence(l: Lane): string {
  const end = l.endMs === null ? 'was still trying when the race ended' : `${l.outcome === 'failed' && l.error ? `failed with ${l.error}` : l.outcome} at ${msText(l.endMs)} ms`;
  return `${l.label} started at ${msText(l.startMs)} ms and ${end}`;
}

function answerWords(a: RaceAnswer): string {
  return a.failed ? `${a.qtype} failed (${a.failed})` : `${a.qtype} (${a.addresses.length} address${a.addresses.length === 1 ? '' : 'es'})`;
}

function titleText(race: Race): string {
  return `Connection race to ${hostPort(race)} \u2014 ${race.client}`;
}

function summaryText(race: Race): string {
  const total = race.totalMs !== null ? ` after ${msText(race.totalMs)} ms` : '';
  const who = race.winner ? `winner IPv${race.winner.family} ${race.winner.address}${total}` : `no winner${total}`;
  return `${who}; ${race.lanes.length} attempt${race.lanes.length === 1 ? '' : 's'}`;
}

/** The picture in words, for screen readers and for anyone who cannot see the colours. */
function description(race: Race): string {
  const parts = [`${titleText(race)}; ${summaryText(race)}.`];
  if (race.answers.length) parts.push(`DNS answers: ${race.answers.map((a) => `${answerWords(a)} at ${msText(a.atMs)} ms`).join(', ')}.`);
  for (const l of race.lanes) parts.push(`${laneSentence(l)}.`);
  for (const m of race.marks) parts.push(`The ${m.label} ends at ${msText(m.atMs)} ms.`);
  return parts.join(' ');
}

/** Answers closer than this many px share one label, so that AAAA and A never overprint. */
const ANSWER_GROUP_PX = 60;

function answerGroups(answers: readonly RaceAnswer[], x: (t: number) => number): RaceAnswer[][] {
  const groups: RaceAnswer[][] = [];
  for (const a of [...answers].sort((p, q) => p.atMs - q.atMs)) {
    const last = groups[groups.length - 1];
    if (last && x(a.atMs) - x(last[0]!.atMs) < ANSWER_GROUP_PX) last.push(a);
    else groups.push([a]);
  }
  return groups;
}

/** Draws a race as a standalone SVG document (text): one lane per attempt, DNS answers, wait marks and a ms axis; at least 480 px wide. */
export function renderRaceSvg(race: Race, options: RaceSvgOptions = {}): string {
  const width = Math.max(480, Math.round(options.width ?? 860));
  const axis = ticksFor(options.untilMs ?? latestOf(race), options.untilMs !== undefined);
  const until = Math.max(axis.untilMs, 0.1);
  const notes = race.lanes.map((l) => laneNote(l, until));
  const dnsLabel = 'DNS answers';
  const labelW = Math.min(300, Math.max(110, Math.ceil(Math.max(dnsLabel.length, ...race.lanes.map((l) => l.label.length)) * MONO_CH) + 18));
  const noteW = Math.min(300, Math.max(130, Math.ceil(Math.max(0, ...notes.map((n) => n.length)) * NOTE_CH) + 26));
  const left = PAD + labelW;
  const right = width - PAD - noteW;
  const x = (t: number): number => left + (Math.min(Math.max(t, 0), until) / until) * (right - left);

  const markTop = 64;
  const plotTop = markTop + race.marks.length * MARK_ROW + 8;
  const hasDns = race.answers.length > 0;
  const lanesTop = plotTop + (hasDns ? ROW : 0);
  const plotBottom = lanesTop + Math.max(1, race.lanes.length) * ROW;
  const axisY = plotBottom + 4;
  const legendY = axisY + 44;
  const height = legendY + 22;

  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="race-title race-desc">`);
  out.push(`<title id="race-title">${xmlEscape(`${titleText(race)} (${summaryText(race)})`)}</title>`);
  out.push(`<desc id="race-desc">${xmlEscape(description(race))}</desc>`);
  out.push(`<style>${STYLE}</style>`);
  out.push(`<rect class="bg" x="0.5" y="0.5" width="${width - 1}" height="${height - 1}" rx="8"/>`);
  out.push(`<text class="title" x="${PAD}" y="28">${xmlEscape(titleText(race))}</text>`);
  out.push(`<text class="muted" x="${PAD}" y="48">${xmlEscape(summaryText(race))}</text>`);

  // lane backgrounds and grid first, so that bars and lines draw over them
  out.push('<g class="rows">');
  for (let i = 0; i < race.lanes.length; i++) if (i % 2 === 0) out.push(`<rect class="row" x="${PAD}" y="${px(lanesTop + i * ROW)}" width="${width - 2 * PAD}" height="${ROW}" rx="4"/>`);
  out.push('</g>');
  out.push('<g class="axis">');
  const ticks = Math.round(until / axis.stepMs);
  for (let i = 0; i <= ticks; i++) {
    const t = Math.min(i * axis.stepMs, until);
    const tx = px(x(t));
    out.push(`<g class="tick" data-ms="${tickText(t)}">`);
    out.push(`<line class="grid" x1="${tx}" y1="${plotTop}" x2="${tx}" y2="${plotBottom}"/>`);
    out.push(`<line class="tick-line" x1="${tx}" y1="${axisY}" x2="${tx}" y2="${axisY + 5}"/>`);
    out.push(`<text class="muted" x="${tx}" y="${axisY + 18}" text-anchor="middle">${tickText(t)}${i === ticks ? ' ms' : ''}</text>`);
    out.push('</g>');
  }
  out.push(`<line class="axis-line" x1="${left}" y1="${axisY}" x2="${px(right)}" y2="${axisY}"/>`);
  out.push(`<text class="muted" x="${left - 14}" y="${axisY + 18}" text-anchor="end">ms since start</text>`);
  out.push('</g>');

  if (hasDns) {
    const mid = plotTop + ROW / 2;
    out.push('<g class="dns">');
    out.push(`<text class="mono muted" x="${PAD + 8}" y="${px(mid + 4)}">${dnsLabel}</text>`);
    for (const group of answerGroups(race.answers, x)) {
      for (const a of group) {
        const ax = x(a.atMs);
        out.push(
          `<path class="${a.failed ? 'answer answer-failed' : 'answer'} answer-${a.qtype.toLowerCase()}" data-ms="${px(a.atMs)}" d="M${px(ax)} ${px(mid - 6)}L${px(ax + 6)} ${px(mid)}L${px(ax)} ${px(mid + 6)}L${px(ax - 6)} ${px(mid)}Z"><title>${xmlEscape(`${answerWords(a)} at ${msText(a.atMs)} ms${a.addresses.length ? `: ${a.addresses.join(', ')}` : ''}`)}</title></path>`,
        );
      }
      const names = group.map((a) => (a.failed ? `${a.qtype} (${a.failed})` : a.qtype));
      const times = group.map((a) => msText(a.atMs));
      const text = new Set(times).size === 1 ? `${names.join(' + ')} at ${times[0]} ms` : names.map((n, k) => `${n} at ${times[k]} ms`).join(', ');
      const gx0 = x(group[0]!.atMs);
      const gx1 = x(group[group.length - 1]!.atMs);
      const nearEnd = gx1 > right - text.length * SANS_CH - 12;
      out.push(`<text class="answer-text" x="${px(nearEnd ? gx0 - 10 : gx1 + 10)}" y="${px(mid + 4)}"${nearEnd ? ' text-anchor="end"' : ''}>${xmlEscape(text)}</text>`);
    }
    out.push('</g>');
  }

  race.lanes.forEach((l, i) => {
    const top = lanesTop + i * ROW;
    const mid = top + ROW / 2;
    const x0 = x(l.startMs);
    const x1 = Math.max(x0 + 2, x(l.endMs ?? until));
    const open = l.endMs === null;
    const outcome = /^[a-z]+$/.test(l.outcome) ? l.outcome : 'other';
    out.push(`<g class="lane outcome-${outcome}${open ? ' open' : ''}" data-family="${l.family}" data-address="${xmlEscape(l.address)}" data-start-ms="${px(l.startMs)}" data-end-ms="${l.endMs === null ? '' : px(l.endMs)}">`);
    out.push(`<title>${xmlEscape(laneSentence(l))}</title>`);
    out.push(`<text class="mono" x="${PAD + 8}" y="${px(mid + 4)}">${xmlEscape(l.label)}</text>`);
    out.push(`<rect class="bar bar-${outcome}${open ? ' bar-open' : ''}" x="${px(x0)}" y="${px(mid - BAR / 2)}" width="${px(x1 - x0)}" height="${BAR}" rx="3"/>`);
    if (!open && outcome === 'connected') out.push(`<circle class="end end-connected" cx="${px(x1)}" cy="${px(mid)}" r="5"/>`);
    if (!open && outcome === 'failed') out.push(`<path class="end end-failed" d="M${px(x1 - 4)} ${px(mid - 4)}L${px(x1 + 4)} ${px(mid + 4)}M${px(x1 + 4)} ${px(mid - 4)}L${px(x1 - 4)} ${px(mid + 4)}"/>`);
    if (!open && outcome === 'cancelled') out.push(`<line class="end end-cancelled" x1="${px(x1)}" y1="${px(mid - 8)}" x2="${px(x1)}" y2="${px(mid + 8)}"/>`);
    out.push(`<text class="note note-${outcome}" x="${px(right + 14)}" y="${px(mid + 4)}">${xmlEscape(notes[i]!)}</text>`);
    out.push('</g>');
  });
  if (race.lanes.length === 0) out.push(`<text class="muted" x="${left}" y="${px(lanesTop + ROW / 2 + 4)}">no connection attempt was made</text>`);

  race.marks.forEach((m, i) => {
    const mx = x(m.atMs);
    const labelY = markTop + i * MARK_ROW + 10;
    const toLeft = mx > left + (right - left) * 0.6;
    out.push(`<g class="mark mark-${m.kind}" data-ms="${px(m.atMs)}">`);
    out.push(`<line class="mark-line ${m.kind}" x1="${px(mx)}" y1="${labelY + 4}" x2="${px(mx)}" y2="${plotBottom}"/>`);
    out.push(`<text class="mark-text ${m.kind}" x="${px(toLeft ? mx - 6 : mx + 6)}" y="${labelY}"${toLeft ? ' text-anchor="end"' : ''}>${xmlEscape(`${m.label} (ends at ${msText(m.atMs)} ms)`)}</text>`);
    out.push('</g>');
  });

  out.push(...legend(race, legendY, width));
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function legend(race: Race, y: number, width: number): string[] {
  const items: Array<{ swatch: string; text: string }> = [
    { swatch: 'bar bar-connected', text: 'connected' },
    { swatch: 'bar bar-failed', text: 'failed' },
    { swatch: 'bar bar-cancelled', text: 'cancelled (lost the race)' },
  ];
  if (race.lanes.some((l) => l.endMs === null)) items.push({ swatch: 'bar bar-cancelled bar-open', text: 'still trying' });
  const out = ['<g class="legend">'];
  let at = PAD;
  for (const item of items) {
    if (at + 24 + item.text.length * SANS_CH > width - PAD) break;
    out.push(`<rect class="${item.swatch}" x="${at}" y="${y - 9}" width="18" height="10" rx="2"/>`);
    out.push(`<text class="muted" x="${at + 24}" y="${y}">${xmlEscape(item.text)}</text>`);
    at += Math.ceil(24 + item.text.length * SANS_CH + 20);
  }
  for (const kind of new Set(race.marks.map((m) => m.kind))) {
    const text = kind === 'delay' ? 'delay before the next attempt' : 'per-attempt timeout';
    if (at + 24 + text.length * SANS_CH > width - PAD) break;
    out.push(`<line class="mark-line ${kind}" x1="${at}" y1="${y - 4}" x2="${at + 18}" y2="${y - 4}"/>`);
    out.push(`<text class="muted" x="${at + 24}" y="${y}">${xmlEscape(text)}</text>`);
    at += Math.ceil(24 + text.length * SANS_CH + 20);
  }
  out.push('</g>');
  return out;
}
