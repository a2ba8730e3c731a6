/**
 * Plain-TypeScript float64 references for the gpu.js kernel parity tests: naive DFT, complex
 * product, Fresnel-style propagation, detector sums, PRISM reconstruction. Written for clarity,
 * not speed (O(N²) DFT per axis on 32²–64² grids).
 */
export interface C64 { nx: number; ny: number; re: Float64Array; im: Float64Array }

/** Seeded uniform numbers in [−0.5, 0.5) (mulberry32), so the fixtures are reproducible. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

export function randomField(nx: number, ny: number, seed: number, nb = 1): { nx: number; ny: number; re: Float32Array; im: Float32Array } {
  const r = seeded(seed);
  const re = new Float32Array(nx * ny * nb), im = new Float32Array(nx * ny * nb);
  for (let i = 0; i < re.length; i++) { re[i] = r(); im[i] = r(); }
  return { nx, ny, re, im };
}

/** A unimodular field exp(iφ), φ uniform in [−π, π) (a phase object / propagator-like factor). */
export function randomPhase(nx: number, ny: number, seed: number): { nx: number; ny: number; re: Float32Array; im: Float32Array } {
  const r = seeded(seed);
  const re = new Float32Array(nx * ny), im = new Float32Array(nx * ny);
  for (let i = 0; i < re.length; i++) { const p = 2 * Math.PI * r(); re[i] = Math.cos(p); im[i] = Math.sin(p); }
  return { nx, ny, re, im };
}

export function to64(f: { nx: number; ny: number; re: Float32Array; im: Float32Array }, offset = 0): C64 {
  const n = f.nx * f.ny;
  return { nx: f.nx, ny: f.ny, re: Float64Array.from(f.re.subarray(offset, offset + n)), im: Float64Array.from(f.im.subarray(offset, offset + n)) };
}

/** 1D DFT along one axis of every row/column: sign −1 forward, +1 inverse (unscaled). */
function dftAxis(f: C64, axis: 0 | 1, sign: number): C64 {
  const { nx, ny } = f;
  const n = axis === 0 ? nx : ny;
  const re = new Float64Array(nx * ny), im = new Float64Array(nx * ny);
  for (let line = 0; line < (axis === 0 ? ny : nx); line++) {
    const at = (j: number): number => (axis === 0 ? line * nx + j : j * nx + line);
    for (let k = 0; k < n; k++) {
      let sr = 0, si = 0;
      for (let j = 0; j < n; j++) {
        const a = (sign * 2 * Math.PI * ((j * k) % n)) / n;
        const c = Math.cos(a), s = Math.sin(a);
        const xr = f.re[at(j)]!, xi = f.im[at(j)]!;
        sr += xr * c - xi * s;
        si += xr * s + xi * c;
      }
      re[at(k)] = sr;
      im[at(k)] = si;
    }
  }
  return { nx, ny, re, im };
}

/** 2D DFT: forward Σ f·exp(−2πi k·x/N) unnormalised; inverse exp(+2πi…)/(nx·ny). */
export function dft2(f: C64, inverse: boolean): C64 {
  const g = dftAxis(dftAxis(f, 0, inverse ? 1 : -1), 1, inverse ? 1 : -1);
  if (inverse) {
    const s = 1 / (f.nx * f.ny);
    for (let i = 0; i < g.re.length; i++) { g.re[i] = g.re[i]! * s; g.im[i] = g.im[i]! * s; }
  }
  return g;
}

export function cmul(a: C64, b: { re: ArrayLike<number>; im: ArrayLike<number> }): C64 {
  const re = new Float64Array(a.re.length), im = new Float64Array(a.re.length);
  for (let i = 0; i < re.length; i++) {
    const xr = a.re[i]!, xi = a.im[i]!, yr = b.re[i]!, yi = b.im[i]!;
    re[i] = xr * yr - xi * yi;
    im[i] = xr * yi + xi * yr;
  }
  return { nx: a.nx, ny: a.ny, re, im };
}

/** One multislice step ψ ← F⁻¹[F[ψ·t]·P]. */
export function sliceStep(psi: C64, t: { re: ArrayLike<number>; im: ArrayLike<number> }, p: { re: ArrayLike<number>; im: ArrayLike<number> }): C64 {
  return dft2(cmul(dft2(cmul(psi, t), false), p), true);
}

export function maskedSum(k: C64, mask: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < k.re.length; i++) s += mask[i]! * (k.re[i]! ** 2 + k.im[i]! ** 2);
  return s / (k.nx * k.ny);
}

export function norm2(f: { re: ArrayLike<number>; im: ArrayLike<number> }): number {
  let s = 0;
  for (let i = 0; i < f.re.length; i++) s += f.re[i]! ** 2 + f.im[i]! ** 2;
  return s;
}

/** max |a − b| / max |b| over complex elements. */
export function relErr(a: { re: ArrayLike<number>; im: ArrayLike<number> }, b: { re: ArrayLike<number>; im: ArrayLike<number> }): number {
  let e = 0, m = 0;
  for (let i = 0; i < b.re.length; i++) {
    e = Math.max(e, Math.hypot(a.re[i]! - b.re[i]!, a.im[i]! - b.im[i]!));
    m = Math.max(m, Math.hypot(b.re[i]!, b.im[i]!));
  }
  return e / m;
}

/** Annular mask on the unshifted k-grid: 1 where inner ≤ |k| (pixels) < outer. */
export function annularMask(nx: number, ny: number, inner_px: number, outer_px: number): Float32Array {
  const m = new Float32Array(nx * ny);
  for (let y = 0; y < ny; y++) {
    const ky = y < ny / 2 ? y : y - ny;
    for (let x = 0; x < nx; x++) {
      const kx = x < nx / 2 ? x : x - nx;
      const k = Math.hypot(kx, ky);
      m[y * nx + x] = k >= inner_px && k < outer_px ? 1 : 0;
    }
  }
  return m;
}
