/**
 * Files of `cathode-twin analyse` (all written atomically, after every input was read and every frame analysed):
 * analysis.json (schema-versioned summary), columns.csv (one row per column per frame), frames.csv (observables,
 * registration and ratios per frame against temperature), profiles.csv (the inset profiles), overlays/*.png
 * (columns by sublattice, region outlines, scale bar), residuals/*.png (data − fitted model) and report.html.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/index.js';
import { encodePng16, jsonReplacer } from '../imageio/index.js';
import type { FrameAnalysis } from './frame.js';
import { overlayPng } from './overlay.js';
import { REGION_NAMES } from './regions.js';
import { renderAnalysisReport } from './report.js';
import type { SeriesAnalysis } from './series.js';

/** Version of analysis.json's layout. */
export const ANALYSIS_SCHEMA_VERSION = 1;

/** What the command knew about its input (written into analysis.json and the report). */
export interface AnalysisProvenance {
  readonly source: { files: string[]; format: string };
  readonly pixelSize_A: number;
  readonly pixelSizeY_A: number;
  readonly pixelSource: string;
  readonly intensity: { mode: string; units: string; notes: string[] };
  readonly options: Record<string, unknown>;
  readonly warnings: string[];
  readonly version: string;
}

const num = (v: number, p = 6): string => (Number.isFinite(v) ? (Number.isInteger(v) ? String(v) : v.toPrecision(p)) : '');

/** Sublattice name of a column's id in frame `a`. */
const subName = (a: FrameAnalysis, id: number): string => a.sublattices[id]?.name ?? String(id);

/** One row per column per frame. */
export function columnsCsv(s: SeriesAnalysis): string {
  const head = 'frame,x_A,y_A,sublattice,region,intensity,width_A,residual,sigma_pos_A,significance,detected,edge,maximum';
  const rows: string[] = [head];
  s.frames.forEach((a, k) => {
    const c = a.columns;
    for (let i = 0; i < c.n; i++) {
      rows.push([k, num(c.x_A[i]!), num(c.y_A[i]!), subName(a, c.sublattice[i]!), REGION_NAMES[c.region[i]!], num(c.intensity[i]!), num(c.width_A[i]!, 4),
        num(c.residual[i]!, 4), num(c.sigmaPos_A[i]!, 3), num(c.significance[i]!, 4), c.detected[i], c.edge[i], c.maximum[i]].join(','));
    }
  });
  return rows.join('\n') + '\n';
}

/** Observables, ratios and registration per frame (rows) against temperature. */
export function framesCsv(s: SeriesAnalysis): string {
  const keys = [...new Set(s.observables.flatMap((o) => Object.keys(o)))].sort();
  const head = ['frame', 'temperature_C', 'time_s', 'rotation_deg', 'drift_x_px', 'drift_y_px', 'lattice_a1_A', 'lattice_a2_A', 'columns', 'detected', ...keys];
  const rows = s.frames.map((a, k) => {
    const r = s.registration[k]!;
    const T = s.temperatures_K[k];
    return [k, T === null || T === undefined ? '' : num(T - 273.15), num(s.times_s[k] ?? NaN), num(r.rotation_deg, 4), num(r.dx_px, 4), num(r.dy_px, 4),
      num(a.lattice.length1_A), num(a.lattice.length2_A), a.columns.n, a.columns.detected.reduce((p, v) => p + v, 0), ...keys.map((key) => num(s.observables[k]![key] ?? NaN))].join(',');
  });
  return [head.join(','), ...rows].join('\n') + '\n';
}

/** The inset profiles: frame, region, position across the layers (Å), mean intensity. */
export function profilesCsv(s: SeriesAnalysis): string {
  const rows = ['frame,region,u_A,intensity'];
  s.frames.forEach((a, k) => {
    for (const [region, p] of Object.entries(a.profiles)) {
      for (let i = 0; i < p.y_A.length; i++) if (Number.isFinite(p.intensity[i]!)) rows.push([k, region, num(p.y_A[i]!), num(p.intensity[i]!)].join(','));
    }
  });
  return rows.join('\n') + '\n';
}

/** analysis.json: everything except per-column and per-pixel arrays (those are in the CSV and PNG files). */
export function analysisJson(s: SeriesAnalysis, p: AnalysisProvenance): Record<string, unknown> {
  return {
    schemaVersion: ANALYSIS_SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    provenance: p,
    frames: s.frames.map((a, k) => ({
      index: k,
      temperature_K: s.temperatures_K[k], time_s: s.times_s[k],
      registration: s.registration[k],
      lattice: a.lattice,
      sublattices: a.sublattices,
      columns: { total: a.columns.n, detected: a.columns.detected.reduce((q, v) => q + v, 0), edge: a.columns.edge.reduce((q, v) => q + v, 0) },
      regions: { area_A2: a.regions.area_A2, facets: a.regions.facets },
      ratios: a.ratios,
      profiles: Object.fromEntries(Object.entries(a.profiles).map(([r, q]) => [r, { mPhase_A: q.mPhase_A, mSite: q.mSite, liSite: q.liSite, ratio: q.ratio, pixels: q.pixels }])),
      observables: a.observables,
      noise: a.noise,
      warnings: a.warnings,
      timings_ms: a.timings_ms,
    })),
    onsets: s.onsets,
    warnings: s.warnings,
  };
}

/**
 * Writes every output of `analyse` into `out`; returns the paths written (relative). `pathOf` maps a relative path to
 * where it is written (default: inside `out`; the CLI passes src/core's OutputStage so that the set lands together).
 */
export async function writeAnalysis(out: string, s: SeriesAnalysis, frames: readonly Float32Array[], p: AnalysisProvenance, pathOf: (rel: string) => string = (rel) => join(out, rel)): Promise<string[]> {
  const files: string[] = [];
  const put = async (rel: string, data: string | Uint8Array): Promise<void> => { await writeFileAtomic(pathOf(rel), data); files.push(rel); };
  const overlays: Uint8Array[] = [];
  for (let k = 0; k < s.frames.length; k++) {
    const a = s.frames[k]!;
    const T = s.temperatures_K[k];
    const title = `FRAME ${k}${T !== null && T !== undefined ? `  ${Math.round(T - 273.15)} °C` : ''}`;
    const png = overlayPng(a, frames[k]!, { title });
    overlays.push(png);
    const stem = `frame-${String(k).padStart(3, '0')}`;
    await put(`overlays/${stem}.png`, png);
    await put(`residuals/${stem}.png`, encodePng16(a.residual, a.width, a.height).png);
  }
  await put('columns.csv', columnsCsv(s));
  await put('frames.csv', framesCsv(s));
  await put('profiles.csv', profilesCsv(s));
  await put('analysis.json', JSON.stringify({ ...analysisJson(s, p), files: [...files, 'analysis.json', 'report.html'] }, jsonReplacer, 1) + '\n');
  await put('report.html', renderAnalysisReport(s, p, overlays));
  return files;
}
