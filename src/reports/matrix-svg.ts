/**
 * The client × scenario grid as an SVG picture: one cell per client and scenario, coloured
 * by how long the user waited for a connection (green: under 300 ms, yellow: under 1 s,
 * orange: under 3.5 s, red: longer or no connection), with the family and time written in.
 */
import type { MatrixCell, MatrixResult } from '../measure/matrix.js';
import { xmlEscape } from './xml-escape.js';

export const WAIT_COLOURS = [
  { underMs: 300, fill: '#2e7d32', text: '#fff', label: 'under 300 ms' },
  { underMs: 1000, fill: '#f9a825', text: '#000', label: 'under 1 s' },
  { underMs: 3500, fill: '#ef6c00', text: '#fff', label: 'under 3.5 s' },
  { underMs: Infinity, fill: '#c62828', text: '#fff', label: 'longer, or no connection' },
] as const;

export function waitColour(c: MatrixCell | undefined): (typeof WAIT_COLOURS)[number] {
  if (!c || c.family === null || c.connectMs === null) return WAIT_COLOURS[3];
  return WAIT_COLOURS.find((w) => c.connectMs! < w.underMs)!;
}

export function renderMatrixSvg(m: MatrixResult): string {
  const labelW = 330;
  const cellW = 130;
  const cellH = 34;
  const top = 70;
  const width = labelW + cellW * m.scenarios.length + 20;
  const height = top + cellH * m.clients.length + 60;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>How real clients fall back (lab ${xmlEscape(m.lab)})</title>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">How real clients fall back: time to connect, measured from packets</text>`,
  ];
  m.scenarios.forEach((s, i) => parts.push(`<text x="${labelW + i * cellW + cellW / 2}" y="${top - 10}" text-anchor="middle" font-weight="bold">${xmlEscape(s.name)}</text>`));
  m.clients.forEach((c, r) => {
    const y = top + r * cellH;
    parts.push(`<text x="10" y="${y + cellH / 2 + 4}">${xmlEscape(c.name)}</text>`);
    m.scenarios.forEach((s, i) => {
      const cell = m.cells.find((x) => x.client === c.id && x.scenario === s.name);
      const colour = waitColour(cell);
      const x = labelW + i * cellW;
      const text = !cell ? '-' : cell.family === null ? 'no connection' : `IPv${cell.family} ${cell.connectMs! >= 1000 ? `${(cell.connectMs! / 1000).toFixed(2)} s` : `${Math.round(cell.connectMs!)} ms`}`;
      parts.push(`<rect x="${x + 2}" y="${y + 2}" width="${cellW - 4}" height="${cellH - 4}" rx="4" fill="${colour.fill}"><title>${xmlEscape(`${c.name} / ${s.name}: ${cell?.summary ?? 'not run'}`)}</title></rect>`);
      parts.push(`<text x="${x + cellW / 2}" y="${y + cellH / 2 + 4}" text-anchor="middle" fill="${colour.text}">${xmlEscape(text)}</text>`);
    });
  });
  const ly = top + cellH * m.clients.length + 25;
  WAIT_COLOURS.forEach((w, i) => {
    parts.push(`<rect x="${10 + i * 170}" y="${ly}" width="14" height="14" fill="${w.fill}"/>`, `<text x="${30 + i * 170}" y="${ly + 12}">${xmlEscape(w.label)}</text>`);
  });
  parts.push('</svg>', '');
  return parts.join('\n');
}
