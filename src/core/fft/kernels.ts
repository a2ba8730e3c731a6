/**
 * Radix-2/3/4/5 Stockham butterflies (forward sign, exp(−2πi…)) on planar float32 data.
 *
 * One call runs one stage: for every group p ∈ [0, m) and every q ∈ [0, S) it reads the r inputs
 * x[xo + q + S·(p + j·m)] (j < r), forms their length-r DFT, multiplies output k by the twiddle
 * w^{p·k} and writes y[yo + q + S·(r·p + k)]. S is the stride (product of earlier radices, times the
 * row length when the stage runs on whole rows at once: the batched column pass). With m = 1 the
 * input and output index sets coincide, so the last stage may run in place (x = y).
 */
export type StageKernel = (
  xr: Float32Array, xi: Float32Array, xo: number,
  yr: Float32Array, yi: Float32Array, yo: number,
  m: number, S: number, twr: Float64Array, twi: Float64Array,
) => void;

export const radix2: StageKernel = (xr, xi, xo, yr, yi, yo, m, S, twr, twi) => {
  const sm = S * m;
  for (let p = 0; p < m; p++) {
    const w1r = twr[p]!, w1i = twi[p]!;
    const ib = xo + S * p, ob = yo + 2 * S * p;
    for (let q = 0; q < S; q++) {
      const i0 = ib + q, i1 = i0 + sm, o0 = ob + q, o1 = o0 + S;
      const a0r = xr[i0]!, a0i = xi[i0]!, a1r = xr[i1]!, a1i = xi[i1]!;
      const dr = a0r - a1r, di = a0i - a1i;
      yr[o0] = a0r + a1r; yi[o0] = a0i + a1i;
      yr[o1] = dr * w1r - di * w1i; yi[o1] = dr * w1i + di * w1r;
    }
  }
};

export const radix4: StageKernel = (xr, xi, xo, yr, yi, yo, m, S, twr, twi) => {
  const sm = S * m;
  for (let p = 0; p < m; p++) {
    const t = 3 * p;
    const w1r = twr[t]!, w1i = twi[t]!, w2r = twr[t + 1]!, w2i = twi[t + 1]!, w3r = twr[t + 2]!, w3i = twi[t + 2]!;
    const ib = xo + S * p, ob = yo + 4 * S * p;
    for (let q = 0; q < S; q++) {
      const i0 = ib + q, i1 = i0 + sm, i2 = i1 + sm, i3 = i2 + sm;
      const a0r = xr[i0]!, a0i = xi[i0]!, a1r = xr[i1]!, a1i = xi[i1]!;
      const a2r = xr[i2]!, a2i = xi[i2]!, a3r = xr[i3]!, a3i = xi[i3]!;
      const t0r = a0r + a2r, t0i = a0i + a2i, t1r = a0r - a2r, t1i = a0i - a2i;
      const t2r = a1r + a3r, t2i = a1i + a3i;
      // (a1 − a3)·(−i)
      const t3r = a1i - a3i, t3i = a3r - a1r;
      const o0 = ob + q, o1 = o0 + S, o2 = o1 + S, o3 = o2 + S;
      yr[o0] = t0r + t2r; yi[o0] = t0i + t2i;
      const b1r = t1r + t3r, b1i = t1i + t3i;
      yr[o1] = b1r * w1r - b1i * w1i; yi[o1] = b1r * w1i + b1i * w1r;
      const b2r = t0r - t2r, b2i = t0i - t2i;
      yr[o2] = b2r * w2r - b2i * w2i; yi[o2] = b2r * w2i + b2i * w2r;
      const b3r = t1r - t3r, b3i = t1i - t3i;
      yr[o3] = b3r * w3r - b3i * w3i; yi[o3] = b3r * w3i + b3i * w3r;
    }
  }
};

const S3 = Math.sqrt(3) / 2;

export const radix3: StageKernel = (xr, xi, xo, yr, yi, yo, m, S, twr, twi) => {
  const sm = S * m;
  for (let p = 0; p < m; p++) {
    const t = 2 * p;
    const w1r = twr[t]!, w1i = twi[t]!, w2r = twr[t + 1]!, w2i = twi[t + 1]!;
    const ib = xo + S * p, ob = yo + 3 * S * p;
    for (let q = 0; q < S; q++) {
      const i0 = ib + q, i1 = i0 + sm, i2 = i1 + sm;
      const a0r = xr[i0]!, a0i = xi[i0]!, a1r = xr[i1]!, a1i = xi[i1]!, a2r = xr[i2]!, a2i = xi[i2]!;
      const sr = a1r + a2r, si = a1i + a2i;
      const cr = a0r - 0.5 * sr, ci = a0i - 0.5 * si;
      // −i·sin(2π/3)·(a1 − a2)
      const dr = S3 * (a1i - a2i), di = -S3 * (a1r - a2r);
      const o0 = ob + q, o1 = o0 + S, o2 = o1 + S;
      yr[o0] = a0r + sr; yi[o0] = a0i + si;
      const b1r = cr + dr, b1i = ci + di, b2r = cr - dr, b2i = ci - di;
      yr[o1] = b1r * w1r - b1i * w1i; yi[o1] = b1r * w1i + b1i * w1r;
      yr[o2] = b2r * w2r - b2i * w2i; yi[o2] = b2r * w2i + b2i * w2r;
    }
  }
};

const C1 = Math.cos((2 * Math.PI) / 5), C2 = Math.cos((4 * Math.PI) / 5);
const S1 = Math.sin((2 * Math.PI) / 5), S2 = Math.sin((4 * Math.PI) / 5);

export const radix5: StageKernel = (xr, xi, xo, yr, yi, yo, m, S, twr, twi) => {
  const sm = S * m;
  for (let p = 0; p < m; p++) {
    const t = 4 * p;
    const w1r = twr[t]!, w1i = twi[t]!, w2r = twr[t + 1]!, w2i = twi[t + 1]!;
    const w3r = twr[t + 2]!, w3i = twi[t + 2]!, w4r = twr[t + 3]!, w4i = twi[t + 3]!;
    const ib = xo + S * p, ob = yo + 5 * S * p;
    for (let q = 0; q < S; q++) {
      const i0 = ib + q, i1 = i0 + sm, i2 = i1 + sm, i3 = i2 + sm, i4 = i3 + sm;
      const a0r = xr[i0]!, a0i = xi[i0]!;
      const a1r = xr[i1]!, a1i = xi[i1]!, a2r = xr[i2]!, a2i = xi[i2]!;
      const a3r = xr[i3]!, a3i = xi[i3]!, a4r = xr[i4]!, a4i = xi[i4]!;
      const b1r = a1r + a4r, b1i = a1i + a4i, b2r = a2r + a3r, b2i = a2i + a3i;
      const d1r = a1r - a4r, d1i = a1i - a4i, d2r = a2r - a3r, d2i = a2i - a3i;
      const u1r = a0r + C1 * b1r + C2 * b2r, u1i = a0i + C1 * b1i + C2 * b2i;
      const u2r = a0r + C2 * b1r + C1 * b2r, u2i = a0i + C2 * b1i + C1 * b2i;
      // v1 = −i(S1 d1 + S2 d2), v2 = −i(S2 d1 − S1 d2)
      const e1r = S1 * d1r + S2 * d2r, e1i = S1 * d1i + S2 * d2i;
      const e2r = S2 * d1r - S1 * d2r, e2i = S2 * d1i - S1 * d2i;
      const v1r = e1i, v1i = -e1r, v2r = e2i, v2i = -e2r;
      const o0 = ob + q, o1 = o0 + S, o2 = o1 + S, o3 = o2 + S, o4 = o3 + S;
      yr[o0] = a0r + b1r + b2r; yi[o0] = a0i + b1i + b2i;
      const y1r = u1r + v1r, y1i = u1i + v1i, y4r = u1r - v1r, y4i = u1i - v1i;
      const y2r = u2r + v2r, y2i = u2i + v2i, y3r = u2r - v2r, y3i = u2i - v2i;
      yr[o1] = y1r * w1r - y1i * w1i; yi[o1] = y1r * w1i + y1i * w1r;
      yr[o2] = y2r * w2r - y2i * w2i; yi[o2] = y2r * w2i + y2i * w2r;
      yr[o3] = y3r * w3r - y3i * w3i; yi[o3] = y3r * w3i + y3i * w3r;
      yr[o4] = y4r * w4r - y4i * w4i; yi[o4] = y4r * w4i + y4i * w4r;
    }
  }
};

/** The kernel for a radix. */
export function kernelFor(radix: number): StageKernel {
  switch (radix) {
    case 2: return radix2;
    case 3: return radix3;
    case 4: return radix4;
    case 5: return radix5;
    default: throw new RangeError(`no FFT kernel for radix ${radix}`);
  }
}
