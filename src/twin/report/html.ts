/**
 * report.html: one self-contained offline page (inline CSS, inline SVG charts, PNG data URIs;
 * no scripts, fonts or network). What a microscopist shows the group: the timeline against the
 * seed, observables vs temperature with the seed's observation temperatures marked, the frame
 * strip, and the inset profiles across the layers at the pore rim.
 */
import { scaleBarLabel, scaleBarLength_A } from '../imageio/index.js';
import { SEED_MARKERS_C, SEED_STEP_C, type FidelityRow } from '../timeline/index.js';
import { chartGroups } from './groups.js';
import { PALETTE, REGION_LABELS } from './palette.js';
import { esc, lineChart, type Series } from './svg.js';
import type { ReportData, ReportProfile } from './types.js';

const C = (K: number) => K - 273.15;
const fmtC = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${+v.toFixed(1)} °C`);

function dataUri(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
}

function observableCharts(d: ReportData): string {
  const xs = d.temperatures_K.map(C);
  const markers = SEED_MARKERS_C.map((t) => ({ x: t, label: `${t}` }));
  return chartGroups(d.observables)
    .map((g) => {
      const series: Series[] = g.keys.map((k) => ({ label: k.label, color: k.color, x: xs, y: d.observables.map((o) => (o[k.key] ?? NaN) * (g.scale ?? 1)) }));
      const legendNotes = (g.missing ?? []).map((r) => `${REGION_LABELS[r] ?? r}: n/a (no sites)`);
      return `<figure>${lineChart(series, { title: g.title, xLabel: 'T (°C)', yLabel: g.yLabel, markers, ...(legendNotes.length ? { legendNotes } : {}) })}</figure>`;
    })
    .join('\n');
}

function profileCharts(profiles: readonly ReportProfile[]): string {
  if (profiles.length === 0) return '<p class="muted">No profiles were computed.</p>';
  const byRegion = new Map<string, ReportProfile[]>();
  for (const p of profiles) byRegion.set(p.region, [...(byRegion.get(p.region) ?? []), p]);
  // One colour per profile temperature, the same in every region's chart.
  const temps = [...new Set(profiles.map((p) => p.temperature_K))].sort((a, b) => a - b);
  const out: string[] = [];
  for (const [region, ps] of byRegion) {
    const series: Series[] = ps.map((p) => ({
      label: `${+C(p.temperature_K).toFixed(0)} °C`,
      x: Array.from(p.y_A),
      y: Array.from(p.intensity),
      color: PALETTE[temps.indexOf(p.temperature_K) % PALETTE.length],
      points: false,
    }));
    // Mark M-layer positions of the first profile (Li layers are halfway between).
    const p0 = ps[0]!;
    const ys = Array.from(p0.y_A);
    const markers: { x: number; label?: string }[] = [];
    if (ys.length > 1) {
      for (let yv = p0.mPhase_A; yv <= ys[ys.length - 1]!; yv += p0.period_A) {
        if (yv >= ys[0]!) markers.push({ x: yv, label: 'M' });
        if (yv + p0.period_A / 2 >= ys[0]! && yv + p0.period_A / 2 <= ys[ys.length - 1]!) markers.push({ x: yv + p0.period_A / 2, label: 'Li' });
      }
    }
    out.push(`<figure>${lineChart(series, { title: `Intensity across the layers: ${REGION_LABELS[region] ?? region}`, xLabel: 'position across the layers (Å)', yLabel: 'HAADF (fraction of beam)', markers })}</figure>`);
  }
  const rows = profiles
    .map((p) => `<tr><td>${esc(p.region)}</td><td>${fmtC(C(p.temperature_K))}</td><td>${p.liSite.toExponential(3)}</td><td>${p.mSite.toExponential(3)}</td><td>${(p.liSite / p.mSite).toFixed(3)}</td></tr>`)
    .join('');
  out.push(`<table class="data"><thead><tr><th>region</th><th>T</th><th>Li-site I</th><th>M-site I</th><th>Li/M</th></tr></thead><tbody>${rows}</tbody></table>`);
  return out.join('\n');
}

const fmtSpread = (r: FidelityRow): string => {
  const sp = r.spread;
  if (!sp) return '<span class="muted">1 replica</span>';
  if (sp.reached === 0) return `<span class="muted">0 of ${sp.replicas} replicas reached</span>`;
  const range = sp.min_C === sp.max_C ? fmtC(sp.min_C) : `${fmtC(sp.min_C)} – ${fmtC(sp.max_C)}`;
  return `median ${fmtC(sp.median_C)}, ${range} <span class="muted">(${sp.reached} of ${sp.replicas} reached)</span>`;
};

/** The fidelity table (summary.json `fidelity`): each seed stage, its rule, the pooled onset, spread, within one step. */
function fidelityTable(rows: readonly FidelityRow[]): string {
  const out = rows.map((r) => {
    const cls = r.withinStep === true ? 'pass' : r.withinStep === false ? 'fail' : 'na';
    const sim = r.stage === null
      ? '<span class="muted">not modelled</span>'
      : r.onset_C !== null
        ? `<b>${fmtC(r.onset_C)}</b> <span class="muted">(after ${fmtC(r.after_C)})</span>`
        : `<span class="muted">${esc(r.status)}</span>`;
    const what = r.stage === null ? '' : `${esc(r.stage)} <span class="muted">(${r.definition === 'image' ? 'images' : 'kinetics'}${r.compare === 'holds' ? '; loss of it' : ''})</span>`;
    const met = r.withinStep === true ? 'yes' : r.withinStep === false ? 'no' : 'n/a';
    return `<tr class="${cls}"><td>${r.seed_C === 25 ? 'RT' : `~${r.seed_C} °C`}</td><td>${esc(r.observation)}</td><td>${what}</td><td>${sim}</td><td>${r.stage === null ? '' : fmtSpread(r)}</td><td class="met">${met}<br><span class="muted">${esc(r.status)}</span></td><td class="rule">${esc(r.rule ?? '')}</td></tr>`;
  });
  return `<table class="data timeline"><thead><tr><th>seed T</th><th>seed observation</th><th>simulated stage</th><th>onset (pooled)</th><th>replica spread</th><th>within ±${SEED_STEP_C} K</th><th>rule used</th></tr></thead><tbody>${out.join('')}</tbody></table>`;
}

function checksTable(d: ReportData): string {
  if (d.checks.length === 0) return '';
  const rows = d.checks
    .map((c) => `<tr class="${c.pass === true ? 'pass' : c.pass === false ? 'fail' : 'na'}"><td>${esc(c.text)}</td><td>${c.pass === true ? 'yes' : c.pass === false ? 'no' : 'n/a'}</td><td>${esc(c.note)}</td></tr>`)
    .join('');
  return `<h3>Against the seed</h3><table class="data"><thead><tr><th>criterion</th><th>met</th><th>note</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** A scale bar over a frame thumbnail (HTML/CSS, class "scalebar"): its width is L / field width of the image. */
function scaleBar(fieldWidth_A: number): string {
  const L = scaleBarLength_A(fieldWidth_A);
  return `<div class="scalebar" style="width:${((100 * L) / fieldWidth_A).toFixed(2)}%"><span>${scaleBarLabel(L)}</span></div>`;
}

function frameStrip(d: ReportData): string {
  return `<div class="strip">${d.frames
    .map((f) => `<figure class="frame"><div class="thumb"><img alt="frame at ${+C(f.temperature_K).toFixed(0)} °C" src="${dataUri(f.png)}">${scaleBar(f.fieldWidth_A)}</div><figcaption>${+C(f.temperature_K).toFixed(0)} °C<br><span class="muted">t = ${(f.time_s / 60).toFixed(1)} min</span></figcaption></figure>`)
    .join('')}</div>`;
}

const CSS = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1180px;color:#222;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:15px}
.muted{color:#777}.grid{display:flex;flex-wrap:wrap;gap:10px}figure{margin:0}
table.data{border-collapse:collapse;font-size:12.5px;margin:8px 0}table.data td,table.data th{border:1px solid #ddd;padding:4px 7px;vertical-align:top;text-align:left}
table.data th{background:#f5f5f5}table.timeline td:first-child{white-space:nowrap}td.rule{font-size:11px;color:#555;max-width:300px}tr.pass td:nth-child(2){color:#1a7f37;font-weight:600}tr.fail td:nth-child(2){color:#c62828;font-weight:600}
.strip{display:flex;flex-wrap:wrap;gap:8px}.thumb{position:relative;width:260px}.frame img{width:260px;image-rendering:pixelated;display:block;border:1px solid #ccc}.frame figcaption{font-size:12px;text-align:center}
.scalebar{position:absolute;left:8px;bottom:8px;height:4px;background:#fff;outline:1px solid #000}.scalebar span{position:absolute;left:0;bottom:6px;font-size:11px;color:#fff;text-shadow:0 0 2px #000,0 0 2px #000;white-space:nowrap}
td.met{white-space:nowrap}tr.pass td.met{color:#1a7f37;font-weight:600}tr.fail td.met{color:#c62828;font-weight:600}
table.params td:first-child{color:#555;padding-right:14px}`;

/** Build the complete report page. */
export function renderReport(d: ReportData): string {
  const params = d.parameters.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join('');
  const prov = Object.entries(d.provenance).map(([k, v]) => `${esc(k)}: ${esc(String(v))}`).join(' · ');
  const timings = Object.entries(d.timings_s).map(([k, v]) => `${esc(k)} ${v.toFixed(2)} s`).join(' · ');
  const notes = d.notes.length ? `<h3>Notes</h3><ul>${d.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '';
  const targets = d.checks.map((c) => `${c.stage}: ${c.text}`).join('; ') || 'none (the scenario lists no checks.targets)';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(d.title)} — cathode-twin report</title><style>${CSS}</style></head>
<body>
<h1>${esc(d.title)}</h1>
<p class="muted">${esc(d.description)}</p>
<table class="params">${params}</table>
<h2>Timeline: seed study vs simulation</h2>
<p class="muted">Seed: Pokle et al., ACS Appl. Mater. Interfaces 12, 57047 (2020): in situ heating of cycled NCM851005 in the STEM, images every ${SEED_STEP_C} °C. Each seed stage against the onset the run's rule reads off the curves pooled over the replicas (interval-censored at the acquisition steps); "within ±${SEED_STEP_C} K" is one seed step.</p>
${fidelityTable(d.fidelity)}
${checksTable(d)}
${notes}
<h2>Observables vs temperature</h2>
<p class="muted">Dashed lines: temperatures at which the seed reports an observation (${SEED_MARKERS_C.join(', ')} °C).</p>
<div class="grid" id="observables">${observableCharts(d)}</div>
<h2>Frames (HAADF, shared contrast window; scale bar on each)</h2>
${frameStrip(d)}
<h2>Intensity across the layers (seed insets)</h2>
<p class="muted">Mean HAADF intensity along the layers in each region, across the layers; M-layer and Li-layer positions marked.</p>
<div class="grid" id="profiles">${profileCharts(d.profiles)}</div>
<h2>Provenance</h2>
<p class="muted">${prov}</p><p class="muted">Wall time: ${timings}</p>
<p class="muted">Seed acceptance windows: ${esc(targets)}</p>
</body></html>
`;
}
