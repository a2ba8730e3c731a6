/**
 * report.html of a drying study: one self-contained offline page (inline CSS and SVG from d3 scales,
 * contours and paths; no scripts). Framed for the process engineer: the headline table (damage after
 * the longest hold), the safe window, per-atmosphere heat maps over temperature × hold time with
 * damage contours (the threshold for the median solid, for the upper 90 % bound dashed), damage vs
 * temperature with 90 % bands for every quantity, what the answer hinges on, and the atmospheres with
 * their μ_O and offsets.
 */
import { contours, geoPath, interpolateYlOrRd, scaleSequential, ticks } from 'd3';
import { ZERO_CELSIUS_K } from '../../core/index.js';
import { esc, lineChart, PALETTE, type Series } from '../report/svg.js';
import type { DamageQuantity } from './damage.js';
import { fmt, type DryMap, type Dominance, type SafeWindow } from './map.js';
import type { DrySummary } from './summary.js';

const C = (K: number) => +(K - ZERO_CELSIUS_K).toFixed(1);
const H = (s: number) => +(s / 3600).toPrecision(4);

const CSS = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1180px;color:#222;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.muted{color:#777}.grid{display:flex;flex-wrap:wrap;gap:10px}figure{margin:0}.big{font-size:15px}
table.data{border-collapse:collapse;font-size:12.5px;margin:8px 0}table.data td,table.data th{border:1px solid #ddd;padding:4px 7px;vertical-align:top;text-align:left}
table.data th{background:#f5f5f5}td.num{text-align:right;white-space:nowrap}td.bad{background:#fde0dc}td.ok{background:#e6f4ea}b.sig{color:#b71c1c}
table.params td:first-child{color:#555;padding-right:14px}ul.notes li{margin:3px 0}`;

/** A value with its 90 % interval ("≥" where the lamella limits it). */
function withBand(b: { median: number | null; lo90: number | null; hi90: number | null; lamellaLimited?: boolean }, digits = 2): string {
  const f = (v: number | null) => (v === null ? '—' : v.toFixed(digits));
  return `<b>${b.lamellaLimited ? '≥ ' : ''}${f(b.median)}</b> <span class="muted">[${f(b.lo90)}, ${f(b.hi90)}]</span>`;
}

/** Heat map of the median of `q` over temperature (rows) × hold time (columns) for one atmosphere, with contours. */
export function heatmap(m: DryMap, atmosphere: string, q: DamageQuantity, threshold: number | undefined, vmax: number): string {
  const nx = m.times_s.length, ny = m.temperatures_K.length;
  const cellW = Math.max(26, Math.min(64, 380 / nx)), cellH = Math.max(14, Math.min(36, 260 / ny));
  const ml = 62, mt = 30, mb = 44, mr = 16;
  const W = ml + nx * cellW + mr + 70, Hh = mt + ny * cellH + mb;
  const grid = (pick: 'median' | 'hi90') => {
    const v = new Array<number>(nx * ny);
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const c = m.cells.find((x) => x.atmosphere === atmosphere && x.temperature_K === m.temperatures_K[j] && x.time_s === m.times_s[i])!;
        // Row 0 at the top of the picture = the highest temperature.
        v[(ny - 1 - j) * nx + i] = c.stats[q.name]?.[pick] ?? NaN;
      }
    }
    return v;
  };
  const med = grid('median');
  const hi = grid('hi90');
  const colour = scaleSequential(interpolateYlOrRd).domain([0, vmax > 0 ? vmax : 1]);
  const parts: string[] = [];
  parts.push(`<svg class="heatmap" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${Hh}" viewBox="0 0 ${W} ${Hh}" role="img" aria-label="${esc(`${q.label}: ${atmosphere}`)}">`);
  parts.push(`<rect width="${W}" height="${Hh}" fill="#fff"/><text x="${ml}" y="16" font-size="13" font-weight="600">${esc(atmosphere)}</text>`);
  for (let r = 0; r < ny; r++) {
    for (let i = 0; i < nx; i++) {
      const v = med[r * nx + i]!;
      const fill = Number.isFinite(v) ? colour(v) : '#eee';
      parts.push(`<rect x="${(ml + i * cellW).toFixed(1)}" y="${(mt + r * cellH).toFixed(1)}" width="${cellW.toFixed(1)}" height="${cellH.toFixed(1)}" fill="${fill}"><title>${C(m.temperatures_K[ny - 1 - r]!)} °C, ${H(m.times_s[i]!)} h: median ${fmt(v)} ${esc(q.unit)}, upper 90 % ${fmt(hi[r * nx + i]!)}</title></rect>`);
    }
  }
  // Contours in grid units (d3-contour: the value of cell (i, r) fills [i, i+1] × [r, r+1]), mapped to pixels.
  const toPx = (d: string) => d.replace(/(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)/g, (_, x: string, y: string) => `${(ml + Number(x) * cellW).toFixed(1)},${(mt + Number(y) * cellH).toFixed(1)}`);
  const path = geoPath();
  const finite = (v: number[]) => v.map((x) => (Number.isFinite(x) ? x : 0));
  const levels = vmax > 0 ? ticks(vmax / 8, vmax, 5).filter((l) => l > 0 && l !== threshold) : [];
  for (const c of contours().size([nx, ny]).thresholds(levels)(finite(med))) {
    const d = path(c);
    if (d) parts.push(`<path d="${toPx(d)}" fill="none" stroke="#555" stroke-width="0.8" stroke-opacity="0.7"><title>median ${c.value} ${esc(q.unit)}</title></path>`);
  }
  if (threshold !== undefined) {
    for (const [vals, dash, label] of [[med, '', 'median'], [hi, ' stroke-dasharray="5 3"', 'upper 90 % bound']] as const) {
      const c = contours().size([nx, ny]).thresholds([threshold])(finite(vals as number[]))[0];
      const d = c ? path(c) : null;
      if (d) parts.push(`<path class="threshold" d="${toPx(d)}" fill="none" stroke="#000" stroke-width="2"${dash}><title>${label} = ${threshold} ${esc(q.unit)}</title></path>`);
    }
  }
  // Axes: one tick per grid row/column.
  for (let i = 0; i < nx; i++) parts.push(`<text x="${(ml + (i + 0.5) * cellW).toFixed(1)}" y="${mt + ny * cellH + 13}" font-size="9.5" text-anchor="middle">${H(m.times_s[i]!)}</text>`);
  for (let r = 0; r < ny; r++) parts.push(`<text x="${ml - 5}" y="${(mt + (r + 0.5) * cellH).toFixed(1)}" font-size="9.5" text-anchor="end" dominant-baseline="middle">${C(m.temperatures_K[ny - 1 - r]!)}</text>`);
  parts.push(`<text x="${ml + (nx * cellW) / 2}" y="${Hh - 8}" font-size="11" text-anchor="middle">hold time (h)</text>`);
  parts.push(`<text transform="translate(14 ${mt + (ny * cellH) / 2}) rotate(-90)" font-size="11" text-anchor="middle">hold T (°C)</text>`);
  // Colour bar (same scale for every atmosphere).
  const bx = ml + nx * cellW + 18, bh = ny * cellH;
  for (let k = 0; k < 40; k++) {
    const v = (vmax * (40 - k - 0.5)) / 40;
    parts.push(`<rect x="${bx}" y="${(mt + (k * bh) / 40).toFixed(1)}" width="12" height="${(bh / 40 + 0.5).toFixed(1)}" fill="${colour(v)}"/>`);
  }
  for (const t of ticks(0, vmax > 0 ? vmax : 1, 4)) parts.push(`<text x="${bx + 16}" y="${(mt + bh * (1 - t / (vmax > 0 ? vmax : 1))).toFixed(1)}" font-size="9" dominant-baseline="middle">${fmt(t)}</text>`);
  parts.push(`<text x="${bx}" y="${mt - 6}" font-size="9">${esc(q.unit)}</text>`);
  parts.push('</svg>');
  return parts.join('');
}

/** Damage after the longest hold vs temperature, one colour per atmosphere (median solid, upper 90 % bound dashed). */
function quantityChart(m: DryMap, q: DamageQuantity): string {
  const last = m.times_s[m.times_s.length - 1]!;
  const xs = m.temperatures_K.map(C);
  const series: Series[] = [];
  m.atmospheres.forEach((a, k) => {
    const cells = m.temperatures_K.map((T) => m.cells.find((c) => c.atmosphere === a && c.temperature_K === T && c.time_s === last)!.stats[q.name]!);
    const col = PALETTE[k % PALETTE.length]!;
    series.push({ label: a, x: xs, y: cells.map((b) => b.median), color: col });
    series.push({ label: `${a}, 90 %`, x: xs, y: cells.map((b) => b.hi90), color: col, dashed: true, points: false });
  });
  return `<figure>${lineChart(series, { title: `${q.label} after ${H(last)} h`, xLabel: 'hold T (°C)', yLabel: q.unit, width: 540, height: 300 })}</figure>`;
}

/** Build the page. */
export function renderDryReport(s: DrySummary, m: DryMap, window: readonly SafeWindow[], dom: readonly Dominance[]): string {
  const q = m.quantities.find((x) => x.name === s.threshold.quantity)!;
  const last = m.times_s.length - 1;
  const params: [string, string][] = [
    ['material', `${s.material.name}, Li${s.material.lithium}, ${((s.material.niOnLi as number) * 100).toFixed(1)} % Ni on Li sites`],
    ['lamella', `${(s.material.lamella_nm as number[]).join(' × ')} nm, surfaces ${s.material.surfaces}, pore radius ${s.material.poreRadius}`],
    ['programme', `from ${s.programme.start_C} °C at ${s.programme.heatingRate_KPerMin} K/min${(s.programme.preHolds as { temperature_C: number; duration_h: number }[]).map((h) => `, hold ${h.temperature_C} °C for ${h.duration_h} h`).join('')}, main hold at each grid temperature, cool at ${s.programme.coolingRate_KPerMin} K/min to ${s.programme.end_C} °C`],
    ['grid', `${s.grid.temperatures_C.join(', ')} °C × ${s.grid.times_h.join(', ')} h`],
    ['uncertainty', s.uncertainty.description],
    ['threshold', `${q.label} < ${s.threshold.value} ${q.unit} (${q.name})`],
  ];
  const headRows = m.temperatures_K
    .map((T) => {
      const cells = m.atmospheres.map((a) => {
        const h = s.headline.find((x) => x.atmosphere === a && x.temperature_C === +(T - ZERO_CELSIUS_K).toFixed(3))!;
        const bad = h.hi90 !== null && h.hi90 >= s.threshold.value;
        return `<td class="num ${bad ? 'bad' : 'ok'}">${withBand(h)}</td>`;
      });
      return `<tr><td>${C(T)} °C</td>${cells.join('')}</tr>`;
    })
    .join('');
  const headline = `<table class="data"><thead><tr><th>hold T</th>${m.atmospheres.map((a) => `<th>${esc(a)}</th>`).join('')}</tr></thead><tbody>${headRows}</tbody></table>`;
  const safeRows = m.times_s
    .map((t) => {
      const cells = m.atmospheres.map((a) => {
        const w = window.find((x) => x.atmosphere === a && x.time_s === t)!;
        const f = (K: number, all: boolean, cross: number) => (Number.isNaN(K) ? `< ${C(m.temperatures_K[0]!)} °C` : `${all ? '≥ ' : ''}${C(K)} °C${Number.isFinite(cross) ? ` <span class="muted">(crosses ≈ ${C(cross)})</span>` : ''}`);
        return `<td>${f(w.highestSafeMedian_K, w.allSafeMedian, w.crossingMedian_K)}</td><td>${f(w.highestSafeHi90_K, w.allSafeHi90, w.crossingHi90_K)}</td>`;
      });
      return `<tr><td>${H(t)} h</td>${cells.join('')}</tr>`;
    })
    .join('');
  const safe = `<table class="data"><thead><tr><th rowspan="2">hold time</th>${m.atmospheres.map((a) => `<th colspan="2">${esc(a)}</th>`).join('')}</tr><tr>${m.atmospheres.map(() => '<th>median</th><th>upper 90 %</th>').join('')}</tr></thead><tbody>${safeRows}</tbody></table>`;
  const vmax = Math.max(s.threshold.value * 2, ...m.cells.map((c) => c.stats[q.name]?.median ?? 0).filter(Number.isFinite));
  const maps = m.atmospheres.map((a) => `<figure>${heatmap(m, a, q, s.threshold.value, vmax)}</figure>`).join('');
  const charts = m.quantities.map((x) => quantityChart(m, x)).join('');
  const atmRows = (s.atmospheres as { name: string; description: string; offsetText: string; perTemperature: { temperature_C: number; deltaMuO_eV: { median: number | null }; niNiOLine_eV: number | null; equivalentPO2_Pa: number | null }[] }[])
    .map((a) => {
      const mu = a.perTemperature.map((p) => `${p.temperature_C} °C: ${p.deltaMuO_eV.median?.toFixed(3)} eV${p.deltaMuO_eV.median !== null && p.niNiOLine_eV !== null && p.deltaMuO_eV.median < p.niNiOLine_eV ? ' (below Ni/NiO)' : ''}`).join('<br>');
      return `<tr><td>${esc(a.name)}</td><td>${esc(a.description)}</td><td>${esc(a.offsetText)}</td><td class="num">${mu}</td></tr>`;
    })
    .join('');
  const atmTable = `<table class="data"><thead><tr><th>atmosphere</th><th>gas</th><th>μ_O offset (and why)</th><th>Δμ_O,eff at the hold (median)</th></tr></thead><tbody>${atmRows}</tbody></table>`;
  const sensRows = m.rows
    .map((r) => {
      const noise = dom[0]?.noise ?? 1;
      const cells = m.parameters.map((p) => {
        const v = r.sensitivity[p]!;
        return `<td class="num">${Number.isFinite(v) ? (Math.abs(v) >= noise ? `<b class="sig">${v.toFixed(2)}</b>` : v.toFixed(2)) : '—'}</td>`;
      });
      return `<tr><td>${esc(r.atmosphere)}</td><td>${C(r.temperature_K)} °C</td>${cells.join('')}</tr>`;
    })
    .join('');
  const sens = `<table class="data"><thead><tr><th>atmosphere</th><th>hold T</th>${m.parameters.map((p) => `<th>${esc(p)}</th>`).join('')}</tr></thead><tbody>${sensRows}</tbody></table>`;
  const domList = dom.map((d) => `<li><b>${esc(d.atmosphere)}</b>: ${esc(d.text)}</li>`).join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(s.name)} — cathode-twin drying report</title><style>${CSS}</style></head>
<body>
<h1>Drying damage: ${esc(s.name)}</h1>
<p class="muted">${esc(s.description)}</p>
<table class="params">${params.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join('')}</table>
<h2>${esc(q.label)} after ${H(m.times_s[last]!)} h (median [90 % interval], ${esc(q.unit)})</h2>
<p class="muted">Green: the upper 90 % bound stays below ${s.threshold.value} ${esc(q.unit)}; red: it does not. "≥": the lamella's size limits the reading (see the notes).</p>
${headline}
<h2>Safe window: highest hold temperature below ${s.threshold.value} ${esc(q.unit)}</h2>
<p class="muted">The highest grid temperature at which the median (the upper 90 % bound) and every cooler grid temperature stay below the threshold; "≥" where the whole grid does; the crossing is interpolated between grid temperatures.</p>
${safe}
<h2>What the answer hinges on</h2>
<p class="muted">Spearman rank correlation of ${esc(q.name)} after the longest hold with each drawn parameter, over ${m.draws} draws; bold where |ρ| ≥ ${(dom[0]?.noise ?? 1).toFixed(2)} (distinguishable from 0 at about the 5 % level). The sentence per atmosphere weights each temperature by the 90 % width of the damage there, so temperatures where the draws barely differ count little.</p>
<ul>${domList}</ul>
${sens}
<h2>Maps: median ${esc(q.label)} over hold temperature × time</h2>
<p class="muted">Colour: median over the draws (one scale for all atmospheres). Thick solid line: the median reaches ${s.threshold.value} ${esc(q.unit)}; thick dashed: the upper 90 % bound does; thin lines: other median levels.</p>
<div class="grid">${maps}</div>
<h2>Every damage quantity after ${H(m.times_s[last]!)} h</h2>
<p class="muted">Median (solid) and upper 90 % bound (dashed) over the draws, per atmosphere.</p>
<div class="grid">${charts}</div>
<h2>Atmospheres</h2>
${atmTable}
<h2>Notes</h2>
<ul class="notes">${s.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
<p class="muted">cathode-twin ${esc(s.codeVersion)} · seed ${s.seed} · ${m.draws} draws (${esc(s.uncertainty.source)})</p>
</body></html>
`;
}
