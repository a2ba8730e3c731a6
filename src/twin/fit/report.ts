/**
 * The fit's report.html: one self-contained offline page (inline SVG from d3 scales and shapes, no DOM,
 * no scripts): the parameter table, a corner plot of the posterior (histograms, pairwise 2D densities,
 * the default and the 90 % interval marked), the predicted curves with their bands against the
 * measured ones (the observation interval of each measured point drawn), the onset table, diagnostics.
 */
import { area, line, scaleLinear } from 'd3';
import { esc, PALETTE } from '../report/index.js';
import type { FitResult } from './driver.js';
import type { PreparedFit } from './problem.js';
import type { CurvePoint, PosteriorJson } from './summary.js';
import type { OnsetQuantiles } from './posterior.js';

const fmt = (v: number | null | undefined, p = 4) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : String(+v.toPrecision(p)));

/** Corner plot of the posterior samples (unit-cube coordinates drawn on the parameters' own scales). */
export function cornerPlot(r: FitResult, size = 150): string {
  const d = r.space.dim;
  const pad = 46;
  const W = pad + d * size + 10;
  const xy = () => scaleLinear().domain([0, 1]).range([0, size - 8]);
  const samples = r.mcmc.samples;
  const parts: string[] = [`<svg class="corner" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${W}" viewBox="0 0 ${W} ${W}" role="img" aria-label="posterior corner plot">`, `<rect width="${W}" height="${W}" fill="#fff"/>`];
  const label = (i: number) => `${r.space.parameters[i]!.name} (${r.space.parameters[i]!.unit})`;
  const tickText = (i: number, u: number) => fmt(r.space.value(i, u), 3);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      const ox = pad + j * size;
      const oy = 10 + i * size;
      const sx = xy();
      parts.push(`<g transform="translate(${ox} ${oy})"><rect width="${size - 8}" height="${size - 8}" fill="none" stroke="#bbb"/>`);
      if (i === j) {
        const bins = 30;
        const h = new Float64Array(bins);
        for (const s of samples) h[Math.min(bins - 1, Math.max(0, Math.floor(s[i]! * bins)))]! += 1;
        const mx = Math.max(...h, 1);
        const sy = scaleLinear().domain([0, mx]).range([size - 8, 4]);
        for (let b = 0; b < bins; b++) parts.push(`<rect x="${sx(b / bins).toFixed(1)}" y="${sy(h[b]!).toFixed(1)}" width="${(sx(1 / bins) - sx(0)).toFixed(1)}" height="${(size - 8 - sy(h[b]!)).toFixed(1)}" fill="${PALETTE[0]}" opacity="0.75"/>`);
        const p = r.space.parameters[i]!;
        const def = r.space.unit(i, p.default);
        if (def >= 0 && def <= 1) parts.push(`<line x1="${sx(def).toFixed(1)}" x2="${sx(def).toFixed(1)}" y1="0" y2="${size - 8}" stroke="${PALETTE[1]}" stroke-dasharray="4 2"><title>default ${p.default} ${p.unit}</title></line>`);
        const sorted = Float64Array.from(samples, (s) => s[i]!).sort();
        for (const q of [0.05, 0.95]) {
          const v = sorted[Math.floor(q * (sorted.length - 1))]!;
          parts.push(`<line x1="${sx(v).toFixed(1)}" x2="${sx(v).toFixed(1)}" y1="0" y2="${size - 8}" stroke="#333" stroke-dasharray="2 2"/>`);
        }
      } else {
        const sy = scaleLinear().domain([0, 1]).range([size - 8, 0]);
        const g = 24;
        const h = new Float64Array(g * g);
        for (const s of samples) h[Math.min(g - 1, Math.floor(s[i]! * g)) * g + Math.min(g - 1, Math.floor(s[j]! * g))]! += 1;
        const mx = Math.max(...h, 1);
        for (let a = 0; a < g; a++) for (let b = 0; b < g; b++) {
          const v = h[a * g + b]!;
          if (v === 0) continue;
          parts.push(`<rect x="${sx(b / g).toFixed(1)}" y="${sy((a + 1) / g).toFixed(1)}" width="${(sx(1 / g) - sx(0)).toFixed(1)}" height="${(sy(0) - sy(1 / g)).toFixed(1)}" fill="${PALETTE[0]}" opacity="${(0.1 + 0.9 * (v / mx)).toFixed(2)}"/>`);
        }
        const pi = r.space.parameters[i]!;
        const pj = r.space.parameters[j]!;
        const di = r.space.unit(i, pi.default);
        const dj = r.space.unit(j, pj.default);
        if (di >= 0 && di <= 1 && dj >= 0 && dj <= 1) parts.push(`<circle cx="${sx(dj).toFixed(1)}" cy="${sy(di).toFixed(1)}" r="3.5" fill="none" stroke="${PALETTE[1]}" stroke-width="1.5"><title>defaults</title></circle>`);
      }
      if (i === d - 1) {
        for (const u of [0, 0.5, 1]) parts.push(`<text x="${sx(u).toFixed(1)}" y="${size + 2}" font-size="9" text-anchor="middle">${esc(tickText(j, u))}</text>`);
        parts.push(`<text x="${(size - 8) / 2}" y="${size + 14}" font-size="10" text-anchor="middle">${esc(label(j))}</text>`);
      }
      if (j === 0 && i > 0) {
        const sy = scaleLinear().domain([0, 1]).range([size - 8, 0]);
        for (const u of [0, 0.5, 1]) parts.push(`<text x="-3" y="${sy(u).toFixed(1)}" font-size="9" text-anchor="end" dominant-baseline="middle">${esc(tickText(i, u))}</text>`);
        parts.push(`<text transform="translate(-34 ${(size - 8) / 2}) rotate(-90)" font-size="10" text-anchor="middle">${esc(label(i))}</text>`);
      }
      parts.push('</g>');
    }
  }
  parts.push('</svg>');
  return parts.join('');
}

/** One statistic's predicted band (90 % predictive, and 90 % of the expected value) with the measured points and their observation intervals. */
export function curveChart(points: readonly CurvePoint[], title: string): string {
  const W = 440;
  const H = 250;
  const m = { top: 26, right: 12, bottom: 38, left: 56 };
  const xs = points.map((p) => p.temperature_C);
  const ys = points.flatMap((p) => [p.p05, p.p95, ...(p.observed !== null ? [p.observed] : [])]).filter(Number.isFinite);
  const x = scaleLinear().domain([Math.min(...xs), Math.max(...xs)]).range([m.left, W - m.right]);
  const y = scaleLinear().domain([Math.min(...ys), Math.max(...ys)]).nice().range([H - m.bottom, m.top]);
  const band = area<CurvePoint>().x((p) => x(p.temperature_C)).y0((p) => y(p.p05)).y1((p) => y(p.p95));
  const inner = area<CurvePoint>().x((p) => x(p.temperature_C)).y0((p) => y(p.mean05)).y1((p) => y(p.mean95));
  const med = line<CurvePoint>().x((p) => x(p.temperature_C)).y((p) => y(p.p50));
  const parts = [`<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">`, `<rect width="${W}" height="${H}" fill="#fff"/>`, `<text x="${m.left}" y="15" font-size="12" font-weight="600">${esc(title)}</text>`];
  for (const t of y.ticks(5)) parts.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#eee"/><text x="${m.left - 5}" y="${y(t).toFixed(1)}" font-size="10" text-anchor="end" dominant-baseline="middle">${fmt(t, 3)}</text>`);
  for (const t of x.ticks(8)) parts.push(`<text x="${x(t).toFixed(1)}" y="${H - m.bottom + 14}" font-size="10" text-anchor="middle">${fmt(t, 4)}</text>`);
  parts.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${H - m.bottom}" y2="${H - m.bottom}" stroke="#333"/><text x="${(m.left + W - m.right) / 2}" y="${H - 6}" font-size="11" text-anchor="middle">T (°C)</text>`);
  parts.push(`<path d="${band(points as CurvePoint[]) ?? ''}" fill="${PALETTE[0]}" opacity="0.18"><title>90 % posterior-predictive band</title></path>`);
  parts.push(`<path d="${inner(points as CurvePoint[]) ?? ''}" fill="${PALETTE[0]}" opacity="0.35"><title>90 % band of the expected value</title></path>`);
  parts.push(`<path d="${med(points as CurvePoint[]) ?? ''}" fill="none" stroke="${PALETTE[0]}" stroke-width="1.6"/>`);
  for (const p of points) {
    if (p.observed === null) continue;
    const s = p.replicateSd;
    const cx = x(p.temperature_C).toFixed(1);
    if (Number.isFinite(s) && s > 0) parts.push(`<line x1="${cx}" x2="${cx}" y1="${y(p.observed - 1.645 * s).toFixed(1)}" y2="${y(p.observed + 1.645 * s).toFixed(1)}" stroke="${PALETTE[1]}" stroke-width="1"/>`);
    parts.push(`<circle cx="${cx}" cy="${y(p.observed).toFixed(1)}" r="2.6" fill="${PALETTE[1]}"><title>measured ${fmt(p.observed)} at ${p.temperature_C} °C</title></circle>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

/** report.html (see module doc). */
export function renderFitReport(r: FitResult, prep: PreparedFit, post: PosteriorJson, curves: readonly CurvePoint[], title: string): string {
  const pRows = Object.entries(post.parameters).map(([n, p]) => `<tr><td>${esc(n)}</td><td>${esc(p.unit)}</td><td>${fmt(p.median)}</td><td>${fmt(p.ci90[0])} – ${fmt(p.ci90[1])}</td><td>${fmt(p.prior[0])} – ${fmt(p.prior[1])} (${p.scale})</td><td>${fmt(p.default)}</td><td>${(100 * p.defaultQuantile).toFixed(0)} %</td><td>${p.supportsDefault ? 'yes' : '<b>no</b>'}</td></tr>`).join('');
  const grid = (q: OnsetQuantiles) => `<td>${q.median_C === null ? 'beyond the frames' : `${fmt(q.median_C)} °C`}</td><td>${q.ci90_C[0] === null ? 'beyond the frames' : `${fmt(q.ci90_C[0])} – ${q.ci90_C[1] === null ? 'beyond the frames' : `${fmt(q.ci90_C[1])} °C`}`}</td><td>${fmt(q.latentMedian_C)} (${fmt(q.latentCi90_C[0])} – ${fmt(q.latentCi90_C[1])}) °C</td>`;
  const oRows = Object.entries(post.onsets).map(([st, o]) => `<tr><td>${esc(st)}</td><td>${o.definition}</td>${grid(o)}<td>${(100 * o.reached).toFixed(0)} %</td><td>${o.repeat.median_C === null ? 'beyond the frames' : `${fmt(o.repeat.median_C)} °C`} (${o.repeat.ci90_C[0] === null ? '—' : fmt(o.repeat.ci90_C[0])} – ${o.repeat.ci90_C[1] === null ? 'beyond' : `${fmt(o.repeat.ci90_C[1])}`} °C)</td><td>${o.observed ? `(${fmt(o.observed.after_C)}, ${o.observed.onset_C === null ? '∞' : fmt(o.observed.onset_C)}] °C` : ''}</td></tr>`).join('');
  const stats = [...new Set(curves.map((c) => c.statistic))];
  const charts = stats.map((s) => `<figure>${curveChart(curves.filter((c) => c.statistic === s), `${s}: change from the first frame${s === 'poreArea_A2' ? ' (relative)' : ''}`)}</figure>`).join('\n');
  const diag = post.diagnostics as { rhat: Record<string, number>; ess: Record<string, number>; warnings: string[]; predictiveCheck: { d2: number; statistics: number; pValue: number; pValueBest?: number; posteriorPValue?: number; draws?: number } | null; likelihood?: { scale?: number; scaleMode?: string; scaleCalibration?: { meanLr: number | null; pseudoObservations: number; skipped?: string } } };
  const corrRows = Object.entries(post.correlations).map(([a, row]) => `<tr><th>${esc(a)}</th>${Object.values(row).map((v) => `<td>${v.toFixed(2)}</td>`).join('')}</tr>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#222}h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table.data{border-collapse:collapse;margin:8px 0}table.data td,table.data th{border:1px solid #ddd;padding:3px 8px;font-size:13px}
figure{display:inline-block;margin:6px}.muted{color:#666}.warn{color:#a40}</style></head><body>
<h1>${esc(title)}</h1>
<p class="muted">${esc(post.method)}</p>
<p>${post.simulations} forward simulations; ${r.mcmc.samples.length} posterior samples from ${r.mcmc.chains.length} chains.</p>
${diag.warnings.map((w) => `<p class="warn">⚠ ${esc(w)}</p>`).join('')}
<h2>Parameters</h2>
<table class="data"><thead><tr><th>parameter</th><th>unit</th><th>median</th><th>90 % interval</th><th>prior</th><th>default</th><th>P(&lt; default)</th><th>default inside the 90 % interval</th></tr></thead><tbody>${pRows}</tbody></table>
<h2>Posterior (corner plot)</h2><p class="muted">Histograms and pairwise densities on each prior's own scale; dashed red: the table's default; dashed black: the 90 % interval.</p>
${cornerPlot(r)}
<h3>Correlations</h3><table class="data"><thead><tr><th></th>${Object.keys(post.correlations).map((n) => `<th>${esc(n)}</th>`).join('')}</tr></thead><tbody>${corrRows}</tbody></table>
<ul>${post.identifiability.map((t) => `<li>${esc(t)}</li>`).join('')}</ul>
${charts ? `<h2>Predicted against measured</h2><p class="muted">Per frame of the series: the posterior-predictive 90 % band (light), the 90 % band of the expected value (dark), the median; red dots: the measured statistic with its observation interval (±1.645 replicate sd).</p>${charts}` : ''}
<h2>Onsets</h2><p class="muted">Onsets on the frame grid (the definition of run's summary.json) and the latent continuous onset; kmc: the rule on KMC observables, image: on the analysed frames. ${Object.values(post.onsets)[0]?.conditionedOn.statistics ? `Median and intervals: this series' own onsets, given its ${Object.values(post.onsets)[0]!.conditionedOn.statistics} statistics (a simulation's onsets and its frames scatter together); "repeat experiment": the posterior-predictive onset of a new lamella under the same programme.` : 'Posterior-predictive onsets (the observation is the onset intervals themselves).'}</p>
<table class="data"><thead><tr><th>stage</th><th>definition</th><th>median</th><th>90 % interval</th><th>latent median (90 %)</th><th>reached</th><th>repeat experiment: median (90 %)</th><th>observed</th></tr></thead><tbody>${oRows}</tbody></table>
<h2>Diagnostics</h2>
<p>R̂: ${Object.entries(diag.rhat).map(([k, v]) => `${esc(k)} ${v}`).join(', ')}; ESS: ${Object.entries(diag.ess).map(([k, v]) => `${esc(k)} ${v}`).join(', ')}.${diag.predictiveCheck ? ` Posterior-predictive check: d² = ${diag.predictiveCheck.d2} on ${diag.predictiveCheck.statistics} statistics at the posterior median (p = ${diag.predictiveCheck.pValue}${diag.predictiveCheck.pValueBest !== undefined ? `; at the most probable sample p = ${diag.predictiveCheck.pValueBest}; over ${diag.predictiveCheck.draws} posterior draws, the posterior-predictive p = ${diag.predictiveCheck.posteriorPValue}` : ''}).` : ''}${diag.likelihood?.scale !== undefined ? ` Likelihood scale w (coverage calibration on ${diag.likelihood.scaleCalibration?.pseudoObservations ?? 0} pseudo-observations${diag.likelihood.scaleCalibration?.skipped ? `; ${esc(diag.likelihood.scaleCalibration.skipped)}` : ''}): ${diag.likelihood.scale}; the posterior uses the tempered log-likelihood ℓ/w (likelihood raised to 1/w).` : ''}</p>
${prep.notes.length ? `<h3>Notes</h3><ul>${prep.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}
