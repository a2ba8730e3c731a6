/**
 * The seed's inset profiles: HAADF intensity across the layers in a region (e.g. the pore rim),
 * averaged along the layers, and the Li-site vs M-site intensity. In a layered region the M
 * (transition-metal) layers are bright and the Li layers dark (Li scatters weakly); TM migrating
 * into the Li layers (layered → rock salt) raises the Li-site intensity until the ratio → 1.
 *
 * Geometry: by default layers along image x (c along image y, as in the [210], [100], [110] zones of
 * src/lattice), M layers at y = phase + n·period, Li layers halfway between. In any other in-plane orientation pass
 * `normal`, the unit vector across the layers in image coordinates (x right, y down): the profile coordinate is then
 * u = n·r with r the pixel centre ((i + ½)·sx, (j + ½)·sy) Å, binned at the pixel size along n; with the default
 * normal (0, 1) the bins are exactly the image rows, as before.
 */
import { InputError } from '../../core/index.js';

/** A region: a rectangle in Å (x0 ≤ x < x1, y0 ≤ y < y1) and/or a pixel mask. */
export interface ProfileRegion {
  x0_A?: number;
  y0_A?: number;
  x1_A?: number;
  y1_A?: number;
  /** Optional per-pixel mask (1 = use), width × height. */
  mask?: Uint8Array;
}

/** Options of {@link layerProfile}. */
export interface LayerProfileOptions {
  /** Image pixel size, Å (both axes, or y when samplingX_A is given). */
  sampling_A: number;
  /** Pixel size along x, Å; default sampling_A. */
  samplingX_A?: number;
  /** Unit vector across the layers in image coordinates; default (0, 1): layers along image x. */
  normal?: readonly [number, number];
  /** Spacing between successive M layers, Å (c/3 = 4.733 Å for NCM851005). */
  period_A: number;
  /** y of one M layer, Å; found from the data (brightest fold phase) when absent. */
  mPhase_A?: number;
  /** Half-width of the window around a layer position that is averaged, Å. Default period/8. */
  halfWidth_A?: number;
}

/** An inset profile and its Li-site/M-site summary. */
export interface LayerProfile {
  /** Positions of the profile bins across the layers (u = n·r; the image y of the rows by default), Å. */
  y_A: Float64Array;
  /** Mean intensity per bin inside the region (NaN where the region has no pixel). */
  intensity: Float64Array;
  /** The M-layer phase used, Å. */
  mPhase_A: number;
  /** Mean intensity at M-layer positions. */
  mSite: number;
  /** Mean intensity at Li-layer positions. */
  liSite: number;
  /** liSite / mSite (0 … ~1; 1 = no layer contrast, rock-salt-like). */
  ratio: number;
  /** Pixels used. */
  pixels: number;
}

/** Extract the layer profile of `img` (width × height, row-major) in `region`. */
export function layerProfile(img: ArrayLike<number>, width: number, height: number, region: ProfileRegion, opts: LayerProfileOptions): LayerProfile {
  if (img.length !== width * height) throw new InputError('image', img.length, `${width}×${height} px`);
  if (!(opts.sampling_A > 0)) throw new InputError('sampling_A', opts.sampling_A, 'a length > 0 Å');
  if (!(opts.period_A > 2 * opts.sampling_A)) throw new InputError('period_A', opts.period_A, `a period > 2 px (${2 * opts.sampling_A} Å)`);
  const s = opts.sampling_A;
  const sx = opts.samplingX_A ?? s;
  if (!(sx > 0)) throw new InputError('samplingX_A', sx, 'a length > 0 Å');
  const [nx0, ny0] = opts.normal ?? [0, 1];
  const nl = Math.hypot(nx0, ny0);
  if (!(nl > 0)) throw new InputError('normal', opts.normal, 'a non-zero vector across the layers');
  const nx = nx0 / nl, ny = ny0 / nl;
  const xa = Math.max(0, Math.floor((region.x0_A ?? 0) / sx));
  const xb = Math.min(width, Math.ceil((region.x1_A ?? width * sx) / sx));
  const ya = Math.max(0, Math.floor((region.y0_A ?? 0) / s));
  const yb = Math.min(height, Math.ceil((region.y1_A ?? height * s) / s));
  // Bin width: the row height for the default orientation (bins = rows), the column width for layers along y, else
  // the finer pixel size (pixel centres project densely onto an oblique normal).
  const bin = nx === 0 ? s : ny === 0 ? sx : Math.min(sx, s);
  const uOf = (x: number, y: number): number => (x + 0.5) * sx * nx + (y + 0.5) * s * ny;
  const corners = xb > xa && yb > ya ? [uOf(xa, ya), uOf(xb - 1, ya), uOf(xa, yb - 1), uOf(xb - 1, yb - 1)] : [0];
  const k0 = Math.floor(Math.min(...corners) / bin), k1 = Math.floor(Math.max(...corners) / bin);
  const rows = xb > xa && yb > ya ? k1 - k0 + 1 : 0;
  const y_A = new Float64Array(rows);
  const intensity = new Float64Array(rows).fill(NaN);
  const count = new Float64Array(rows);
  const acc = new Float64Array(rows);
  let pixels = 0;
  for (let y = ya; y < yb; y++) {
    for (let x = xa; x < xb; x++) {
      const i = y * width + x;
      if (region.mask && !region.mask[i]) continue;
      const k = Math.min(rows - 1, Math.max(0, Math.floor(uOf(x, y) / bin) - k0));
      acc[k]! += img[i]!;
      count[k]! += 1;
      pixels++;
    }
  }
  for (let k = 0; k < rows; k++) {
    y_A[k] = (k + k0 + 0.5) * bin;
    if (count[k]! > 0) intensity[k] = acc[k]! / count[k]!;
  }
  const d = opts.period_A;
  const hw = opts.halfWidth_A ?? d / 8;
  // Weighted mean of rows whose distance (mod d) to `phase` is within hw.
  const siteMean = (phase: number) => {
    let acc = 0;
    let w = 0;
    for (let r = 0; r < rows; r++) {
      if (!(count[r]! > 0)) continue;
      let u = (((y_A[r]! - phase) % d) + d) % d;
      if (u > d / 2) u -= d;
      if (Math.abs(u) <= hw) {
        acc += intensity[r]! * count[r]!;
        w += count[r]!;
      }
    }
    return w > 0 ? acc / w : NaN;
  };
  let phase = opts.mPhase_A;
  if (phase === undefined) {
    // Brightest fold phase (M layers scatter far more than Li layers).
    let best = -Infinity;
    phase = 0;
    const steps = Math.max(8, Math.ceil(d / (s / 4)));
    for (let k = 0; k < steps; k++) {
      const p = (k * d) / steps;
      const v = siteMean(p);
      if (v > best) {
        best = v;
        phase = p;
      }
    }
  }
  const mSite = siteMean(phase);
  const liSite = siteMean(phase + d / 2);
  return { y_A, intensity, mPhase_A: ((phase % d) + d) % d, mSite, liSite, ratio: liSite / mSite, pixels };
}
