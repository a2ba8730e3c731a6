/**
 * The fast incoherent renderer: image(p) = Σ_c σ_c K_{s_c}(p − r_c) evaluated at every scan position p, with the
 * radial kernels of kernel.ts: the near part splatted exactly per pixel (a table lookup in r²), the smooth far part
 * by one FFT convolution on a coarse grid (bilinear deposit and read-back), the probe's signal beyond FAR_RADIUS_A as
 * a uniform level. Any scan: pixel (i, j) sits at origin + i·stepI + j·stepJ + rowOffset[j] (Å), so scan rotation,
 * shear, anisotropic scale, drift and line jitter cost nothing extra. Pixels are point samples, exact at any pixel
 * size (no band-limit assumption on the output grid). The renderer owns its work buffers: after the first call of a
 * given size nothing is allocated.
 */
import { createFft2d } from '../../core/fft/index.js';
import { FAR_RADIUS_A, FAR_SAMPLING_A, NEAR_CUTOFF, NEAR_RADIUS_A, type NearKernel, type ProbeKernels, U_STEP_A2, farGridSize } from './kernel.js';
import { type NearSimd, nearSimd } from './splat-simd.js';

/** Columns to render (struct of arrays; the first `n` entries are used). */
export interface SplatColumns {
  readonly n: number;
  /** Column position, Å (same frame as the scan). */
  readonly x_A: Float64Array;
  readonly y_A: Float64Array;
  /** Integrated cross-section σ_c, Å² (the image integrates to Σσ_c). */
  readonly sigma_A2: Float64Array;
  /** Index of the column's near kernel in the `near` list passed to render(). */
  readonly kernel: Uint16Array;
}

/** Where the probe sits for each output pixel. */
export interface ScanGeometry {
  readonly width: number;
  readonly height: number;
  /** Position of pixel (0, 0), Å. */
  readonly origin_A: readonly [number, number];
  /** Step from pixel (i, j) to (i + 1, j) and to (i, j + 1), Å. */
  readonly stepI_A: readonly [number, number];
  readonly stepJ_A: readonly [number, number];
  /** Optional extra offset of row j, Å, interleaved (dx, dy) per row (drift, line jitter, distortion). */
  readonly rowOffset_A?: Float64Array;
}

/** Reusable renderer (one per thread). */
export class SplatRenderer {
  private coarse = new Map<string, { re: Float32Array; im: Float32Array }>();

  /** `simd`: use the WebAssembly SIMD near kernel where available (same bytes as the TypeScript loop; default true). */
  constructor(private readonly simd = true) {}

  /**
   * Renders `cols` into `out` (width·height, row-major, overwritten), signal as a fraction of the incident beam.
   * `near[k]` is the near kernel of columns with kernel index k; `kernels` the optics' kernels (far part, beyond).
   */
  render(cols: SplatColumns, near: readonly NearKernel[], kernels: ProbeKernels, scan: ScanGeometry, out: Float64Array): void {
    const { width: W, height: H } = scan;
    const k = scan.stepI_A[1] === 0 && this.simd ? nearSimd() : undefined;
    if (k) {
      // Both parts on the image in the kernel's memory, copied out once.
      simdLayout(k, W, H);
      new Float64Array(k.memory.buffer, 0, W * H).fill(0);
      this.near(cols, near, scan, undefined, k);
      this.far(cols, kernels, scan, undefined, k);
      out.set(new Float64Array(k.memory.buffer, 0, W * H));
      return;
    }
    out.fill(0, 0, W * H);
    this.near(cols, near, scan, out, undefined);
    this.far(cols, kernels, scan, out, undefined);
  }

  /**
   * The near part alone (added to `out`). A column's splat radius is the smallest at which its near kernel has fallen
   * below NEAR_CUTOFF of the brightest column's peak (NearKernel.radiusFor), at most NEAR_RADIUS_A: dim columns
   * (Li, O) next to TM columns cost a fraction of a bright one, for a truncation below 0.02 % of the peak signal.
   */
  renderNear(cols: SplatColumns, near: readonly NearKernel[], scan: ScanGeometry, out: Float64Array): void {
    this.viaKernel(scan, out, (k) => this.near(cols, near, scan, out, k));
  }

  /** The far part and the uniform level beyond FAR_RADIUS_A (added to `out`). */
  addFar(cols: SplatColumns, kernels: ProbeKernels, scan: ScanGeometry, out: Float64Array): void {
    this.viaKernel(scan, out, (k) => this.far(cols, kernels, scan, out, k));
  }

  /** Runs `part` on `out` itself (TypeScript loops) or on a copy of it in the SIMD kernel's memory (copied back). */
  private viaKernel(scan: ScanGeometry, out: Float64Array, part: (k: NearSimd | undefined) => void): void {
    const { width: W, height: H } = scan;
    const k = scan.stepI_A[1] === 0 && this.simd ? nearSimd() : undefined;
    if (!k) { part(undefined); return; }
    simdLayout(k, W, H);
    new Float64Array(k.memory.buffer, 0, W * H).set(out.subarray(0, W * H));
    part(k);
    out.set(new Float64Array(k.memory.buffer, 0, W * H));
  }

  /** The near part, added to `out` (TypeScript loops) or, with `k`, to the image at byte 0 of its memory (simdLayout). */
  private near(cols: SplatColumns, near: readonly NearKernel[], scan: ScanGeometry, out: Float64Array | undefined, simdK: NearSimd | undefined): void {
    const { width: W, height: H } = scan;
    const [x0, y0] = scan.origin_A;
    const [a11, a21] = scan.stepI_A, [a12, a22] = scan.stepJ_A;
    const off = scan.rowOffset_A;
    let maxOff = 0;
    if (off) for (let k = 0; k < 2 * H; k++) maxOff = Math.max(maxOff, Math.abs(off[k]!));
    const det = a11 * a22 - a12 * a21;
    // Inverse of [[a11, a12], [a21, a22]]: its second row gives the fractional line index of a position.
    const jx = -a21 / det, jy = a11 / det;
    const jScale = Math.hypot(jx, jy);
    // First row of the inverse: the fractional pixel index along a line (for the bounding-box reject).
    const ix = a22 / det, iy = -a12 / det, iScale = Math.hypot(ix, iy);
    const A = a11 * a11 + a21 * a21;
    const invDu = 1 / U_STEP_A2;
    let peak = 0;
    for (let c = 0; c < cols.n; c++) {
      const v = cols.sigma_A2[c]! * near[cols.kernel[c]!]!.table[0]!;
      if (v > peak) peak = v;
    }
    // Lines along x: the WebAssembly SIMD rows (splat-simd.ts, the same operations: bit-identical) on the image in the
    // kernel's memory, with the row offsets and the tables there (simdLayout, nearTables).
    let tabAt: Int32Array | undefined, offAt = 0, scrAt = 0;
    if (simdK) {
      const L = simdLayout(simdK, W, H);
      offAt = L.offsetsAt;
      scrAt = L.scratchAt;
      const f64 = new Float64Array(simdK.memory.buffer, offAt, 2 * H);
      if (off) f64.set(off.subarray(0, 2 * H)); else f64.fill(0);
      tabAt = nearTables(simdK, L, near);
    }
    // Columns out of reach even at the largest radius (R ≤ NEAR_RADIUS_A, and the reach grows with R) are dropped
    // before their radius is looked up (a log2 each): the same columns are rendered.
    const jExtMax = (NEAR_RADIUS_A + maxOff * Math.SQRT2) * jScale + 1, iExtMax = (NEAR_RADIUS_A + maxOff * Math.SQRT2) * iScale + 1;
    for (let c = 0; c < cols.n; c++) {
      const s = cols.sigma_A2[c]!;
      if (!(s > 0)) continue;
      const xc = cols.x_A[c]!, yc = cols.y_A[c]!;
      const fj = jx * (xc - x0) + jy * (yc - y0), fi = ix * (xc - x0) + iy * (yc - y0);
      if (fi < -iExtMax || fi > W - 1 + iExtMax || fj < -jExtMax || fj > H - 1 + jExtMax) continue;
      const nk = near[cols.kernel[c]!]!;
      const t = nk.table;
      const R = nk.radiusFor((NEAR_CUTOFF * peak) / s), R2 = R * R;
      const jExt = (R + maxOff * Math.SQRT2) * jScale + 1, iExt = (R + maxOff * Math.SQRT2) * iScale + 1;
      if (fi < -iExt || fi > W - 1 + iExt || fj < -jExt || fj > H - 1 + jExt) continue;
      const j0 = Math.max(0, Math.floor(fj - jExt)), j1 = Math.min(H - 1, Math.ceil(fj + jExt));
      if (simdK) {
        simdK.nearRows(0, tabAt![cols.kernel[c]!]!, offAt, W, j0, j1, x0, y0, a11, a21, a12, a22, xc, yc, R2, A, s, invDu, scrAt);
        continue;
      }
      const img = out!;
      for (let j = j0; j <= j1; j++) {
        const dx0 = x0 + j * a12 + (off ? off[2 * j]! : 0) - xc;
        const dy0 = y0 + j * a22 + (off ? off[2 * j + 1]! : 0) - yc;
        const B = 2 * (dx0 * a11 + dy0 * a21), C = dx0 * dx0 + dy0 * dy0 - R2;
        const disc = B * B - 4 * A * C;
        if (disc <= 0) continue;
        const sq = Math.sqrt(disc);
        let i0 = Math.ceil((-B - sq) / (2 * A)), i1 = Math.floor((-B + sq) / (2 * A));
        if (i0 < 0) i0 = 0;
        if (i1 > W - 1) i1 = W - 1;
        const row = j * W;
        let dx = dx0 + i0 * a11, dy = dy0 + i0 * a21;
        if (a21 === 0) {
          // Lines along x (the usual scan): dy is the same for the whole chord (dy + 0 = dy), so dy² is hoisted.
          const dy2 = dy * dy;
          for (let i = i0; i <= i1; i++) {
            const u = (dx * dx + dy2) * invDu;
            const k = u | 0;
            const a = t[k]!;
            img[row + i]! += s * (a + (u - k) * (t[k + 1]! - a));
            dx += a11;
          }
          continue;
        }
        for (let i = i0; i <= i1; i++) {
          const u = (dx * dx + dy * dy) * invDu;
          const k = u | 0;
          const a = t[k]!;
          img[row + i]! += s * (a + (u - k) * (t[k + 1]! - a));
          dx += a11;
          dy += a21;
        }
      }
    }
  }

  /** The far part and the uniform level beyond FAR_RADIUS_A, added like near(). */
  private far(cols: SplatColumns, kernels: ProbeKernels, scan: ScanGeometry, out: Float64Array | undefined, simdK: NearSimd | undefined): void {
    const { width: W, height: H } = scan;
    const [x0, y0] = scan.origin_A;
    const [a11, a21] = scan.stepI_A, [a12, a22] = scan.stepJ_A;
    const off = scan.rowOffset_A;
    // Bounding box of the scan positions.
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (const [i, j] of [[0, 0], [W - 1, 0], [0, H - 1], [W - 1, H - 1]] as const) {
      const x = x0 + i * a11 + j * a12, y = y0 + i * a21 + j * a22;
      minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
    }
    if (off) {
      let ox = 0, oy = 0;
      for (let j = 0; j < H; j++) { ox = Math.max(ox, Math.abs(off[2 * j]!)); oy = Math.max(oy, Math.abs(off[2 * j + 1]!)); }
      minX -= ox; maxX += ox; minY -= oy; maxY += oy;
    }
    const h = FAR_SAMPLING_A, R = FAR_RADIUS_A;
    const nx = farGridSize(maxX - minX + 2 * R + 2 * h), ny = farGridSize(maxY - minY + 2 * R + 2 * h);
    const gx0 = minX - R - h, gy0 = minY - R - h;
    const key = `${nx}x${ny}`;
    let buf = this.coarse.get(key);
    if (!buf) {
      buf = { re: new Float32Array(nx * ny), im: new Float32Array(nx * ny) };
      this.coarse.set(key, buf);
    }
    const { re, im } = buf;
    re.fill(0);
    im.fill(0);
    let total = 0;
    for (let c = 0; c < cols.n; c++) {
      const s = cols.sigma_A2[c]!;
      if (!(s > 0)) continue;
      const fx = (cols.x_A[c]! - gx0) / h, fy = (cols.y_A[c]! - gy0) / h;
      const ix = Math.floor(fx), iy = Math.floor(fy);
      if (ix < 0 || iy < 0 || ix >= nx - 1 || iy >= ny - 1) continue;
      const tx = fx - ix, ty = fy - iy, p = iy * nx + ix;
      re[p]! += s * (1 - tx) * (1 - ty);
      re[p + 1]! += s * tx * (1 - ty);
      re[p + nx]! += s * (1 - tx) * ty;
      re[p + nx + 1]! += s * tx * ty;
      total += s;
    }
    const far = kernels.far(nx, ny);
    const fft = createFft2d(nx, ny);
    fft.forward(re, im);
    const sp = far.spectrum;
    for (let i = 0; i < nx * ny; i++) { re[i]! *= sp[i]!; im[i]! *= sp[i]!; }
    fft.inverse(re, im);
    // The bilinear deposit and read-back each blur by a triangle of one cell: for the smooth far part (blurred to
    // FAR_BLUR_A = 1.2 cells) this is below 0.1 % of the far signal, itself a few % of the image.
    const level = (kernels.beyond * total) / (nx * ny * h * h);
    if (simdK) {
      // Lines along x: pixel pairs by the WebAssembly SIMD read-back (splat-simd.ts, the same operations: bit-identical)
      // on the image in the kernel's memory, with a copy of the grid after the near tables; an odd last pixel here.
      const L = simdLayout(simdK, W, H);
      const gridAt = L.tabEnd, need = gridAt + 4 * nx * ny + 16;
      if (simdK.memory.buffer.byteLength < need) simdK.memory.grow(Math.ceil((need - simdK.memory.buffer.byteLength) / 65536));
      const f64 = new Float64Array(simdK.memory.buffer, 0, W * H);
      new Float32Array(simdK.memory.buffer, gridAt, nx * ny).set(re);
      for (let j = 0; j < H; j++) {
        const bx = x0 + j * a12 + (off ? off[2 * j]! : 0) - gx0, by = y0 + j * a22 + (off ? off[2 * j + 1]! : 0) - gy0;
        const fy = by / h, iy = Math.floor(fy), ty = fy - iy, oy = 1 - ty, base = iy * nx;
        simdK.farRow(8 * j * W, gridAt + 4 * base, W >> 1, nx, bx, a11, h, oy, ty, level);
        if (W & 1) {
          const i = W - 1, fx = (bx + i * a11) / h, ix = Math.floor(fx), tx = fx - ix, p = base + ix;
          f64[j * W + i]! += level + (re[p]! * (1 - tx) + re[p + 1]! * tx) * oy + (re[p + nx]! * (1 - tx) + re[p + nx + 1]! * tx) * ty;
        }
      }
      return;
    }
    const img = out!;
    for (let j = 0; j < H; j++) {
      const bx = x0 + j * a12 + (off ? off[2 * j]! : 0) - gx0, by = y0 + j * a22 + (off ? off[2 * j + 1]! : 0) - gy0;
      const row = j * W;
      if (a21 === 0) {
        // Lines along x: the coarse-grid row and its weight are the same for the whole line (by + i·0 = by).
        const fy = by / h, iy = Math.floor(fy), ty = fy - iy, oy = 1 - ty, base = iy * nx;
        for (let i = 0; i < W; i++) {
          const fx = (bx + i * a11) / h;
          const ix = Math.floor(fx);
          const tx = fx - ix, p = base + ix;
          img[row + i]! += level + (re[p]! * (1 - tx) + re[p + 1]! * tx) * oy + (re[p + nx]! * (1 - tx) + re[p + nx + 1]! * tx) * ty;
        }
        continue;
      }
      for (let i = 0; i < W; i++) {
        const fx = (bx + i * a11) / h, fy = (by + i * a21) / h;
        const ix = Math.floor(fx), iy = Math.floor(fy);
        const tx = fx - ix, ty = fy - iy, p = iy * nx + ix;
        img[row + i]! += level + (re[p]! * (1 - tx) + re[p + 1]! * tx) * (1 - ty) + (re[p + nx]! * (1 - tx) + re[p + nx + 1]! * tx) * ty;
      }
    }
  }
}

/**
 * Where the SIMD paths keep their data in the kernel's memory (one kernel instance per thread, so one layout): the
 * image (float64, W·H) at byte 0, the row offsets (dx, dy per row) at `offsetsAt`, nearRows' row records (32 bytes per
 * row) at `scratchAt`, then the near tables from `tablesAt`
 * (kept between calls while the image size stays: `tables` maps a kernel's table to its byte, `tabEnd` is the first
 * free byte), then, during the far part, its coarse grid.
 */
interface SimdLayout { readonly offsetsAt: number; readonly scratchAt: number; readonly tablesAt: number; tabEnd: number; readonly tables: Map<Float64Array, number> }
let layout: SimdLayout | undefined;
/** Tables kept in the kernel's memory at most (~10 kB each); the cache starts over beyond. */
const MAX_CACHED_TABLES = 1024;

function growTo(k: NearSimd, bytes: number): void {
  if (k.memory.buffer.byteLength < bytes) k.memory.grow(Math.ceil((bytes - k.memory.buffer.byteLength) / 65536));
}

/** The layout for a W × H image (a new one, with no tables, when the size changed); memory for image and offsets. */
function simdLayout(k: NearSimd, W: number, H: number): SimdLayout {
  const offsetsAt = (8 * W * H + 15) & ~15, scratchAt = offsetsAt + 16 * H, tablesAt = scratchAt + 32 * H;
  if (!layout || layout.offsetsAt !== offsetsAt || layout.tablesAt !== tablesAt) layout = { offsetsAt, scratchAt, tablesAt, tabEnd: tablesAt, tables: new Map() };
  growTo(k, tablesAt);
  return layout;
}

/** Byte address of each kernel's table in the kernel's memory, copied there on first use (16 spare bytes after each). */
function nearTables(k: NearSimd, L: SimdLayout, near: readonly NearKernel[]): Int32Array {
  if (L.tables.size + near.length > MAX_CACHED_TABLES) { L.tables.clear(); L.tabEnd = L.tablesAt; }
  const at = new Int32Array(near.length);
  for (let q = 0; q < near.length; q++) {
    const t = near[q]!.table;
    let a = L.tables.get(t);
    if (a === undefined) {
      a = L.tabEnd;
      growTo(k, a + 8 * t.length + 16);
      new Float64Array(k.memory.buffer, a, t.length).set(t);
      L.tables.set(t, a);
      L.tabEnd = (a + 8 * t.length + 16 + 15) & ~15;
    }
    at[q] = a;
  }
  return at;
}

/** Radius (Å) around the scanned area within which columns must be given to render() (far part). */
export const RENDER_MARGIN_A = FAR_RADIUS_A;
/** Radius (Å) of the exact near part (columns farther than this from every pixel only add to the far part). */
export const RENDER_NEAR_A = NEAR_RADIUS_A;
