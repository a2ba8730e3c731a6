/**
 * Writing a finished run: frames.tif (ImageJ float32 stack), a 16-bit PNG per frame (one shared
 * display window), contact sheet, GIF, observables.csv, summary.json, report.html. Every file is
 * written atomically.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/index.js';
import { contrastWindow, encodePng16, encodePng8, toLevels, writeContactSheet, writeGif, writeJsonSidecar, writeTiffFloat32 } from '../imageio/index.js';
import { renderReport, type ReportData } from '../report/index.js';
import type { Observables } from '../timeline/index.js';
import type { AcquiredFrame } from '../simulate/index.js';
import type { RunSummary } from './summary.js';

/** One imaged frame as written. */
export interface StoredFrame extends Omit<AcquiredFrame, 'data'> {
  index: number;
  time_s: number;
  temperature_K: number;
  /** Events so far, all replicas. */
  events: number;
  observables: Observables;
  /** Replica standard deviation per observable (present with more than one replica). */
  spread?: Observables;
}

/** A row of observables.csv. */
export interface CsvFrame {
  index: number;
  time_s: number;
  temperature_K: number;
  dose_ePerA2?: number;
  events: number;
  observables: Observables;
  spread?: Observables;
}

/** Frame file stem: frame-003-070C. */
export function frameStem(f: StoredFrame): string {
  return `frame-${String(f.index).padStart(3, '0')}-${Math.round(f.temperature_K - 273.15)
    .toString()
    .padStart(3, '0')}C`;
}

/**
 * An 8-bit thumbnail (box-averaged to ≤ maxWidth px wide) in the window [lo, hi], as PNG bytes. The
 * report shows it 260 px wide (pixelated upscaling for smaller frames), so 320 keeps columns resolved.
 */
export function thumbnailPng(img: Float32Array, W: number, H: number, lo: number, hi: number, maxWidth = 320): Uint8Array {
  const k = Math.max(1, Math.ceil(W / maxWidth));
  const w = Math.floor(W / k);
  const h = Math.floor(H / k);
  const small = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let acc = 0;
    for (let dy = 0; dy < k; dy++) for (let dx = 0; dx < k; dx++) acc += img[(y * k + dy) * W + x * k + dx]!;
    small[y * w + x] = acc / (k * k);
  }
  return encodePng8(toLevels(small, lo, hi, new Uint8Array(w * h)), w, h, 1);
}

/**
 * observables.csv (run and kmc alike): one row per frame; fixed columns (dose only when frames have
 * one), then the sorted observable names (pooled means), then their replica standard deviations
 * (`name.sd`) when frames carry a spread from more than one replica.
 */
export function observablesCsv(frames: readonly CsvFrame[]): string {
  const keys = [...new Set(frames.flatMap((f) => Object.keys(f.observables)))].sort();
  const sdKeys = frames.some((f) => f.spread && Object.values(f.spread).some((v) => v !== 0)) ? keys : [];
  const dose = frames.some((f) => f.dose_ePerA2 !== undefined);
  const head = ['frame', 'time_s', 'temperature_K', 'temperature_C', ...(dose ? ['dose_ePerA2'] : []), 'events', ...keys, ...sdKeys.map((k) => `${k}.sd`)];
  const num = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '' : String(+v.toPrecision(8)));
  const rows = frames.map((f) =>
    [String(f.index), num(f.time_s), num(f.temperature_K), num(f.temperature_K - 273.15), ...(dose ? [num(f.dose_ePerA2)] : []), String(f.events), ...keys.map((k) => num(f.observables[k])), ...sdKeys.map((k) => num(f.spread?.[k]))].join(','),
  );
  return [head.join(','), ...rows].join('\n') + '\n';
}

/** Write every output file; returns the relative paths written. */
export async function writeOutputs(outDir: string, frames: readonly StoredFrame[], images: readonly Float32Array[], summary: RunSummary, report: Omit<ReportData, 'frames'>): Promise<string[]> {
  const f0 = frames[0]!;
  const { width: W, height: H } = f0;
  const files: string[] = [];
  const desc = JSON.stringify({ temperatures_C: frames.map((f) => +(f.temperature_K - 273.15).toFixed(3)), times_s: frames.map((f) => f.time_s), dose_ePerA2: frames.map((f) => f.dose_ePerA2), units: 'fraction of incident beam' });
  await writeTiffFloat32(join(outDir, 'frames.tif'), images, W, H, { pixelSize_A: f0.sampling_A, description: desc });
  files.push('frames.tif');
  // One display window for the whole series so brightness changes stay visible.
  const all = new Float32Array(images.length * W * H);
  images.forEach((im, i) => all.set(im, i * W * H));
  const [lo, hi] = contrastWindow(all);
  for (let i = 0; i < frames.length; i++) {
    const { png } = encodePng16(images[i]!, W, H, { min: lo, max: hi });
    const rel = `frames/${frameStem(frames[i]!)}.png`;
    await writeFileAtomic(join(outDir, rel), png);
    files.push(rel);
  }
  await writeJsonSidecar(join(outDir, 'frames.json'), {
    units: 'fraction of incident beam',
    pixelSize_A: f0.sampling_A,
    pixelSizeY_A: f0.samplingY_A,
    origin_A: f0.origin_A,
    displayWindow: [lo, hi],
    frames: frames.map((f) => ({ index: f.index, file: `frames/${frameStem(f)}.png`, time_s: f.time_s, temperature_K: f.temperature_K, dose_ePerA2: f.dose_ePerA2, measuredDrift_px: f.measured_px })),
  });
  files.push('frames.json');
  const previews = frames.map((f, i) => ({ data: images[i]!, caption: `${Math.round(f.temperature_K - 273.15)} °C` }));
  // Readable tiles: ≥ 240 px wide (small frames upscaled), at most 6 per row, a scale bar on each.
  await writeContactSheet(join(outDir, 'contact-sheet.png'), previews, W, H, { min: lo, max: hi, columns: Math.min(6, frames.length), minTileWidth: 240, pixel_A: f0.sampling_A });
  await writeGif(join(outDir, 'frames.gif'), previews, W, H, { min: lo, max: hi, delay_ms: 400, pixel_A: f0.sampling_A });
  files.push('contact-sheet.png', 'frames.gif');
  await writeFileAtomic(join(outDir, 'observables.csv'), observablesCsv(frames));
  files.push('observables.csv', 'summary.json', 'report.html');
  summary.files = files;
  await writeJsonSidecar(join(outDir, 'summary.json'), summary);
  const html = renderReport({ ...report, frames: frames.map((f, i) => ({ temperature_K: f.temperature_K, time_s: f.time_s, png: thumbnailPng(images[i]!, W, H, lo, hi), fieldWidth_A: W * f.sampling_A })) });
  await writeFileAtomic(join(outDir, 'report.html'), html);
  return files;
}
