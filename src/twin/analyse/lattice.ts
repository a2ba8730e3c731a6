/**
 * The image's 2D lattice from its Fourier peaks, in any in-plane orientation.
 *
 * The central crop of the frame (the largest size the FFT supports) is Hann-windowed and transformed; local maxima of
 * the power spectrum well above its median are the Bragg peaks (sub-bin positions by parabolic interpolation of
 * log power). Every pair of strong non-collinear peaks is tried as a reciprocal basis, scored by the amplitude of all
 * peaks it indexes with integer (h, k); the best pair (ties: the coarser reciprocal cell, i.e. no spurious
 * superlattice) is refined by weighted least squares over every indexed peak (higher orders pin it down to a small
 * fraction of a bin), and its real-space dual is Lagrange–Gauss reduced to the two shortest, most orthogonal
 * vectors, right-handed in image coordinates (x right, y down).
 */
import { InputError, createFft2d, largestFftSize } from '../../core/index.js';

/** A 2D vector, px or Å as named. */
export type Vec2 = readonly [number, number];

/** A lattice in pixel units: real basis a1, a2 (px) and its dual g1, g2 (cycles/px; a_i·g_j = δ_ij). */
export interface PixelLattice {
  readonly a1: Vec2;
  readonly a2: Vec2;
  readonly g1: Vec2;
  readonly g2: Vec2;
}

/** Result of the Fourier estimate. */
export interface LatticeEstimate extends PixelLattice {
  /** Bragg peaks used (cycles/px, half plane) with their (h, k) and relative power. */
  readonly peaks: { k: Vec2; hk: [number, number]; power: number }[];
  /** Fraction of the strong peaks' amplitude the basis indexes (1 = every peak is a lattice point). */
  readonly indexed: number;
}

export const dot = (a: Vec2, b: Vec2): number => a[0] * b[0] + a[1] * b[1];
export const cross = (a: Vec2, b: Vec2): number => a[0] * b[1] - a[1] * b[0];
export const norm = (a: Vec2): number => Math.hypot(a[0], a[1]);

/** The dual basis: g_i·a_j = δ_ij (works both ways). */
export function dual(a1: Vec2, a2: Vec2): [Vec2, Vec2] {
  const d = cross(a1, a2);
  return [[a2[1] / d, -a2[0] / d], [-a1[1] / d, a1[0] / d]];
}

/** Lagrange–Gauss reduction: the shortest, most orthogonal basis of the same lattice, |a1| ≤ |a2|, a1 × a2 > 0. */
export function reduceBasis(a1: Vec2, a2: Vec2): [Vec2, Vec2] {
  let u: [number, number] = [a1[0], a1[1]], v: [number, number] = [a2[0], a2[1]];
  for (let it = 0; it < 64; it++) {
    if (dot(u, u) > dot(v, v)) [u, v] = [v, u];
    const m = Math.round(dot(u, v) / dot(u, u));
    if (m === 0) break;
    v = [v[0] - m * u[0], v[1] - m * u[1]];
  }
  if (cross(u, v) < 0) v = [-v[0], -v[1]];
  return [u, v];
}

/** A pixel lattice from real basis vectors (px). */
export function pixelLattice(a1: Vec2, a2: Vec2): PixelLattice {
  const [g1, g2] = dual(a1, a2);
  return { a1, a2, g1, g2 };
}

interface Peak { kx: number; ky: number; p: number }

/** Bragg peaks of the Hann-windowed central crop: cycles/px, half plane, strongest first. */
export function braggPeaks(img: ArrayLike<number>, width: number, height: number, maxPeaks = 48): Peak[] {
  const nx = largestFftSize(width), ny = largestFftSize(height);
  const x0 = Math.floor((width - nx) / 2), y0 = Math.floor((height - ny) / 2);
  let mean = 0;
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) mean += img[(y + y0) * width + x + x0]!;
  mean /= nx * ny;
  const hx = Float64Array.from({ length: nx }, (_, x) => 0.5 - 0.5 * Math.cos((2 * Math.PI * (x + 0.5)) / nx));
  const re = new Float32Array(nx * ny), im = new Float32Array(nx * ny);
  for (let y = 0; y < ny; y++) {
    const hy = 0.5 - 0.5 * Math.cos((2 * Math.PI * (y + 0.5)) / ny);
    for (let x = 0; x < nx; x++) re[y * nx + x] = (img[(y + y0) * width + x + x0]! - mean) * hx[x]! * hy;
  }
  createFft2d(nx, ny).forward(re, im);
  const P = new Float64Array(nx * ny);
  for (let i = 0; i < nx * ny; i++) P[i] = re[i]! * re[i]! + im[i]! * im[i]!;
  // Noise floor: median power outside the lowest frequencies (the Bragg peaks are a tiny fraction of the bins).
  const kmin2 = (4 / Math.min(nx, ny)) ** 2;
  const sx = (k: number): number => (k < nx / 2 ? k : k - nx), sy = (k: number): number => (k < ny / 2 ? k : k - ny);
  const sample: number[] = [];
  for (let i = 0; i < nx * ny; i += 7) sample.push(P[i]!);
  sample.sort((a, b) => a - b);
  const floor = sample[Math.floor(sample.length / 2)]! || 1e-300;
  const peaks: Peak[] = [];
  const at = (x: number, y: number): number => P[(((y % ny) + ny) % ny) * nx + (((x % nx) + nx) % nx)]!;
  for (let y = 0; y <= ny / 2; y++) for (let x = 0; x < nx; x++) {
    const fx = sx(x), fy = sy(y);
    if (fy === 0 && fx <= 0) continue; // half plane
    if (fy < 0) continue;
    if ((fx / nx) ** 2 + (fy / ny) ** 2 < kmin2) continue;
    const v = P[y * nx + x]!;
    if (v < 30 * floor) continue;
    let isMax = true;
    for (let dy = -2; dy <= 2 && isMax; dy++) for (let dx = -2; dx <= 2; dx++) {
      if ((dx || dy) && at(x + dx, y + dy) > v) { isMax = false; break; }
    }
    if (!isMax) continue;
    // Parabolic interpolation of log power along each axis.
    const lp = (a: number): number => Math.log(Math.max(a, 1e-300));
    const c = lp(v);
    const l = lp(at(x - 1, y)), r = lp(at(x + 1, y)), u = lp(at(x, y - 1)), d = lp(at(x, y + 1));
    const ddx = l - 2 * c + r, ddy = u - 2 * c + d;
    const ox = ddx < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (l - r)) / ddx)) : 0;
    const oy = ddy < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (u - d)) / ddy)) : 0;
    peaks.push({ kx: (fx + ox) / nx, ky: (fy + oy) / ny, p: v / floor });
  }
  peaks.sort((a, b) => b.p - a.p);
  return peaks.slice(0, maxPeaks);
}

/** Indexes `peaks` on the reciprocal basis (p, q): (h, k) and the residual, cycles/px. */
function index(pk: Peak, p: Vec2, q: Vec2): { h: number; k: number; err: number } {
  const d = cross(p, q);
  const h = Math.round((pk.kx * q[1] - pk.ky * q[0]) / d), k = Math.round((p[0] * pk.ky - p[1] * pk.kx) / d);
  return { h, k, err: Math.hypot(pk.kx - h * p[0] - k * q[0], pk.ky - h * p[1] - k * q[1]) };
}

/**
 * Estimates the lattice of a crystalline frame (see module doc). Throws InputError (field `image`) when the frame
 * shows no lattice: too small, featureless, or amorphous.
 */
export function estimateLattice(img: ArrayLike<number>, width: number, height: number): LatticeEstimate {
  const peaks = braggPeaks(img, width, height);
  const n = Math.min(largestFftSize(width), largestFftSize(height));
  const tol = 1.6 / n;
  if (peaks.length < 2) throw new InputError('image', `${width}×${height} px, ${peaks.length} Bragg peak(s)`, 'a crystalline frame showing a 2D lattice (at least 2 independent Bragg peaks well above the noise)');
  const top = peaks.slice(0, Math.min(10, peaks.length));
  // Radius of the strong peaks (the third strongest, or the farthest of fewer): where every lattice point should show.
  const kStrong = 1.05 * Math.max(...top.slice(0, 3).map((pk) => Math.hypot(pk.kx, pk.ky)));
  let best: { p: Vec2; q: Vec2; score: number; area: number } | undefined;
  for (let i = 0; i < top.length; i++) for (let j = i + 1; j < top.length; j++) {
    const p: Vec2 = [top[i]!.kx, top[i]!.ky], q: Vec2 = [top[j]!.kx, top[j]!.ky];
    const area = Math.abs(cross(p, q));
    if (area < 0.25 * norm(p) * norm(q)) continue; // nearly collinear
    let explained = 0;
    for (const pk of peaks) {
      const ix = index(pk, p, q);
      if (ix.err < tol && Math.abs(ix.h) <= 12 && Math.abs(ix.k) <= 12) explained += Math.sqrt(pk.p);
    }
    // Occupancy: the share of the basis' lattice points inside the strong peaks' radius that carry a peak. A basis finer
    // than the crystal's (built on a weak spurious peak: a second grain, a particle-shape fringe) predicts many empty
    // points there, the crystal's own basis almost none.
    let predicted = 0, seen = 0;
    const [dp, dq] = dual(p, q);
    const hm = Math.min(12, Math.ceil(kStrong * norm(dp))), km = Math.min(12, Math.ceil(kStrong * norm(dq)));
    for (let h = -hm; h <= hm; h++) for (let k = -km; k <= km; k++) {
      const gx = h * p[0] + k * q[0], gy = h * p[1] + k * q[1];
      if (gy < 0 || (gy === 0 && gx <= 0)) continue;
      const r = Math.hypot(gx, gy);
      if (r > kStrong || r < 1e-9) continue;
      predicted++;
      if (peaks.some((pk) => Math.hypot(pk.kx - gx, pk.ky - gy) < tol || Math.hypot(pk.kx + gx, pk.ky + gy) < tol)) seen++;
    }
    const score = explained * (predicted > 0 ? seen / predicted : 1);
    if (!best || score > best.score * 1.02 || (score > best.score * 0.98 && area > best.area)) best = { p, q, score, area };
  }
  if (!best) throw new InputError('image', `${width}×${height} px`, 'a frame showing two non-parallel lattice fringes (a 2D lattice)');
  // Weighted least squares over every indexed peak.
  let shh = 0, shk = 0, skk = 0, bhx = 0, bkx = 0, bhy = 0, bky = 0, total = 0, used = 0;
  const out: LatticeEstimate['peaks'] = [];
  for (const pk of peaks) {
    const w = Math.sqrt(pk.p);
    total += w;
    const ix = index(pk, best.p, best.q);
    if (!(ix.err < tol) || (ix.h === 0 && ix.k === 0)) continue;
    used += w;
    shh += w * ix.h * ix.h; shk += w * ix.h * ix.k; skk += w * ix.k * ix.k;
    bhx += w * ix.h * pk.kx; bkx += w * ix.k * pk.kx; bhy += w * ix.h * pk.ky; bky += w * ix.k * pk.ky;
    out.push({ k: [pk.kx, pk.ky], hk: [ix.h, ix.k], power: pk.p });
  }
  const det = shh * skk - shk * shk;
  let g1: Vec2 = best.p, g2: Vec2 = best.q;
  if (Math.abs(det) > 1e-9 * shh * skk) {
    g1 = [(skk * bhx - shk * bkx) / det, (skk * bhy - shk * bky) / det];
    g2 = [(shh * bkx - shk * bhx) / det, (shh * bky - shk * bhy) / det];
  }
  const [r1, r2] = dual(g1, g2);
  const [a1, a2] = reduceBasis(r1, r2);
  const L = pixelLattice(a1, a2);
  return { ...L, peaks: out, indexed: total > 0 ? used / total : 0 };
}

/**
 * Refines a lattice from column positions (px) and their integer cell indices by least squares:
 * r = o + i·a1 + j·a2 (+ the basis offset, absorbed per sublattice by `offsets`). Returns a1, a2, the origin of each
 * group and the r.m.s. residual (px).
 */
export function refineLattice(x: ArrayLike<number>, y: ArrayLike<number>, i: ArrayLike<number>, j: ArrayLike<number>, group: ArrayLike<number>, groups: number): { a1: Vec2; a2: Vec2; origins: Vec2[]; rms_px: number } | undefined {
  // Unknowns per axis: a (along i), b (along j), o_g per group. Normal equations of size 2 + groups.
  const m = 2 + groups, n = x.length;
  if (n < 3 + groups) return undefined;
  const solveAxis = (v: ArrayLike<number>): number[] | undefined => {
    const A = new Float64Array(m * m), b = new Float64Array(m);
    for (let t = 0; t < n; t++) {
      const row = new Float64Array(m);
      row[0] = i[t]!; row[1] = j[t]!; row[2 + group[t]!] = 1;
      for (let r = 0; r < m; r++) {
        if (row[r] === 0) continue;
        b[r]! += row[r]! * v[t]!;
        for (let c = 0; c < m; c++) A[r * m + c]! += row[r]! * row[c]!;
      }
    }
    return solveSpd(A, b, m);
  };
  const sx = solveAxis(x), sy = solveAxis(y);
  if (!sx || !sy) return undefined;
  let ss = 0;
  for (let t = 0; t < n; t++) {
    const g = group[t]!;
    ss += (x[t]! - (sx[2 + g]! + i[t]! * sx[0]! + j[t]! * sx[1]!)) ** 2 + (y[t]! - (sy[2 + g]! + i[t]! * sy[0]! + j[t]! * sy[1]!)) ** 2;
  }
  return { a1: [sx[0]!, sy[0]!], a2: [sx[1]!, sy[1]!], origins: Array.from({ length: groups }, (_, g) => [sx[2 + g]!, sy[2 + g]!] as Vec2), rms_px: Math.sqrt(ss / n) };
}

/** Solves a small symmetric positive (semi)definite system by Gaussian elimination with partial pivoting. */
export function solveSpd(A: Float64Array, b: Float64Array, m: number): number[] | undefined {
  const M = Float64Array.from(A), v = Float64Array.from(b);
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(M[r * m + c]!) > Math.abs(M[p * m + c]!)) p = r;
    if (Math.abs(M[p * m + c]!) < 1e-12) return undefined;
    if (p !== c) {
      for (let k = 0; k < m; k++) [M[c * m + k], M[p * m + k]] = [M[p * m + k]!, M[c * m + k]!];
      [v[c], v[p]] = [v[p]!, v[c]!];
    }
    for (let r = c + 1; r < m; r++) {
      const f = M[r * m + c]! / M[c * m + c]!;
      if (f === 0) continue;
      for (let k = c; k < m; k++) M[r * m + k]! -= f * M[c * m + k]!;
      v[r]! -= f * v[c]!;
    }
  }
  const x = new Array<number>(m).fill(0);
  for (let r = m - 1; r >= 0; r--) {
    let s = v[r]!;
    for (let k = r + 1; k < m; k++) s -= M[r * m + k]! * x[k]!;
    x[r] = s / M[r * m + r]!;
  }
  return x;
}
