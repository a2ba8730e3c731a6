/**
 * report.html of `cathode-twin analyse`: self-contained (inline SVG charts from src/twin/report, PNG overlays as data
 * URLs), opens offline. What was read and assumed, the warnings, the per-region Li-site/M-site ratios, pore area and
 * {003} roughness against temperature with the seed's observation temperatures marked, the onsets by run's rule table,
 * and per frame the overlay, the lattice, the facet histogram and the inset profiles.
 */
import { esc, lineChart, PALETTE, REGION_COLOURS_BY_NAME, type Series } from '../report/index.js';
import { SEED_MARKERS_C } from '../timeline/index.js';
import type { SeriesAnalysis } from './series.js';
import type { AnalysisProvenance } from './write.js';

const REGION_PLOT = REGION_COLOURS_BY_NAME;

const f = (v: number | null | undefined, p = 4): string => (v === null || v === undefined || !Number.isFinite(v) ? '–' : String(+v.toPrecision(p)));

/** The report page. */
export function renderAnalysisReport(s: SeriesAnalysis, p: AnalysisProvenance, overlays: readonly Uint8Array[]): string {
  const haveT = s.temperatures_K.every((t) => t !== null);
  const xs = s.frames.map((_, k) => (haveT ? s.temperatures_K[k]! - 273.15 : k));
  const xLabel = haveT ? 'temperature (°C)' : 'frame';
  const markers = haveT ? SEED_MARKERS_C.filter((c) => c >= Math.min(...xs) - 10 && c <= Math.max(...xs) + 10).map((x) => ({ x })) : [];
  const curve = (key: string, label: string, color: string, dashed = false): Series | undefined => {
    const y = s.observables.map((o) => o[key] ?? NaN);
    return y.some(Number.isFinite) ? { label, x: xs, y, color, dashed } : undefined;
  };
  const charts: string[] = [];
  if (s.frames.length > 1) {
    const ratio = ['rim', 'apb', 'bulk'].flatMap((r) => [curve(`liMRatio.${r}`, `${r} (profile)`, REGION_PLOT[r]!), curve(`liMColumnRatio.${r}`, `${r} (columns)`, REGION_PLOT[r]!, true)]).filter((c): c is Series => !!c);
    if (ratio.length) charts.push(lineChart(ratio, { title: 'Li-site / M-site intensity per region', xLabel, yLabel: 'Li / M', markers }));
    const pore = curve('poreArea_A2', 'pore area', REGION_PLOT.pore!);
    if (pore) charts.push(lineChart([pore], { title: 'Pore area (mass-thickness < ½ bulk)', xLabel, yLabel: 'Å²', markers }));
    const rough = [curve('roughness003_A', '{003} roughness', PALETTE[1]!), curve('facetAnisotropy', 'facet anisotropy', PALETTE[2]!, true)].filter((c): c is Series => !!c);
    if (rough.length) charts.push(lineChart(rough, { title: 'Pore facets', xLabel, yLabel: 'Å / (0…1)', markers }));
    const drift = [{ label: 'drift x', x: xs, y: s.registration.map((r) => r.dx_px), color: PALETTE[3]! }, { label: 'drift y', x: xs, y: s.registration.map((r) => r.dy_px), color: PALETTE[4]! }];
    charts.push(lineChart(drift, { title: 'Drift relative to the first frame', xLabel, yLabel: 'px' }));
  }
  const onsets = s.onsets
    ? `<table><tr><th>stage</th><th>observable</th><th>onset (°C)</th><th>after (°C)</th><th>rule</th></tr>${s.onsets.map((o) => `<tr><td>${esc(o.stage)}</td><td>${esc(o.observable)}</td><td>${o.onset_C ?? esc(o.note ?? '–')}</td><td>${o.after_C ?? '–'}</td><td>${esc(o.rule)}</td></tr>`).join('')}</table>`
    : '<p>No onsets: the series has no temperature for every frame.</p>';
  const frames = s.frames.map((a, k) => {
    const png = Buffer.from(overlays[k] ?? new Uint8Array()).toString('base64');
    const subl = a.sublattices.map((q) => `<tr><td>${esc(q.name)}</td><td>${q.count}</td><td>${q.detected}</td><td>${f(q.meanIntensity)}</td><td>${f(q.width_A, 3)}</td><td>(${f(q.fraction[0], 3)}, ${f(q.fraction[1], 3)})</td></tr>`).join('');
    const ratios = Object.entries(a.ratios).map(([r, v]) => `<tr><td>${r}</td><td>${f(v.profile)}</td><td>${f(v.columns)}</td><td>${v.liColumns}/${v.mColumns}</td><td>${f(a.regions.area_A2[r], 5)}</td></tr>`).join('');
    const hist = a.regions.facets.orientationHistogram.map((h, i) => `<rect x="${i * 22}" y="${60 - 58 * h / Math.max(1e-9, ...a.regions.facets.orientationHistogram)}" width="20" height="${58 * h / Math.max(1e-9, ...a.regions.facets.orientationHistogram)}" fill="#1f77b4"><title>${i * 15}–${i * 15 + 15}°: ${f(h, 3)}</title></rect>`).join('');
    const prof = Object.entries(a.profiles).map(([r, q]) => ({ label: r, x: q.y_A, y: q.intensity, color: REGION_PLOT[r] ?? PALETTE[0]!, points: false }));
    const T = s.temperatures_K[k];
    return `<section><h3>Frame ${k}${T !== null && T !== undefined ? ` · ${f(T - 273.15, 4)} °C` : ''}</h3>
<img alt="overlay of frame ${k}" src="data:image/png;base64,${png}" style="max-width:100%">
<p>Lattice |a1| = ${f(a.lattice.length1_A, 5)} Å, |a2| = ${f(a.lattice.length2_A, 5)} Å, angle ${f(a.lattice.angle_deg, 4)}°, in-plane rotation ${f(a.lattice.rotation_deg, 4)}° (${a.lattice.source}); columns ${a.columns.n}; noise ${f(a.noise, 3)}.</p>
<table><tr><th>sublattice</th><th>columns</th><th>detected</th><th>mean intensity</th><th>width σ (Å)</th><th>cell position</th></tr>${subl}</table>
${ratios ? `<table><tr><th>region</th><th>Li/M (profile)</th><th>Li/M (columns)</th><th>Li/M columns</th><th>area (Å²)</th></tr>${ratios}</table>` : ''}
${a.regions.facets.boundaryPixels > 0 ? `<p>Pore outline: area ${f(a.regions.facets.area_A2, 5)} Å², facet anisotropy ${f(a.regions.facets.facetAnisotropy, 3)}, {003} share ${f(a.regions.facets.fraction003, 3)}, {003} roughness ${f(a.regions.facets.roughness003_A, 3)} Å, non-{003} sharpness ${f(a.regions.facets.sharpnessOther, 3)}.</p>
<svg width="270" height="80" role="img"><title>boundary normal angle to c, 15° bins from 0° to 180°</title>${hist}<text x="0" y="76" font-size="10">0°</text><text x="240" y="76" font-size="10">180°</text></svg>` : ''}
${prof.length ? lineChart(prof, { title: 'Inset profiles across the layers', xLabel: 'position across the layers (Å)', yLabel: 'intensity' }) : ''}
${a.warnings.length ? `<ul class="warn">${a.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : ''}
</section>`;
  }).join('\n');
  const prov = [
    ['files', p.source.files.join(', ')], ['format', p.source.format],
    ['pixel size', `${f(p.pixelSize_A, 6)} × ${f(p.pixelSizeY_A, 6)} Å (${p.pixelSource})`],
    ['intensity', `${p.intensity.mode} (${p.intensity.units})`], ...p.intensity.notes.map((n) => ['', n]),
    ['options', JSON.stringify(p.options)], ['cathode-twin', p.version],
  ];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>cathode-twin analyse</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}
.warn li{color:#a33}svg.chart{margin:4px}section{border-top:1px solid #ddd;margin-top:1.5em}</style></head><body>
<h1>Image analysis</h1>
<table>${prov.map(([k, v]) => `<tr><th>${esc(k!)}</th><td>${esc(v!)}</td></tr>`).join('')}</table>
${p.warnings.length || s.warnings.length ? `<h2>Warnings and assumptions</h2><ul class="warn">${[...p.warnings, ...s.warnings].map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : ''}
${charts.length ? `<h2>Series</h2>${charts.join('\n')}` : ''}
<h2>Onsets (run's rule table)</h2>${onsets}
<h2>Frames</h2>
<p>Colours: columns by sublattice (hollow = not detected, an empty site); outlines: pore (yellow), rim (orange), APB zone (pink), bulk (white).</p>
${frames}
</body></html>
`;
}
