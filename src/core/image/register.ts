/**
 * Sub-pixel registration by (partially whitened) cross-correlation with upsampled-DFT refinement
 * (Guizar-Sicairos, Thurman & Fienup, Opt. Lett. 33, 156 (2008)): the inverse transform of the cross-power
 * spectrum peaks at the shift; the peak is refined by evaluating that inverse DFT on a fine grid
 * (1/upsample px) around the coarse peak with separable matrix products. Cost: two forward FFTs, one inverse,
 * and O(n·(3·upsample)) for the refinement, independent of how far the search reaches.
 *
 * Images of any size. Windowed (the default): the whole image, Hann-windowed against edge leakage, zero-padded to
 * the next size the WASM SIMD FFT takes (a multiple of 16 of the form 2^a·3^b·5^c, src/core/fft nextFastFftSize;
 * the taper makes the padding seamless, and it only lengthens the correlation's ring); a second pass windows the
 * moving image where its content moved, which removes the window's pull of the peak towards zero. Unwindowed
 * (periodic images, whose circular shifts must stay exact): the central region of the largest size the FFT
 * supports (2^a·3^b·5^c). A periodic pattern (a crystal lattice) correlates equally at every lattice vector; `search`
 * restricts the coarse peak to a disc around a predicted shift so the right alias is taken.
 */
import { InputError } from '../errors.js';
import { type Fft2d, createFft2d, largestFftSize, nextFastFftSize } from '../fft/index.js';

/** Result of a registration. */
export interface Registration {
  /** Shift of `moving` relative to `ref`, px: moving(x, y) ≈ ref(x − dx, y − dy). */
  dx_px: number;
  dy_px: number;
  /** Peak height of the normalised correlation (1 = perfect match, ~0 = no match). */
  peak: number;
}

/** Options for {@link registerPhaseCorrelation}. */
export interface RegistrationOptions {
  /** Upsampling factor of the refinement (precision 1/upsample px). Default 20. */
  upsample?: number;
  /** Apply a Hann window before transforming. Default true. */
  window?: boolean;
  /**
   * Spectral whitening exponent p: the cross-power spectrum is divided by its modulus^p. p = 1 is classic phase
   * correlation (sharpest peak, but noise-dominated high frequencies weigh as much as the signal), p = 0 plain
   * cross-correlation (most robust to shot noise). Default 0.
   */
  whitening?: number;
  /** Only accept a coarse peak within radius_px of center_px (e.g. the shift predicted from earlier frames). Default: anywhere. */
  search?: { center_px: readonly [number, number]; radius_px: number };
  /**
   * Among the correlation's local maxima within `tolerance` (default 0.2) of the highest, take the one nearest
   * center_px (e.g. the drift predicted from earlier frames): on a crystal, lattice aliases are near-equal peaks and
   * noise decides between them; the prediction should. Default: the highest peak.
   */
  prefer?: { center_px: readonly [number, number]; tolerance?: number };
}

/** Hann weight at position u of a window starting at 0 and n long (0 outside). */
function hann(u: number, n: number): number {
  return u < -0.5 || u > n - 0.5 ? 0 : 0.5 - 0.5 * Math.cos((2 * Math.PI * (u + 0.5)) / n);
}

/**
 * Mean-subtracted ux × uy region of `src` at (x0, y0), optionally Hann-windowed over that region with the window
 * displaced by (wx, wy) px, zero-padded to nx × ny (≥ ux × uy) and transformed in place.
 */
function loadSpectrum(src: ArrayLike<number>, width: number, u: Crop, window: boolean, wx: number, wy: number, fft: Fft2d) {
  const { nx, ny, ux, uy, x0, y0 } = u;
  const re = new Float32Array(nx * ny);
  let mean = 0;
  for (let y = 0; y < uy; y++) for (let x = 0; x < ux; x++) mean += src[(y + y0) * width + x + x0]!;
  mean /= ux * uy;
  const colW = Float64Array.from({ length: ux }, (_, x) => (window ? hann(x - wx, ux) : 1));
  for (let y = 0; y < uy; y++) {
    const rowW = window ? hann(y - wy, uy) : 1;
    for (let x = 0; x < ux; x++) re[y * nx + x] = (src[(y + y0) * width + x + x0]! - mean) * colW[x]! * rowW;
  }
  const im = new Float32Array(nx * ny);
  fft.forward(re, im);
  return { re, im };
}

/** The region a registration uses (ux × uy at x0, y0) and the transform size it is padded to (nx × ny). */
interface Crop { nx: number; ny: number; ux: number; uy: number; x0: number; y0: number }

/** True when c[iy][ix] is ≥ its 8 neighbours (wrapped). */
function isLocalMax(c: Float32Array, nx: number, ny: number, ix: number, iy: number): boolean {
  const v = c[iy * nx + ix]!;
  for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
    if ((dx !== 0 || dy !== 0) && c[((iy + dy + ny) % ny) * nx + ((ix + dx + nx) % nx)]! > v) return false;
  }
  return true;
}

/** Wrapped signed offset of index i on a ring of n (in (−n/2, n/2]). */
function signedIndex(i: number, n: number): number {
  return i > n / 2 ? i - n : i;
}

/**
 * Register `moving` against `ref` (same width × height, row-major). Returns the sub-pixel shift.
 * @example const { dx_px, dy_px } = registerPhaseCorrelation(frame0, frame1, 256, 256);
 */
export function registerPhaseCorrelation(ref: ArrayLike<number>, moving: ArrayLike<number>, width: number, height: number, opts: RegistrationOptions = {}): Registration {
  if (ref.length !== width * height || moving.length !== width * height) throw new InputError('images', `${ref.length}, ${moving.length} px`, `${width}×${height} = ${width * height} px each`);
  if (width < 8 || height < 8) throw new InputError('width×height', `${width}×${height}`, 'at least 8×8 px');
  const up = Math.max(1, Math.round(opts.upsample ?? 20));
  const window = opts.window !== false;
  let u: Crop;
  if (window) u = { nx: nextFastFftSize(width), ny: nextFastFftSize(height), ux: width, uy: height, x0: 0, y0: 0 };
  else {
    const nx = largestFftSize(width), ny = largestFftSize(height);
    u = { nx, ny, ux: nx, uy: ny, x0: Math.floor((width - nx) / 2), y0: Math.floor((height - ny) / 2) };
  }
  const { nx, ny } = u;
  const fft = createFft2d(nx, ny);
  const A = loadSpectrum(ref, width, u, window, 0, 0, fft);
  const search = opts.search;
  if (search && !(search.radius_px >= 0)) throw new InputError('search.radius_px', search.radius_px, 'a number ≥ 0 px');
  const prefer = opts.prefer;
  if (prefer && !(prefer.tolerance === undefined || (prefer.tolerance >= 0 && prefer.tolerance < 1))) throw new InputError('prefer.tolerance', prefer.tolerance, 'a number in [0, 1)');
  // A fixed window weighs the moving content differently from the reference and pulls the peak towards zero (≈ 2 % of
  // the shift for a Hann window); a second pass windows the moving image where its content went, which removes that
  // bias, so the first pass only needs to be good to 1/4 px.
  const r = correlate(A, loadSpectrum(moving, width, u, window, 0, 0, fft), nx, ny, fft, opts.whitening, window ? Math.min(up, 4) : up, search, prefer);
  if (!window) return r;
  const B = loadSpectrum(moving, width, u, window, r.dx_px, r.dy_px, fft);
  return correlate(A, B, nx, ny, fft, opts.whitening, up, { center_px: [r.dx_px, r.dy_px], radius_px: 1.5 });
}

type Spectrum = ReturnType<typeof loadSpectrum>;

/** Wrapped distance² between integer shift (sx, sy) and a point, on an nx × ny ring. */
function ringDistance2(sx: number, sy: number, c: readonly [number, number], nx: number, ny: number): number {
  let ex = Math.abs(sx - c[0]) % nx, ey = Math.abs(sy - c[1]) % ny;
  ex = Math.min(ex, nx - ex);
  ey = Math.min(ey, ny - ey);
  return ex * ex + ey * ey;
}

let scratch: { n: number; Rr: Float64Array; Ri: Float64Array; cr: Float32Array; ci: Float32Array } | undefined;
/** Work arrays of one correlation (every element is written before it is read; registration is synchronous). */
function scratchFor(n: number) {
  if (scratch?.n !== n) scratch = { n, Rr: new Float64Array(n), Ri: new Float64Array(n), cr: new Float32Array(n), ci: new Float32Array(n) };
  return scratch;
}

/**
 * Storage indices (ascending) of the pixels a search disc can reach on the nx × ny ring (its bounding box), or
 * undefined when every pixel must be scanned (no disc, or a disc as wide as the ring).
 */
function searchCandidates(search: RegistrationOptions['search'], nx: number, ny: number): number[] | undefined {
  if (!search) return undefined;
  const [cx, cy] = search.center_px, r = search.radius_px;
  const x0 = Math.ceil(cx - r), x1 = Math.floor(cx + r), y0 = Math.ceil(cy - r), y1 = Math.floor(cy + r);
  if (!(x1 - x0 + 1 < nx && y1 - y0 + 1 < ny)) return undefined;
  const out: number[] = [];
  const wrap = (i: number, n: number) => ((i % n) + n) % n;
  for (let sy = y0; sy <= y1; sy++) for (let sx = x0; sx <= x1; sx++) out.push(wrap(sy, ny) * nx + wrap(sx, nx));
  return out.sort((a, b) => a - b);
}

/** Cross-power spectrum of A and B, coarse peak (within `search`, nearest `prefer` among near-equal maxima), refined to 1/up px. */
function correlate(A: Spectrum, B: Spectrum, nx: number, ny: number, fft: Fft2d, whitening: number | undefined, up: number, search: RegistrationOptions['search'], prefer?: RegistrationOptions['prefer']): Registration {
  // R = B · conj(A) / |B · conj(A)|^p: its inverse DFT peaks at +shift.
  const p = Math.min(1, Math.max(0, whitening ?? 0));
  const n = nx * ny;
  const { Rr, Ri, cr, ci } = scratchFor(n);
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const re = B.re[i]! * A.re[i]! + B.im[i]! * A.im[i]!;
    const im = B.im[i]! * A.re[i]! - B.re[i]! * A.im[i]!;
    const m = Math.sqrt(re * re + im * im);
    const s = m <= 1e-30 ? 0 : p === 0 ? 1 : p === 1 ? 1 / m : m ** -p;
    Rr[i] = cr[i] = re * s;
    Ri[i] = ci[i] = im * s;
    norm += m * s;
  }
  fft.inverse(cr, ci);
  // Shifts are only known modulo the crop size: distances are wrapped on the FFT ring.
  const allowed = (sx: number, sy: number) => !search || ringDistance2(sx, sy, search.center_px, nx, ny) <= search.radius_px ** 2;
  let best = -Infinity, px = 0, py = 0;
  // With a search disc only the pixels of its bounding box can be allowed: visit those, in storage order (the same
  // maximum and the same tie-breaking as the full scan).
  const candidates = searchCandidates(search, nx, ny);
  const m = candidates ? candidates.length : nx * ny;
  for (let j = 0; j < m; j++) {
    const k = candidates ? candidates[j]! : j;
    const v = cr[k]!;
    if (v <= best) continue;
    const ix = k % nx, iy = (k - ix) / nx;
    if (!allowed(signedIndex(ix, nx), signedIndex(iy, ny))) continue;
    best = v;
    px = signedIndex(ix, nx);
    py = signedIndex(iy, ny);
  }
  if (best === -Infinity) throw new InputError('search', JSON.stringify(search), 'a disc reaching an integer shift (radius ≥ 0.71 px)');
  if (prefer && best > 0) {
    const floor = (1 - (prefer.tolerance ?? 0.2)) * best;
    let nearest = ringDistance2(px, py, prefer.center_px, nx, ny);
    for (let iy = 0; iy < ny; iy++) for (let ix = 0; ix < nx; ix++) {
      const v = cr[iy * nx + ix]!;
      if (v < floor || !isLocalMax(cr, nx, ny, ix, iy)) continue;
      const sx = signedIndex(ix, nx), sy = signedIndex(iy, ny);
      const d = ringDistance2(sx, sy, prefer.center_px, nx, ny);
      if (d < nearest && allowed(sx, sy)) {
        nearest = d;
        best = v;
        px = sx;
        py = sy;
      }
    }
  }
  // Peak normalised so that identical images give 1.
  const peakOf = (v: number) => (norm > 0 ? v / norm : 0);
  if (up === 1) return { dx_px: px, dy_px: py, peak: peakOf(best * n) };
  const fine = refinePeak(Rr, Ri, nx, ny, px, py, up);
  return { dx_px: fine.x, dy_px: fine.y, peak: peakOf(fine.value) };
}

/**
 * Refines the coarse peak (px, py) to 1/up px: the upsampled inverse DFT is evaluated on a grid of step 1/4 px over
 * ±1.5 px, then of step 1/up over ±1/4 px around that grid's maximum (the two levels cost ≈ (13 + 11)/61 of one
 * ±1.5 px grid at 1/20 px). The Nyquist row/column (phase ambiguous for real images) is dropped.
 */
function refinePeak(Rr: Float64Array, Ri: Float64Array, nx: number, ny: number, px: number, py: number, up: number): { x: number; y: number; value: number } {
  for (let r = 0; r < ny; r++) for (let k = 0; k < nx; k++) {
    if ((nx % 2 === 0 && k === nx / 2) || (ny % 2 === 0 && r === ny / 2)) Rr[r * nx + k] = Ri[r * nx + k] = 0;
  }
  const up1 = Math.min(up, 4);
  const coarse = dftGrid(Rr, Ri, nx, ny, px, py, up1, 1.5);
  return up > up1 ? dftGrid(Rr, Ri, nx, ny, coarse.x, coarse.y, up, 1 / up1) : coarse;
}

/** Maximum of the inverse DFT of R on the grid (cx, cy) + (i, j)/up, |i|, |j| ≤ ⌈halfWidth·up⌉, with separable matrix products. */
function dftGrid(Rr: Float64Array, Ri: Float64Array, nx: number, ny: number, px: number, py: number, up: number, halfWidth_px: number): { x: number; y: number; value: number } {
  const half = Math.ceil(halfWidth_px * up - 1e-9);
  const m = 2 * half + 1;
  const xs = Float64Array.from({ length: m }, (_, j) => px + (j - half) / up);
  const ys = Float64Array.from({ length: m }, (_, j) => py + (j - half) / up);
  const kx = Float64Array.from({ length: nx }, (_, k) => (k < nx / 2 ? k : k - nx));
  const ky = Float64Array.from({ length: ny }, (_, k) => (k < ny / 2 ? k : k - ny));
  // R is the cross-power spectrum of two real images, so R[−ky][−kx] = conj R[ky][kx] and the rows ky < 0 add the
  // conjugates of the rows ky > 0: only the rows ky = 0 … ⌈ny/2⌉ − 1 are summed, those with ky > 0 twice (real part).
  const rows = Math.ceil(ny / 2);
  // G[ky][xj] = Σ_kx R[ky][kx] e^{+2πi kx xj / nx}: dot products over contiguous kx.
  const Gr = new Float64Array(rows * m), Gi = new Float64Array(rows * m);
  const er = new Float64Array(m * nx), ei = new Float64Array(m * nx);
  for (let j = 0; j < m; j++) for (let k = 0; k < nx; k++) {
    const ph = (2 * Math.PI * kx[k]! * xs[j]!) / nx;
    er[j * nx + k] = Math.cos(ph);
    ei[j * nx + k] = Math.sin(ph);
  }
  for (let r = 0; r < rows; r++) {
    const o = r * nx;
    for (let j = 0; j < m; j++) {
      const e = j * nx;
      let accR = 0, accI = 0;
      for (let k = 0; k < nx; k++) {
        const ar = Rr[o + k]!, ai = Ri[o + k]!, br = er[e + k]!, bi = ei[e + k]!;
        accR += ar * br - ai * bi;
        accI += ar * bi + ai * br;
      }
      Gr[r * m + j] = accR;
      Gi[r * m + j] = accI;
    }
  }
  let value = -Infinity, x = 0, y = 0;
  const row = new Float64Array(m);
  for (let iy = 0; iy < m; iy++) {
    row.fill(0);
    for (let r = 0; r < rows; r++) {
      const ph = (2 * Math.PI * ky[r]! * ys[iy]!) / ny;
      const w = r === 0 ? 1 : 2, c = w * Math.cos(ph), s = w * Math.sin(ph);
      for (let j = 0; j < m; j++) row[j]! += Gr[r * m + j]! * c - Gi[r * m + j]! * s;
    }
    for (let j = 0; j < m; j++) if (row[j]! > value) { value = row[j]!; x = xs[j]!; y = ys[iy]!; }
  }
  return { x, y, value };
}
