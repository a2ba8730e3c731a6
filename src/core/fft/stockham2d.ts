/**
 * 2D mixed-radix Stockham FFT on planar float32 arrays, row-major [ny][nx], in place.
 *
 * Rows: each row runs its stages ping-ponging between the row itself and a row-sized scratch
 * (both stay in L1). Columns: all columns at once: a column stage is the 1D stage with every
 * element replaced by a whole row, so the innermost loop runs over stride·nx contiguous floats
 * with one twiddle (no transpose, no strided access). When a pass has an odd number of stages its
 * last stage (m = 1, index sets coincide) runs in place, so results land back in the caller's arrays
 * without a copy. Inverse = forward on the swapped planes (im, re), then a 1/(nx·ny) scale:
 * swap(F(swap(x))) = F⁻¹ₙₒₙₙₒᵣₘ(x).
 */
import { getPlan, type FftPlan } from './plan.js';
import { kernelFor } from './kernels.js';

function runPass(
  plan: FftPlan, re: Float32Array, im: Float32Array, offset: number, unit: number,
  sr: Float32Array, si: Float32Array,
): void {
  const stages = plan.stages;
  const k = stages.length;
  const pingPong = k % 2 === 0 ? k : k - 1;
  for (let s = 0; s < pingPong; s++) {
    const st = stages[s]!;
    const kern = kernelFor(st.radix);
    if (s % 2 === 0) kern(re, im, offset, sr, si, 0, st.m, st.stride * unit, st.twRe, st.twIm);
    else kern(sr, si, 0, re, im, offset, st.m, st.stride * unit, st.twRe, st.twIm);
  }
  if (pingPong < k) {
    const st = stages[k - 1]!;
    kernelFor(st.radix)(re, im, offset, re, im, offset, st.m, st.stride * unit, st.twRe, st.twIm);
  }
}

/** A reusable 2D transform with its own scratch (not shareable between threads). */
export class Stockham2d {
  readonly nx: number;
  readonly ny: number;
  private readonly px: FftPlan;
  private readonly py: FftPlan;
  private readonly rowRe: Float32Array;
  private readonly rowIm: Float32Array;
  private readonly colRe: Float32Array;
  private readonly colIm: Float32Array;

  constructor(nx: number, ny: number) {
    this.nx = nx;
    this.ny = ny;
    this.px = getPlan(nx);
    this.py = getPlan(ny);
    this.rowRe = new Float32Array(nx);
    this.rowIm = new Float32Array(nx);
    this.colRe = new Float32Array(nx * ny);
    this.colIm = new Float32Array(nx * ny);
  }

  /** Unnormalised forward transform, exp(−2πi…), in place. */
  forward(re: Float32Array, im: Float32Array): void {
    const { nx, ny } = this;
    if (re.length < nx * ny || im.length < nx * ny) {
      throw new RangeError(`FFT arrays need ${nx}×${ny} = ${nx * ny} elements, got ${re.length}, ${im.length}`);
    }
    if (nx > 1) for (let y = 0; y < ny; y++) runPass(this.px, re, im, y * nx, 1, this.rowRe, this.rowIm);
    if (ny > 1) runPass(this.py, re, im, 0, nx, this.colRe, this.colIm);
  }

  /** Inverse transform scaled by 1/(nx·ny), in place. */
  inverse(re: Float32Array, im: Float32Array): void {
    this.forward(im, re);
    const n = this.nx * this.ny;
    const s = 1 / n;
    for (let i = 0; i < n; i++) { re[i] = re[i]! * s; im[i] = im[i]! * s; }
  }
}
