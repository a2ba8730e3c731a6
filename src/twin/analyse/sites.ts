/**
 * Column candidates: local maxima of the smoothed frame, the lattice refined on the bright ones, the basis (the
 * positions of the columns inside the cell) found by folding the maxima into one cell, and every basis site of every
 * cell in the field predicted from that lattice. A smooth displacement field measured on the maxima (scan distortion,
 * drift within the frame, strain) corrects the prediction, so that weak columns with no maximum of their own (Li,
 * oxygen) are still placed where the lattice puts them: lattice-guided candidates plus local maxima.
 */
import { gaussianBlur } from '../../multislice/index.js';
import { cross, dual, norm, pixelLattice, refineLattice, type PixelLattice, type Vec2 } from './lattice.js';

/** A local maximum of the smoothed frame. */
export interface Maximum { x: number; y: number; value: number; prominence: number }

/**
 * Local maxima of `s` that are the largest value within `radius_px` and stand `minProminence` above the lowest value
 * within `2·radius_px` (their local background). Sub-pixel positions by parabolic interpolation.
 */
export function localMaxima(s: Float32Array, W: number, H: number, radius_px: number, minProminence: number): Maximum[] {
  const out: Maximum[] = [];
  const r = Math.max(1, Math.round(radius_px)), r2 = r * r, R = 2 * r;
  for (let y = 1; y < H - 1; y++) for (let x = 1; x < W - 1; x++) {
    const v = s[y * W + x]!;
    // Quick 3×3 test first.
    if (v < s[y * W + x - 1]! || v < s[y * W + x + 1]! || v < s[(y - 1) * W + x]! || v <= s[(y + 1) * W + x]!) continue;
    let isMax = true, lo = v;
    for (let dy = -R; dy <= R && isMax; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= H) continue;
      for (let dx = -R; dx <= R; dx++) {
        const xx = x + dx;
        if (xx < 0 || xx >= W) continue;
        const u = s[yy * W + xx]!;
        const d2 = dx * dx + dy * dy;
        if (d2 <= r2 && d2 > 0 && (u > v || (u === v && (dy < 0 || (dy === 0 && dx < 0))))) { isMax = false; break; }
        if (u < lo) lo = u;
      }
    }
    if (!isMax || v - lo < minProminence) continue;
    const l = s[y * W + x - 1]!, rr = s[y * W + x + 1]!, u = s[(y - 1) * W + x]!, d = s[(y + 1) * W + x]!;
    const ddx = l - 2 * v + rr, ddy = u - 2 * v + d;
    const ox = ddx < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (l - rr)) / ddx)) : 0;
    const oy = ddy < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (u - d)) / ddy)) : 0;
    out.push({ x: x + ox, y: y + oy, value: v, prominence: v - lo });
  }
  return out;
}

/** Robust per-pixel noise σ of `img` from the median absolute deviation of its difference with its neighbour. */
export function pixelNoise(img: ArrayLike<number>, W: number, H: number): number {
  // (f(x) − f(x+1))/√2 removes the smooth signal to first order; the lattice's own curvature is small at ≥ 4 px/column.
  const step = Math.max(1, Math.floor((W * H) / 20000));
  const d = new Float64Array(Math.ceil((W * H) / step));
  let k = 0;
  for (let i = 0; i < W * H - 1; i += step) if ((i + 1) % W !== 0) d[k++] = Math.abs(img[i]! - img[i + 1]!) / Math.SQRT2;
  const s = d.subarray(0, k).sort();
  return 1.4826 * (k ? s[Math.floor(k / 2)]! : 0);
}

/** Fractional coordinates of (x, y) px in the lattice (origin o). */
export function fractional(L: PixelLattice, o: Vec2, x: number, y: number): [number, number] {
  const dx = x - o[0], dy = y - o[1];
  return [dx * L.g1[0] + dy * L.g1[1], dx * L.g2[0] + dy * L.g2[1]];
}

const wrap = (f: number): number => f - Math.round(f);

/**
 * Refines the lattice and its origin on a set of bright maxima assumed to sit on one sublattice (outliers that sit
 * elsewhere in the cell, > ¼ cell off, are left out): two rounds of index-and-least-squares.
 */
export function refineOnMaxima(L0: PixelLattice, maxima: readonly Maximum[]): { lattice: PixelLattice; origin: Vec2; rms_px: number } {
  let L = L0;
  // Origin: circular mean of the fractional coordinates.
  let o: Vec2 = [0, 0];
  const circ = (vals: number[]): number => Math.atan2(vals.reduce((s, v) => s + Math.sin(2 * Math.PI * v), 0), vals.reduce((s, v) => s + Math.cos(2 * Math.PI * v), 0)) / (2 * Math.PI);
  const f0 = maxima.map((m) => fractional(L, [0, 0], m.x, m.y));
  const c1 = circ(f0.map((f) => f[0])), c2 = circ(f0.map((f) => f[1]));
  o = [c1 * L.a1[0] + c2 * L.a2[0], c1 * L.a1[1] + c2 * L.a2[1]];
  let rms = NaN;
  for (let round = 0; round < 3; round++) {
    const xs: number[] = [], ys: number[] = [], is: number[] = [], js: number[] = [];
    for (const m of maxima) {
      const [u, v] = fractional(L, o, m.x, m.y);
      if (Math.abs(wrap(u)) > 0.25 || Math.abs(wrap(v)) > 0.25) continue;
      xs.push(m.x); ys.push(m.y); is.push(Math.round(u)); js.push(Math.round(v));
    }
    const r = refineLattice(xs, ys, is, js, new Uint8Array(xs.length), 1);
    if (!r || !(Math.abs(cross(r.a1, r.a2)) > 0.5 * Math.abs(cross(L.a1, L.a2)))) break;
    L = pixelLattice(r.a1, r.a2);
    o = r.origins[0]!;
    rms = r.rms_px;
  }
  return { lattice: L, origin: o, rms_px: rms };
}

/** A basis site found by folding: fractional position in the cell and the number of maxima near it. */
export interface FoldedSite { f: Vec2; count: number; meanValue: number }

/**
 * Folds maxima into one cell and finds the basis: clusters of fractional positions holding at least `minShare` of the
 * largest cluster (a basis site is present in most cells; noise maxima are spread over the cell).
 */
export function foldBasis(L: PixelLattice, o: Vec2, maxima: readonly Maximum[], minShare = 0.2): FoldedSite[] {
  const nb = 32;
  const hist = new Float64Array(nb * nb);
  const fr = maxima.map((m) => {
    const [u, v] = fractional(L, o, m.x, m.y);
    return [u - Math.floor(u), v - Math.floor(v)] as const;
  });
  for (const [u, v] of fr) hist[Math.min(nb - 1, Math.floor(v * nb)) * nb + Math.min(nb - 1, Math.floor(u * nb))]! += 1;
  // Periodic smoothing (σ ≈ 1 bin), then local maxima.
  const k = [0.05, 0.25, 0.4, 0.25, 0.05];
  const tmp = new Float64Array(nb * nb), sm = new Float64Array(nb * nb);
  for (let y = 0; y < nb; y++) for (let x = 0; x < nb; x++) {
    let s = 0;
    for (let d = -2; d <= 2; d++) s += k[d + 2]! * hist[y * nb + ((x + d + nb) % nb)]!;
    tmp[y * nb + x] = s;
  }
  for (let y = 0; y < nb; y++) for (let x = 0; x < nb; x++) {
    let s = 0;
    for (let d = -2; d <= 2; d++) s += k[d + 2]! * tmp[((y + d + nb) % nb) * nb + x]!;
    sm[y * nb + x] = s;
  }
  const peaks: Vec2[] = [];
  for (let y = 0; y < nb; y++) for (let x = 0; x < nb; x++) {
    const v = sm[y * nb + x]!;
    if (v <= 0) continue;
    let isMax = true;
    for (let dy = -2; dy <= 2 && isMax; dy++) for (let dx = -2; dx <= 2; dx++) {
      if (!dx && !dy) continue;
      const u = sm[((y + dy + nb) % nb) * nb + ((x + dx + nb) % nb)]!;
      if (u > v || (u === v && (dy < 0 || (dy === 0 && dx < 0)))) { isMax = false; break; }
    }
    if (isMax) peaks.push([(x + 0.5) / nb, (y + 0.5) / nb]);
  }
  // Assign maxima to the nearest peak (Cartesian distance in px, periodic) and take circular means.
  const members = peaks.map(() => ({ su: 0, cu: 0, sv: 0, cv: 0, n: 0, val: 0 }));
  const cartDist2 = (du: number, dv: number): number => {
    const a = wrap(du), b = wrap(dv);
    const x = a * L.a1[0] + b * L.a2[0], y = a * L.a1[1] + b * L.a2[1];
    return x * x + y * y;
  };
  fr.forEach(([u, v], t) => {
    let best = -1, bd = Infinity;
    peaks.forEach((p, i) => { const d = cartDist2(u - p[0], v - p[1]); if (d < bd) { bd = d; best = i; } });
    if (best < 0) return;
    const m = members[best]!;
    m.su += Math.sin(2 * Math.PI * u); m.cu += Math.cos(2 * Math.PI * u);
    m.sv += Math.sin(2 * Math.PI * v); m.cv += Math.cos(2 * Math.PI * v);
    m.n++; m.val += maxima[t]!.value;
  });
  const maxCount = Math.max(0, ...members.map((m) => m.n));
  const out: FoldedSite[] = [];
  members.forEach((m) => {
    if (m.n < Math.max(3, minShare * maxCount)) return;
    const fu = Math.atan2(m.su, m.cu) / (2 * Math.PI), fv = Math.atan2(m.sv, m.cv) / (2 * Math.PI);
    out.push({ f: [fu - Math.floor(fu), fv - Math.floor(fv)], count: m.n, meanValue: m.val / m.n });
  });
  return out.sort((a, b) => b.meanValue - a.meanValue);
}

/** A smooth displacement field (px) on a coarse grid, from scattered measurements. */
export interface DisplacementField { at(x: number, y: number): [number, number] }

/** Gaussian-weighted average of displacement samples on a grid of spacing `step_px`, evaluated bilinearly. */
export function displacementField(W: number, H: number, samples: readonly { x: number; y: number; dx: number; dy: number }[], step_px: number): DisplacementField {
  const nx = Math.max(2, Math.ceil(W / step_px) + 1), ny = Math.max(2, Math.ceil(H / step_px) + 1);
  const sx = new Float32Array(nx * ny), sy = new Float32Array(nx * ny), sw = new Float32Array(nx * ny);
  for (const s of samples) {
    const gx = Math.min(nx - 1, Math.max(0, Math.round(s.x / step_px))), gy = Math.min(ny - 1, Math.max(0, Math.round(s.y / step_px)));
    sx[gy * nx + gx]! += s.dx; sy[gy * nx + gx]! += s.dy; sw[gy * nx + gx]! += 1;
  }
  const bx = gaussianBlur(sx, nx, ny, 1, 1, false), by = gaussianBlur(sy, nx, ny, 1, 1, false), bw = gaussianBlur(sw, nx, ny, 1, 1, false);
  // Nodes without data within reach take the global mean.
  let mx = 0, my = 0, n = 0;
  for (const s of samples) { mx += s.dx; my += s.dy; n++; }
  mx = n ? mx / n : 0; my = n ? my / n : 0;
  const fx = new Float32Array(nx * ny), fy = new Float32Array(nx * ny);
  for (let i = 0; i < nx * ny; i++) {
    const w = bw[i]!;
    const a = Math.min(1, w / 0.2);
    fx[i] = w > 1e-6 ? a * (bx[i]! / w) + (1 - a) * mx : mx;
    fy[i] = w > 1e-6 ? a * (by[i]! / w) + (1 - a) * my : my;
  }
  return {
    at(x, y) {
      const gx = Math.min(nx - 1.000001, Math.max(0, x / step_px)), gy = Math.min(ny - 1.000001, Math.max(0, y / step_px));
      const ix = Math.floor(gx), iy = Math.floor(gy), tx = gx - ix, ty = gy - iy;
      const i00 = iy * nx + ix, i01 = i00 + 1, i10 = i00 + nx, i11 = i10 + 1;
      const lerp = (f: Float32Array): number => (f[i00]! * (1 - tx) + f[i01]! * tx) * (1 - ty) + (f[i10]! * (1 - tx) + f[i11]! * tx) * ty;
      return [lerp(fx), lerp(fy)];
    },
  };
}

/** A predicted site: position (px), the basis index, cell indices, and whether it was snapped onto a maximum. */
export interface Site { x: number; y: number; basis: number; i: number; j: number; snapped: boolean }

/**
 * Every basis site of every cell whose position (with the displacement field) lies inside the frame, snapped onto the
 * nearest unclaimed maximum within `snap_px`.
 */
export function predictSites(L: PixelLattice, o: Vec2, basis: readonly Vec2[], W: number, H: number, field: DisplacementField | undefined, maxima: readonly Maximum[], snap_px: number): Site[] {
  // Cell index range covering the frame: fractional coordinates of the four corners.
  const corners = [[0, 0], [W - 1, 0], [0, H - 1], [W - 1, H - 1]].map(([x, y]) => fractional(L, o, x!, y!));
  const i0 = Math.floor(Math.min(...corners.map((c) => c[0]))) - 1, i1 = Math.ceil(Math.max(...corners.map((c) => c[0]))) + 1;
  const j0 = Math.floor(Math.min(...corners.map((c) => c[1]))) - 1, j1 = Math.ceil(Math.max(...corners.map((c) => c[1]))) + 1;
  const sites: Site[] = [];
  for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) basis.forEach((b, k) => {
    let x = o[0] + (i + b[0]) * L.a1[0] + (j + b[1]) * L.a2[0], y = o[1] + (i + b[0]) * L.a1[1] + (j + b[1]) * L.a2[1];
    if (field) { const d = field.at(x, y); x += d[0]; y += d[1]; }
    if (x < -0.5 || y < -0.5 || x > W - 0.5 || y > H - 0.5) return;
    sites.push({ x, y, basis: k, i, j, snapped: false });
  });
  // Snap: bucket the maxima on a grid of snap_px cells, each maximum to its nearest site (closest pairs first).
  const cell = Math.max(1, snap_px);
  const gw = Math.ceil(W / cell) + 1;
  const buckets = new Map<number, number[]>();
  sites.forEach((s, t) => {
    const key = Math.floor((s.y + 0.5) / cell) * gw + Math.floor((s.x + 0.5) / cell);
    const b = buckets.get(key);
    if (b) b.push(t); else buckets.set(key, [t]);
  });
  const pairs: { d: number; s: number; m: number }[] = [];
  maxima.forEach((m, mi) => {
    const cx = Math.floor((m.x + 0.5) / cell), cy = Math.floor((m.y + 0.5) / cell);
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
      for (const t of buckets.get((cy + dy) * gw + cx + dx) ?? []) {
        const d = Math.hypot(sites[t]!.x - m.x, sites[t]!.y - m.y);
        if (d <= snap_px) pairs.push({ d, s: t, m: mi });
      }
    }
  });
  pairs.sort((a, b) => a.d - b.d);
  const usedS = new Uint8Array(sites.length), usedM = new Uint8Array(maxima.length);
  for (const p of pairs) {
    if (usedS[p.s] || usedM[p.m]) continue;
    usedS[p.s] = 1; usedM[p.m] = 1;
    const s = sites[p.s]!;
    s.x = maxima[p.m]!.x; s.y = maxima[p.m]!.y; s.snapped = true;
  }
  return sites;
}

/** Smallest distance between two distinct basis sites (periodic), px; the lattice's shortest vector when one site. */
export function minSiteSeparation(L: PixelLattice, basis: readonly Vec2[]): number {
  let best = Math.min(norm(L.a1), norm(L.a2));
  for (let a = 0; a < basis.length; a++) for (let b = 0; b < basis.length; b++) {
    if (a === b) continue;
    for (let di = -1; di <= 1; di++) for (let dj = -1; dj <= 1; dj++) {
      const u = basis[b]![0] - basis[a]![0] + di, v = basis[b]![1] - basis[a]![1] + dj;
      const d = Math.hypot(u * L.a1[0] + v * L.a2[0], u * L.a1[1] + v * L.a2[1]);
      if (d > 1e-9) best = Math.min(best, d);
    }
  }
  return best;
}

export { dual };
