/**
 * 2D Gaussian refinement of atomic columns: the frame is modelled as a smooth background plus one isotropic Gaussian
 * per column, I(r) = B(r) + Σ_i A_i exp(−|r − r_i|² / 2w_i²), as StatSTEM does (De Backer et al., Ultramicroscopy 171,
 * 104 (2016)); a column's integrated intensity V_i = 2π A_i w_i² (image units × Å²) is its scattering cross-section when
 * the frame is in fraction of the incident beam (Van Aert et al., Ultramicroscopy 109, 1236 (2009)).
 *
 * The whole model is fitted jointly by least squares, solved by block-coordinate Gauss–Newton sweeps over a residual
 * image: each column's (x, y, A) against the data minus the background and every other column's current model (so
 * overlapping neighbours are fitted jointly: their tails are in each other's residual and the sweep converges to the
 * joint optimum), one width per sublattice (columns of one kind share it, as StatSTEM's default), and the background:
 * one constant (StatSTEM's ζ, the default) or a bilinear surface on a coarse node grid, solved exactly through its
 * separable normal equations. Columns predicted
 * by the lattice but without a maximum of their own keep their predicted position until their amplitude is
 * significant (A > 5σ_A); their amplitude is always fitted (it may be ~0 or negative: an empty site).
 */

import { robustSigma, sample, sortedQuantile } from './stats.js';

export { robustSigma };

/** Columns being fitted (struct of arrays, px and image units). */
export interface GaussColumns {
  readonly n: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Peak amplitude above the background. */
  readonly A: Float64Array;
  /** Width group (sublattice) of each column; widths are shared per group. */
  readonly group: Uint8Array;
  /** 1: position fitted; 0: held at its start (lattice prediction). */
  readonly free: Uint8Array;
}

/** Fit result per column and the shared widths. */
export interface GaussFit {
  /** Width σ per group, px. */
  readonly width_px: Float64Array;
  /** Integrated intensity 2πAw², image units × px². */
  readonly volume: Float64Array;
  /** Standard errors of A and of the position (per axis), from the residual noise. */
  readonly sigmaA: Float64Array;
  readonly sigmaPos_px: Float64Array;
  /** r.m.s. residual within 1.5 w of each column, image units. */
  readonly residual: Float64Array;
  /** The background surface and the full residual image (data − model). */
  readonly background: Float32Array;
  readonly residualImage: Float32Array;
  /** Robust noise σ of the residual, image units per pixel. */
  readonly noise: number;
  readonly sweeps: number;
}

/** Options of {@link fitColumns}. */
export interface GaussFitOptions {
  /** Starting widths per group, px. */
  readonly width0_px: ArrayLike<number>;
  /**
   * Background: 'constant' (default; StatSTEM's single ζ: every other count is attributed to a column, so integrated
   * intensities sum to the image minus ζ) or a bilinear surface with nodes `backgroundStep_px` apart ('smooth': for
   * thickness gradients or contamination; integrated intensities then exclude what the surface takes), or 'vacuum':
   * fixed at `vacuumLevel` (a calibrated frame with vacuum in it: every count above vacuum belongs to a column).
   */
  readonly background?: 'constant' | 'smooth' | 'vacuum';
  /** Background node spacing for 'smooth', px. */
  readonly backgroundStep_px: number;
  /** The fixed background level for 'vacuum' (the frame's vacuum signal: 0 in fraction of the beam). */
  readonly vacuumLevel?: number;
  /** Position/width sweeps (default 5) and amplitude-only sweeps after them (default 4). */
  readonly sweeps?: number;
  readonly amplitudeSweeps?: number;
  /** Fit the widths (default true). */
  readonly fitWidths?: boolean;
  /**
   * Keep amplitudes ≥ 0 (default true): a cross-section is not negative. Without it, sites with no column of their own
   * (Li in a pristine layered oxide) take negative amplitudes that carve the dips of the probe's Airy pattern between
   * bright columns, which a Gaussian cannot model.
   */
  readonly nonNegative?: boolean;
}

/** Bilinear hat weights of pixel coordinate t on nodes spaced `step` (node k at k·step). */
function hat(n: number, nodes: number, step: number): { k0: Int32Array; w1: Float64Array } {
  const k0 = new Int32Array(n), w1 = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const u = Math.min(nodes - 1 - 1e-9, t / step);
    k0[t] = Math.floor(u);
    w1[t] = u - k0[t]!;
  }
  return { k0, w1 };
}

/** Solves the tridiagonal system (sub a, diag b, super c) in place for d (Thomas algorithm). */
function thomas(a: Float64Array, b: Float64Array, c: Float64Array, d: Float64Array): void {
  const n = b.length;
  const cp = new Float64Array(n);
  let beta = b[0]!;
  d[0] = d[0]! / beta;
  for (let i = 1; i < n; i++) {
    cp[i - 1] = c[i - 1]! / beta;
    beta = b[i]! - a[i]! * cp[i - 1]!;
    d[i] = (d[i]! - a[i]! * d[i - 1]!) / beta;
  }
  for (let i = n - 2; i >= 0; i--) d[i]! -= cp[i]! * d[i + 1]!;
}

/** Least-squares bilinear background of `d` (W×H) on nodes spaced `step`: separable normal equations (Mx ⊗ My). */
export function fitBackground(d: Float64Array, W: number, H: number, step: number): Float32Array {
  const nx = Math.max(2, Math.ceil((W - 1) / step) + 1), ny = Math.max(2, Math.ceil((H - 1) / step) + 1);
  const sx = (W - 1) / (nx - 1), sy = (H - 1) / (ny - 1);
  const hx = hat(W, nx, sx), hy = hat(H, ny, sy);
  // rhs R[ky][kx] = Σ φ_kx(x) φ_ky(y) d(x, y): first along x per row, then along y.
  const rowAcc = new Float64Array(H * nx);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const v = d[y * W + x]!, k = hx.k0[x]!, t = hx.w1[x]!;
    rowAcc[y * nx + k]! += (1 - t) * v;
    rowAcc[y * nx + k + 1]! += t * v;
  }
  const R = new Float64Array(ny * nx);
  for (let y = 0; y < H; y++) {
    const k = hy.k0[y]!, t = hy.w1[y]!;
    for (let i = 0; i < nx; i++) {
      R[k * nx + i]! += (1 - t) * rowAcc[y * nx + i]!;
      R[(k + 1) * nx + i]! += t * rowAcc[y * nx + i]!;
    }
  }
  const gram = (h: ReturnType<typeof hat>, n: number, nodes: number) => {
    const a = new Float64Array(nodes), b = new Float64Array(nodes), c = new Float64Array(nodes);
    for (let t = 0; t < n; t++) {
      const k = h.k0[t]!, w = h.w1[t]!;
      b[k]! += (1 - w) ** 2; b[k + 1]! += w * w; c[k]! += (1 - w) * w; a[k + 1]! += (1 - w) * w;
    }
    for (let i = 0; i < nodes; i++) b[i]! += 1e-9 * n; // ridge against empty node rows
    return { a, b, c };
  };
  const gx = gram(hx, W, nx), gy = gram(hy, H, ny);
  // Solve (My ⊗ Mx) vec(N) = vec(R): along x for each node row, then along y for each node column.
  const tmp = new Float64Array(nx);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) tmp[i] = R[j * nx + i]!;
    thomas(gx.a, gx.b, gx.c, tmp);
    for (let i = 0; i < nx; i++) R[j * nx + i] = tmp[i]!;
  }
  const col = new Float64Array(ny);
  for (let i = 0; i < nx; i++) {
    for (let j = 0; j < ny; j++) col[j] = R[j * nx + i]!;
    thomas(gy.a, gy.b, gy.c, col);
    for (let j = 0; j < ny; j++) R[j * nx + i] = col[j]!;
  }
  const out = new Float32Array(W * H);
  for (let y = 0; y < H; y++) {
    const k = hy.k0[y]!, t = hy.w1[y]!;
    for (let x = 0; x < W; x++) {
      const kk = hx.k0[x]!, u = hx.w1[x]!;
      out[y * W + x] = (1 - t) * ((1 - u) * R[k * nx + kk]! + u * R[k * nx + kk + 1]!) + t * ((1 - u) * R[(k + 1) * nx + kk]! + u * R[(k + 1) * nx + kk + 1]!);
    }
  }
  return out;
}

/**
 * Fits the columns to `img` (W×H) in place (x, y, A updated) and returns widths, integrated intensities, uncertainties
 * and residuals (see module doc).
 */
export function fitColumns(img: ArrayLike<number>, W: number, H: number, c: GaussColumns, o: GaussFitOptions): GaussFit {
  const n = c.n;
  const groups = o.width0_px.length;
  const w = Float64Array.from(o.width0_px);
  const sweeps = o.sweeps ?? 5, ampSweeps = o.amplitudeSweeps ?? 4;
  const nonNeg = o.nonNegative !== false;
  const res = new Float64Array(W * H);
  for (let i = 0; i < W * H; i++) res[i] = img[i]!;
  // Inverse-variance weights (1 until the noise model is measured after two sweeps).
  let wt: Float32Array = new Float32Array(W * H).fill(1);
  // Scratch for the separable Gaussian factors of one window.
  const maxR = Math.ceil(4 * Math.max(...w, 1) * 1.6) + 2;
  const ex = new Float64Array(2 * maxR + 1), ey = new Float64Array(2 * maxR + 1);
  const win = (i: number) => {
    const R = Math.min(maxR, Math.ceil(3.5 * w[c.group[i]!]!) + 1);
    const cx = Math.round(c.x[i]!), cy = Math.round(c.y[i]!);
    return { x0: Math.max(0, cx - R), x1: Math.min(W - 1, cx + R), y0: Math.max(0, cy - R), y1: Math.min(H - 1, cy + R) };
  };
  const factors = (i: number, b: ReturnType<typeof win>) => {
    const s = w[c.group[i]!]!, k = -0.5 / (s * s);
    for (let x = b.x0; x <= b.x1; x++) ex[x - b.x0] = Math.exp(k * (x - c.x[i]!) ** 2);
    for (let y = b.y0; y <= b.y1; y++) ey[y - b.y0] = Math.exp(k * (y - c.y[i]!) ** 2);
  };
  /** res += sign · A_i g_i. */
  const addModel = (i: number, sign: number) => {
    const b = win(i);
    factors(i, b);
    const a = sign * c.A[i]!;
    for (let y = b.y0; y <= b.y1; y++) {
      const fy = a * ey[y - b.y0]!, o0 = y * W;
      for (let x = b.x0; x <= b.x1; x++) res[o0 + x]! += fy * ex[x - b.x0]!;
    }
  };
  let background: Float32Array = new Float32Array(W * H);
  let level = 0; // the constant background
  const smoothBg = o.background === 'smooth';
  const scratch = smoothBg ? new Float64Array(W * H) : undefined;
  const backgroundStep = () => {
    if (smoothBg) {
      // d = data − columns = res + B_old.
      const d = scratch!;
      for (let i = 0; i < W * H; i++) d[i] = res[i]! + background[i]!;
      const B = fitBackground(d, W, H, o.backgroundStep_px);
      for (let i = 0; i < W * H; i++) res[i] = d[i]! - B[i]!;
      background = B;
      return;
    }
    if (o.background === 'vacuum') {
      const target = o.vacuumLevel ?? 0;
      if (target !== level) { for (let i = 0; i < W * H; i++) res[i]! -= target - level; level = target; }
      return;
    }
    // Constant: the weighted mean of data − columns = res + level.
    let m = 0, sw = 0;
    for (let i = 0; i < W * H; i++) { m += wt[i]! * res[i]!; sw += wt[i]!; }
    const d = m / sw;
    for (let i = 0; i < W * H; i++) res[i]! -= d;
    level += d;
  };
  // Initial model: amplitudes from the data minus a first background (of the data alone).
  for (let i = 0; i < n; i++) addModel(i, -1);
  backgroundStep();

  const columnStep = (i: number, withPosition: boolean) => {
    const b = win(i);
    factors(i, b);
    const s = w[c.group[i]!]!, inv2 = 1 / (s * s);
    const A = c.A[i]!, xi = c.x[i]!, yi = c.y[i]!;
    // Local data t = res + A e; normal equations in (A, x, y).
    let jaa = 0, jax = 0, jay = 0, jxx = 0, jxy = 0, jyy = 0, ra = 0, rx = 0, ry = 0;
    for (let y = b.y0; y <= b.y1; y++) {
      const eyv = ey[y - b.y0]!, dy = y - yi, o0 = y * W;
      for (let x = b.x0; x <= b.x1; x++) {
        const e = ex[x - b.x0]! * eyv;
        const wv = wt[o0 + x]!;
        const r = res[o0 + x]! * wv; // w (t − A e)
        ra += e * r; jaa += wv * e * e;
        if (withPosition) {
          const dx = x - xi;
          const gx = A * e * dx * inv2, gy = A * e * dy * inv2;
          jax += wv * e * gx; jay += wv * e * gy; jxx += wv * gx * gx; jxy += wv * gx * gy; jyy += wv * gy * gy;
          rx += gx * r; ry += gy * r;
        }
      }
    }
    let dA = 0, dx = 0, dy = 0;
    const clampA = (d: number): number => (nonNeg && A + d < 0 ? -A : d);
    if (withPosition && jxx > 0 && jyy > 0) {
      // Solve the 3×3 system [[jaa jax jay][jax jxx jxy][jay jxy jyy]] · (dA dx dy) = (ra rx ry).
      const m = [jaa, jax, jay, jax, jxx, jxy, jay, jxy, jyy];
      const det = m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) - m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) + m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!);
      if (Math.abs(det) > 1e-300) {
        dA = (ra * (m[4]! * m[8]! - m[5]! * m[7]!) - m[1]! * (rx * m[8]! - m[5]! * ry) + m[2]! * (rx * m[7]! - m[4]! * ry)) / det;
        dx = (m[0]! * (rx * m[8]! - m[5]! * ry) - ra * (m[3]! * m[8]! - m[5]! * m[6]!) + m[2]! * (m[3]! * ry - rx * m[6]!)) / det;
        dy = (m[0]! * (m[4]! * ry - rx * m[7]!) - m[1]! * (m[3]! * ry - rx * m[6]!) + ra * (m[3]! * m[7]! - m[4]! * m[6]!)) / det;
      }
      const lim = 0.5 * s;
      const len = Math.hypot(dx, dy);
      if (len > lim) { dx *= lim / len; dy *= lim / len; }
      if (nonNeg && A + dA < 0) { dA = jaa > 0 ? clampA(ra / jaa) : -A; dx = 0; dy = 0; }
    } else if (jaa > 0) dA = clampA(ra / jaa);
    if (dx === 0 && dy === 0) {
      // Amplitude only: res −= dA e on the same window.
      if (dA === 0) return;
      for (let y = b.y0; y <= b.y1; y++) {
        const f = dA * ey[y - b.y0]!, o0 = y * W;
        for (let x = b.x0; x <= b.x1; x++) res[o0 + x]! -= f * ex[x - b.x0]!;
      }
      c.A[i] = A + dA;
      return;
    }
    addModel(i, 1);
    c.x[i] = Math.min(W - 0.5, Math.max(-0.5, xi + dx));
    c.y[i] = Math.min(H - 0.5, Math.max(-0.5, yi + dy));
    c.A[i] = A + dA;
    addModel(i, -1);
  };

  // Per-pixel Jacobians of a group's shared width and common amplitude scale (overlapping columns add up per pixel).
  let jwBuf: Float64Array | undefined, jaBuf: Float64Array | undefined;
  const widthStep = (g: number) => {
    // Joint Gauss–Newton on (w_g, α): g_i = (1 + α) A_i e_i(w), ∂/∂w = A e ρ²/w³, ∂/∂α = A e, summed per pixel over the
    // group's columns (their windows overlap: the cross terms matter where columns overlap).
    const s = w[g]!;
    jwBuf ??= new Float64Array(W * H);
    jaBuf ??= new Float64Array(W * H);
    const Jw = jwBuf, Ja = jaBuf;
    let x0 = W, x1 = -1, y0 = H, y1 = -1;
    for (let i = 0; i < n; i++) {
      if (c.group[i] !== g || !(c.A[i]! > 0)) continue;
      const b = win(i);
      factors(i, b);
      const A = c.A[i]!;
      x0 = Math.min(x0, b.x0); x1 = Math.max(x1, b.x1); y0 = Math.min(y0, b.y0); y1 = Math.max(y1, b.y1);
      for (let y = b.y0; y <= b.y1; y++) {
        const eyv = ey[y - b.y0]!, dy2 = (y - c.y[i]!) ** 2, o0 = y * W;
        for (let x = b.x0; x <= b.x1; x++) {
          const e = A * ex[x - b.x0]! * eyv, rho2 = (x - c.x[i]!) ** 2 + dy2;
          Jw[o0 + x]! += e * (rho2 / (s * s * s));
          Ja[o0 + x]! += e;
        }
      }
    }
    if (x1 < 0) return;
    let ww = 0, wa = 0, aa = 0, rw = 0, ra = 0;
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) {
      const p = y * W + x, jw = Jw[p]!, ja = Ja[p]!;
      if (jw === 0 && ja === 0) continue;
      const wv = wt[p]!, r = res[p]!;
      ww += wv * jw * jw; wa += wv * jw * ja; aa += wv * ja * ja; rw += wv * jw * r; ra += wv * ja * r;
      Jw[p] = 0; Ja[p] = 0;
    }
    const det = ww * aa - wa * wa;
    if (!(det > 1e-300 * ww * aa) || !(ww > 0)) return;
    let ds = (rw * aa - ra * wa) / det;
    const da = (ww * ra - wa * rw) / det;
    ds = Math.max(-0.4 * s, Math.min(0.5 * s, ds));
    setWidth(g, Math.max(0.3, s + ds), true);
    if (Number.isFinite(da) && da > -0.5 && da < 1) {
      for (let i = 0; i < n; i++) if (c.group[i] === g && c.A[i]! > 0) { addModel(i, 1); c.A[i] = c.A[i]! * (1 + da); addModel(i, -1); }
    }
  };

  /** Sets group g's width, keeping each column's integrated intensity. */
  const setWidth = (g: number, s1: number, keepA = false) => {
    const s = w[g]!;
    if (s1 === s) return;
    for (let i = 0; i < n; i++) if (c.group[i] === g) addModel(i, 1);
    if (!keepA) for (let i = 0; i < n; i++) if (c.group[i] === g) c.A[i] = (c.A[i]! * s * s) / (s1 * s1);
    w[g] = s1;
    for (let i = 0; i < n; i++) if (c.group[i] === g) addModel(i, -1);
  };
  const weak = new Int32Array(groups).fill(-1);
  const noiseOf = () => robustSigma(res);
  const sigmaA = new Float64Array(n);
  const significance = () => {
    const sn = noiseOf();
    for (let i = 0; i < n; i++) {
      const s = w[c.group[i]!]!;
      // Σ e² over a full window ≈ π s² (Gaussian squared integrates to π s²); the local variance scales the noise.
      const j = Math.min(H - 1, Math.max(0, Math.round(c.y[i]!))) * W + Math.min(W - 1, Math.max(0, Math.round(c.x[i]!)));
      sigmaA[i] = Math.max(sn, 1 / Math.sqrt(wt[j]!) * Math.sqrt(meanW)) / Math.sqrt(Math.PI * s * s);
    }
  };

  let meanW = 1;
  let done = 0;
  for (let sweep = 0; sweep < sweeps; sweep++) {
    for (let i = 0; i < n; i++) columnStep(i, c.free[i] === 1);
    backgroundStep();
    if (sweep === 1) {
      wt = noiseWeights(img, res, W, H);
      meanW = 0;
      for (let i = 0; i < W * H; i++) meanW += wt[i]!;
      meanW /= W * H;
      significance();
      for (let i = 0; i < n; i++) if (c.A[i]! > 5 * sigmaA[i]!) c.free[i] = 1;
      // A sublattice too weak to show its own width (median significance < 10: Li, often O) takes the strongest's;
      // the strongest always fits its own.
      const med = Array.from({ length: groups }, (_, g) => {
        const v: number[] = [];
        for (let i = 0; i < n; i++) if (c.group[i] === g) v.push(c.A[i]! / sigmaA[i]!);
        v.sort((p, q) => p - q);
        return v.length ? v[Math.floor(v.length / 2)]! : 0;
      });
      const strongest = med.reduce((b, m, g) => (m > med[b]! ? g : b), 0);
      for (let g = 0; g < groups; g++) weak[g] = g !== strongest && med[g]! < 10 ? strongest : -1;
    }
    if (o.fitWidths !== false && sweep >= 1) {
      for (let g = 0; g < groups; g++) if (weak[g]! < 0) widthStep(g);
      for (let g = 0; g < groups; g++) if (weak[g]! >= 0 && weak[g] !== g) setWidth(g, w[weak[g]!]!);
    }
    done++;
  }
  for (let sweep = 0; sweep < ampSweeps; sweep++) {
    for (let i = 0; i < n; i++) columnStep(i, false);
    backgroundStep();
  }
  // Fresh residual (no accumulated rounding), noise, uncertainties.
  if (!smoothBg) background = new Float32Array(W * H).fill(level);
  for (let i = 0; i < W * H; i++) res[i] = img[i]! - background[i]!;
  for (let i = 0; i < n; i++) addModel(i, -1);
  const noise = noiseOf();
  // Weights are 1/variance up to a factor: calibrate it so that Σ w r² / N = 1 (the weighted residuals are unit normal).
  let wr2 = 0;
  for (let i = 0; i < W * H; i++) wr2 += wt[i]! * res[i]! * res[i]!;
  const calibrated = wr2 > 0 ? (W * H) / wr2 : 1;
  const volume = new Float64Array(n), sigmaPos = new Float64Array(n), residual = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = w[c.group[i]!]!;
    volume[i] = 2 * Math.PI * c.A[i]! * s * s;
    sigmaA[i] = noise / Math.sqrt(Math.PI * s * s);
    // Fisher information of x for a Gaussian of amplitude A: A² Σ e² dx²/s⁴ ≈ A² π/2 (continuous limit).
    sigmaPos[i] = Math.abs(c.A[i]!) > 0 ? noise / (Math.abs(c.A[i]!) * Math.sqrt(Math.PI / 2)) : Infinity;
    const R = 1.5 * s, b = { x0: Math.max(0, Math.floor(c.x[i]! - R)), x1: Math.min(W - 1, Math.ceil(c.x[i]! + R)), y0: Math.max(0, Math.floor(c.y[i]! - R)), y1: Math.min(H - 1, Math.ceil(c.y[i]! + R)) };
    let ss = 0, m = 0;
    for (let y = b.y0; y <= b.y1; y++) for (let x = b.x0; x <= b.x1; x++) {
      if ((x - c.x[i]!) ** 2 + (y - c.y[i]!) ** 2 > R * R) continue;
      ss += res[y * W + x]! ** 2; m++;
    }
    residual[i] = m > 0 ? Math.sqrt(ss / m) : NaN;
    // Standard errors from the weighted Fisher information of (A, x) over the column's window (weights = 1/variance).
    const bw = win(i);
    factors(i, bw);
    let fa = 0, fx = 0;
    const inv2 = 1 / (s * s);
    for (let y = bw.y0; y <= bw.y1; y++) for (let x = bw.x0; x <= bw.x1; x++) {
      const e = ex[x - bw.x0]! * ey[y - bw.y0]!, wv = wt[y * W + x]!;
      fa += wv * e * e;
      const gx = c.A[i]! * e * (x - c.x[i]!) * inv2;
      fx += wv * gx * gx;
    }
    sigmaA[i] = fa > 0 ? 1 / Math.sqrt(fa * calibrated) : Infinity;
    sigmaPos[i] = fx > 0 ? 1 / Math.sqrt(fx * calibrated) : Infinity;
  }
  return { width_px: w, volume, sigmaA, sigmaPos_px: sigmaPos, residual, background, residualImage: Float32Array.from(res), noise, sweeps: done };
}

/**
 * Inverse-variance weights from a variance model var(I) = a + b·I fitted to the squared residuals against the current
 * model's signal I: shot noise makes the variance grow with the signal (Poisson: b = gain), read
 * noise and background set a. Weights are 1/var, normalised to a mean of 1; where the fit is not meaningful (too few
 * pixels, b ≤ 0) they stay uniform.
 */
export function noiseWeights(img: ArrayLike<number>, res: Float64Array, W: number, H: number): Float32Array {
  // The model's value (data − residual), not the data: weights taken from the noisy data favour low fluctuations.
  const sig = new Float32Array(W * H);
  for (let i = 0; i < W * H; i++) sig[i] = img[i]! - res[i]!;
  // Bin by signal (20 quantile-ish bins between the 1st and 99th percentile), robust variance per bin, linear fit.
  const srt = sample(sig);
  const step = Math.max(1, Math.floor((W * H) / 50000));
  const lo = sortedQuantile(srt, 0.01), hi = sortedQuantile(srt, 0.99);
  const uniform = new Float32Array(W * H).fill(1);
  if (!(hi > lo)) return uniform;
  const nb = 20;
  const bins: number[][] = Array.from({ length: nb }, () => []);
  for (let i = 0; i < W * H; i += step) {
    const b = Math.floor(((sig[i]! - lo) / (hi - lo)) * nb);
    if (b >= 0 && b < nb) bins[b]!.push(res[i]! * res[i]!);
  }
  const xs: number[] = [], ys: number[] = [];
  bins.forEach((v0, b) => {
    if (v0.length < 30) return;
    const v = Float64Array.from(v0).sort();
    // Median of r² / 0.455 is the variance of a normal variable (χ²₁ median 0.455), robust to outliers.
    xs.push(lo + ((b + 0.5) / nb) * (hi - lo)); ys.push(v[Math.floor(v.length / 2)]! / 0.455);
  });
  if (xs.length < 4) return uniform;
  const mx = xs.reduce((p, q) => p + q, 0) / xs.length, my = ys.reduce((p, q) => p + q, 0) / ys.length;
  let sxy = 0, sxx = 0;
  xs.forEach((x, i) => { sxy += (x - mx) * (ys[i]! - my); sxx += (x - mx) ** 2; });
  const b = sxx > 0 ? sxy / sxx : 0;
  if (!(b > 0)) return uniform;
  const a = my - b * mx;
  const floor = Math.max(1e-12, 0.05 * Math.max(...ys));
  const out = new Float32Array(W * H);
  let m = 0;
  for (let i = 0; i < W * H; i++) { out[i] = 1 / Math.max(floor, a + b * sig[i]!); m += out[i]!; }
  m /= W * H;
  for (let i = 0; i < W * H; i++) out[i]! /= m;
  return out;
}
