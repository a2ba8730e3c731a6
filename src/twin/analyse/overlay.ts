/**
 * Overlay pictures of an analysed frame: the frame in grey (0.5–99.5 % window), each column as a dot coloured by its
 * sublattice (hollow where it is not detected, i.e. an empty site), the region outlines (pore, rim, APB zone, bulk),
 * a legend and a scale bar. Colours are the same in every picture and report (SUBLATTICE_COLOURS, REGION_COLOURS).
 */
import { contrastWindow, drawText, encodePng8, FONT_HEIGHT, scaleBarLength_A, textWidth } from '../imageio/index.js';
import { REGION_COLOURS_BY_NAME } from '../report/palette.js';
import type { FrameAnalysis } from './frame.js';
import { REGION_NAMES } from './regions.js';

/** Sublattice colours by id (zone: Li-layer, M-layer, O; general: A, B, C, …). */
export const SUBLATTICE_COLOURS: readonly string[] = ['#377eb8', '#e41a1c', '#4daf4a', '#984ea3', '#ff7f00', '#a65628'];
/** General-mode sublattices are ranked by intensity: A (brightest) red, B blue, C green… */
export const GENERAL_COLOURS: readonly string[] = ['#e41a1c', '#377eb8', '#4daf4a', '#984ea3', '#ff7f00', '#a65628'];
/** Region outline colours by region code (other, pore, rim, apb, bulk). */
export const REGION_COLOURS: readonly string[] = ['#000000', ...['pore', 'rim', 'apb', 'bulk'].map((r) => REGION_COLOURS_BY_NAME[r]!)];

const rgb = (hex: string): [number, number, number] => [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];

/** The one scale-bar length rule (src/twin/imageio/scalebar.ts). */
export { scaleBarLength_A };

/** The overlay as PNG bytes (RGB). `scale` magnifies small frames (default: up to 4× so the picture is ≥ 600 px wide). */
export function overlayPng(a: FrameAnalysis, data: ArrayLike<number>, opts: { scale?: number; title?: string } = {}): Uint8Array {
  const W = a.width, H = a.height;
  const k = opts.scale ?? Math.max(1, Math.min(4, Math.round(900 / Math.max(W, H))));
  const PW = W * k, PH = H * k;
  const img = new Uint8Array(PW * PH * 3);
  const [lo, hi] = contrastWindow(data);
  for (let y = 0; y < PH; y++) for (let x = 0; x < PW; x++) {
    const v = data[Math.floor(y / k) * W + Math.floor(x / k)]!;
    const g = Math.round(Math.max(0, Math.min(1, (v - lo) / (hi - lo || 1))) * 220);
    const o = 3 * (y * PW + x);
    img[o] = img[o + 1] = img[o + 2] = g;
  }
  const put = (x: number, y: number, c: readonly number[]): void => {
    if (x < 0 || y < 0 || x >= PW || y >= PH) return;
    const o = 3 * (y * PW + x);
    img[o] = c[0]!; img[o + 1] = c[1]!; img[o + 2] = c[2]!;
  };
  // Region outlines: a pixel of region r with a 4-neighbour in another region.
  const map = a.regions.map;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const r = map[y * W + x]!;
    if (r === 0) continue;
    const edge = (x > 0 && map[y * W + x - 1] !== r) || (x < W - 1 && map[y * W + x + 1] !== r) || (y > 0 && map[(y - 1) * W + x] !== r) || (y < H - 1 && map[(y + 1) * W + x] !== r);
    if (!edge) continue;
    const c = rgb(REGION_COLOURS[r]!);
    for (let dy = 0; dy < k; dy++) for (let dx = 0; dx < k; dx++) put(x * k + dx, y * k + dy, c);
  }
  // Columns.
  const palette = (a.zone ? SUBLATTICE_COLOURS : GENERAL_COLOURS).map(rgb);
  const cols = a.columns;
  const sx = a.calibration.pixelX_A, sy = a.calibration.pixelY_A;
  const rad = Math.max(1, Math.round(0.12 * Math.min(a.lattice.length1_A / sx, a.lattice.length2_A / sy) * k));
  for (let i = 0; i < cols.n; i++) {
    const cx = (cols.x_A[i]! / sx) * k + (k - 1) / 2, cy = (cols.y_A[i]! / sy) * k + (k - 1) / 2;
    const c = palette[cols.sublattice[i]! % palette.length]!;
    const hollow = !cols.detected[i];
    for (let dy = -rad; dy <= rad; dy++) for (let dx = -rad; dx <= rad; dx++) {
      const d2 = dx * dx + dy * dy;
      if (d2 > rad * rad + rad) continue;
      if (hollow && d2 < (rad - 1) * (rad - 1)) continue;
      put(Math.round(cx + dx), Math.round(cy + dy), c);
    }
  }
  // Text (drawn into a mask, then inked).
  const mask = new Uint8Array(PW * PH);
  const fs = PW >= 900 ? 2 : 1;
  const lineH = (FONT_HEIGHT + 3) * fs;
  const ink = (colour: readonly number[], box?: [number, number, number, number]): void => {
    for (let i = 0; i < PW * PH; i++) if (mask[i]) { put(i % PW, Math.floor(i / PW), colour); mask[i] = 0; }
    if (box) for (let y = box[1]; y < box[1] + box[3]; y++) for (let x = box[0]; x < box[0] + box[2]; x++) put(x, y, colour);
  };
  let ty = 4;
  if (opts.title) { drawText(mask, PW, 4, ty, opts.title, 1, fs); ink([255, 255, 255]); ty += lineH; }
  const names = a.sublattices.map((s) => s.name);
  names.forEach((nm, i) => {
    ink(palette[i % palette.length]!, [4, ty, 5 * fs, 5 * fs]);
    drawText(mask, PW, 4 + 8 * fs, ty - fs, nm.replace('-layer', ''), 1, fs);
    ink([255, 255, 255]);
    ty += lineH;
  });
  for (const r of [1, 2, 3, 4]) {
    if (!(a.regions.area_A2[REGION_NAMES[r]!]! > 0)) continue;
    ink(rgb(REGION_COLOURS[r]!), [4, ty + 2 * fs, 5 * fs, fs]);
    drawText(mask, PW, 4 + 8 * fs, ty - fs, REGION_NAMES[r]!, 1, fs);
    ink([255, 255, 255]);
    ty += lineH;
  }
  // Scale bar, bottom left.
  const L = scaleBarLength_A(W * sx);
  const len = Math.round((L / sx) * k);
  const label = L >= 10 ? `${L / 10} nm` : `${L} Å`;
  const by = PH - 6 - 3 * fs - lineH;
  ink([0, 0, 0], [5, by - 1, len + 2, 3 * fs + 2]);
  ink([255, 255, 255], [6, by, len, 3 * fs]);
  drawText(mask, PW, 6, by + 3 * fs + 3, label, 1, fs);
  ink([255, 255, 255]);
  void textWidth;
  return encodePng8(img, PW, PH, 3);
}
