/**
 * Server-side SVG charts from d3 scales and shapes (no DOM: axes are drawn from scale ticks).
 * Output is a self-contained <svg> string for report.html.
 */
import { extent, line, scaleLinear } from 'd3';
import { PALETTE } from './palette.js';

export { PALETTE };

/** One line series. */
export interface Series {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color?: string;
  /** Draw markers at the points. Default true. */
  points?: boolean;
  dashed?: boolean;
}

/** Chart options. */
export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  /** Vertical marker lines (e.g. the seed's observation temperatures), with optional labels. */
  markers?: { x: number; label?: string }[];
  /** Fixed y domain; default from the data (padded). */
  yDomain?: [number, number];
  xDomain?: [number, number];
  /** Legend lines without a curve (e.g. "APB zone: n/a (no sites)"), listed under the series. */
  legendNotes?: string[];
}

/** Legend text width estimate at 10 px (≈ 0.58 em per character), px. */
const textPx = (t: string) => Math.ceil(t.length * 5.8);


/** Escape text for XML. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(1);
  return String(+v.toPrecision(4));
}

/** A line chart as an SVG string (class "chart"; series paths have class "series"). */
export function lineChart(series: readonly Series[], opts: ChartOptions): string {
  // The legend sits in its own column right of the plot area, so it never covers a curve.
  const legendItems = [...series.map((s) => s.label), ...(opts.legendNotes ?? [])];
  const legendW = legendItems.length ? Math.min(200, 26 + Math.max(...legendItems.map(textPx))) : 0;
  const W = (opts.width ?? 460) + legendW;
  const H = Math.max(opts.height ?? 260, 40 + 13 * legendItems.length);
  const m = { top: 28, right: 14 + legendW, bottom: 40, left: 58 };
  const finite = (a: ArrayLike<number>) => Array.from(a).filter((v) => Number.isFinite(v));
  const xs = series.flatMap((s) => finite(s.x));
  const ys = series.flatMap((s) => finite(s.y));
  let [x0, x1] = opts.xDomain ?? (extent(xs) as [number, number]);
  let [y0, y1] = opts.yDomain ?? (extent(ys) as [number, number]);
  if (x0 === undefined || x1 === undefined) [x0, x1] = [0, 1];
  if (y0 === undefined || y1 === undefined) [y0, y1] = [0, 1];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  if (y0 === y1) [y0, y1] = [y0 - (Math.abs(y0) || 1) * 0.1, y1 + (Math.abs(y1) || 1) * 0.1];
  const pad = opts.yDomain ? 0 : 0.06 * (y1 - y0);
  const x = scaleLinear().domain([x0, x1]).range([m.left, W - m.right]);
  const y = scaleLinear().domain([y0 - pad, y1 + pad]).range([H - m.bottom, m.top]).nice();
  const parts: string[] = [];
  parts.push(`<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(opts.title)}">`);
  parts.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#fff"/>`);
  parts.push(`<text x="${m.left}" y="16" font-size="13" font-weight="600">${esc(opts.title)}</text>`);
  // Grid and axes from the scale ticks.
  for (const t of y.ticks(5)) {
    const yy = y(t).toFixed(1);
    parts.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${yy}" y2="${yy}" stroke="#eee"/>`);
    parts.push(`<text x="${m.left - 6}" y="${yy}" font-size="10" text-anchor="end" dominant-baseline="middle">${fmt(t)}</text>`);
  }
  for (const t of x.ticks(8)) {
    const xx = x(t).toFixed(1);
    parts.push(`<line x1="${xx}" x2="${xx}" y1="${H - m.bottom}" y2="${H - m.bottom + 4}" stroke="#333"/>`);
    parts.push(`<text x="${xx}" y="${H - m.bottom + 15}" font-size="10" text-anchor="middle">${fmt(t)}</text>`);
  }
  parts.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${H - m.bottom}" y2="${H - m.bottom}" stroke="#333"/>`);
  parts.push(`<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${H - m.bottom}" stroke="#333"/>`);
  parts.push(`<text x="${(m.left + W - m.right) / 2}" y="${H - 6}" font-size="11" text-anchor="middle">${esc(opts.xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${(m.top + H - m.bottom) / 2}) rotate(-90)" font-size="11" text-anchor="middle">${esc(opts.yLabel)}</text>`);
  for (const mk of opts.markers ?? []) {
    if (mk.x < x0 || mk.x > x1) continue;
    const xx = x(mk.x).toFixed(1);
    parts.push(`<line class="marker" x1="${xx}" x2="${xx}" y1="${m.top}" y2="${H - m.bottom}" stroke="#999" stroke-dasharray="3 3"/>`);
    if (mk.label) parts.push(`<text x="${xx}" y="${m.top - 2}" font-size="8" text-anchor="middle" fill="#777">${esc(mk.label)}</text>`);
  }
  const gen = line<[number, number]>()
    .defined((d) => Number.isFinite(d[0]) && Number.isFinite(d[1]))
    .x((d) => x(d[0]))
    .y((d) => y(d[1]));
  series.forEach((s, k) => {
    const col = s.color ?? PALETTE[k % PALETTE.length]!;
    const pts: [number, number][] = Array.from({ length: Math.min(s.x.length, s.y.length) }, (_, i) => [s.x[i]!, s.y[i]!]);
    const d = gen(pts) ?? '';
    parts.push(`<path class="series" d="${d}" fill="none" stroke="${col}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="5 3"' : ''}><title>${esc(s.label)}</title></path>`);
    if (s.points !== false) {
      for (const [px, py] of pts) if (Number.isFinite(px) && Number.isFinite(py)) parts.push(`<circle cx="${x(px).toFixed(1)}" cy="${y(py).toFixed(1)}" r="2" fill="${col}"/>`);
    }
  });
  // Legend: a column right of the plot area (class "legend"), never over the curves.
  const lx = W - legendW + 4;
  series.forEach((s, k) => {
    const col = s.color ?? PALETTE[k % PALETTE.length]!;
    const ly = m.top + 4 + 13 * k;
    parts.push(`<g class="legend"><line x1="${lx}" x2="${lx + 16}" y1="${ly}" y2="${ly}" stroke="${col}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    parts.push(`<text x="${lx + 20}" y="${ly}" font-size="10" dominant-baseline="middle">${esc(s.label)}</text></g>`);
  });
  (opts.legendNotes ?? []).forEach((t, j) => {
    const ly = m.top + 4 + 13 * (series.length + j);
    parts.push(`<g class="legend"><text x="${lx}" y="${ly}" font-size="10" fill="#777" dominant-baseline="middle">${esc(t)}</text></g>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
