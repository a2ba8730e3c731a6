/**
 * Radial kernels of the fast incoherent renderer (splat.ts). In the incoherent model a column of cross-section σ and
 * Gaussian object width w adds σ·K_s(r − r_c) to the image, with K_s = |P|² ⊗ G_s the probe intensity (∫ = 1, 1/Å²)
 * blurred by a Gaussian of standard deviation s = √(w² + source²) (object width and partial spatial coherence
 * combine exactly). For round optics (C10, C30, C50 only) K_s is radially symmetric.
 *
 * How it is computed, once per optics: the probe intensity on a 512² grid at 0.2 Å (102.4 Å box: the r⁻³ Airy halo's
 * periodic images add < 2 % of the tail at 20 Å) and its spectrum Î(k) (band-limited to 2α/λ, so 0.2 Å sampling is
 * exact). A radial profile is one line through the centre, K_s(x, 0) = (1/A) Σ_kx cos(2πkx·x) Σ_ky Î(k) e^{−2π²s²k²}
 * (the projection–slice theorem), evaluated on any r grid at O(bins) cost per point.
 *
 * Split for speed (the image is the sum of both parts):
 *  - far part K_far = S(r)·K_F(r): K_F the kernel blurred to FAR_BLUR_A (fringe-free), S a cosine ramp from 0 at
 *    FAR_RAMP_A[0] to 1 at FAR_RAMP_A[1]. Smooth, so it is convolved on a coarse grid by FFT (FAR_SAMPLING_A) out to
 *    FAR_RADIUS_A; the probe's signal beyond FAR_RADIUS_A (`beyond`, ~0.4 % at 15 mrad) is added as a uniform level.
 *  - near part K_s − K_far, splatted exactly at every output pixel within NEAR_RADIUS_A. Beyond NEAR_RADIUS_A it is
 *    K_s − K_F, the Airy fringes that the blur s has not already damped (< 0.1 % of the signal for s ≥ 0.25 Å).
 * Tables are cached per optics (an LRU of kernels per quantised s), so the work per sample is a table lookup.
 *
 * Disk cache (the calibration cache directory, `setCalibrationCacheDir`): per optics, the probe's band spectrum and
 * the far part's radial profile (`kernel-<hash>.bin`, ~0.3 MB at 300 kV), and the near tables of a range of blurs
 * (`kernel-<hash>-near.bin`) written by `warmProbeKernels`, so that workers and later runs read in
 * milliseconds what costs ~0.1 s of CPU per optics to build. Stored values are the computed ones bit for bit (float32
 * spectrum from the float32 FFT, float64 profiles and tables), so cached and fresh kernels give the same bytes.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, writeFileAtomicSync } from '../../core/index.js';
import { createFft2d, nextFastFftSize } from '../../core/fft/index.js';
import { calibrationCacheDir } from './calibrate.js';
import { type Grid, fftFrequencies_perA } from '../grid.js';
import { wavelength_A } from '../optics.js';
import { type Aberrations, buildProbe, resolveAberrations } from '../probe.js';

/** Optics a kernel depends on. */
export interface KernelOptics {
  readonly energy_eV: number;
  readonly semiangle_mrad: number;
  /** Round aberrations only (C10/defocus, C30/Cs, C50). */
  readonly aberrations?: Aberrations;
}

/** Side (points) and sampling (Å) of the grid the probe spectrum is computed on. */
export const KERNEL_GRID_N = 512;
export const KERNEL_SAMPLING_A = 0.2;
/** Radius of the exact (per-pixel) part, Å. */
export const NEAR_RADIUS_A = 3.5;
/** Cosine ramp of the far part from 0 to 1, Å. */
export const FAR_RAMP_A: readonly [number, number] = [2.0, 3.2];
/** Blur of the far part, Å (damps the Airy fringes so a coarse grid represents it). */
export const FAR_BLUR_A = 0.7;
/** Reach of the far part, Å; the probe's signal beyond it is a uniform level. */
export const FAR_RADIUS_A = 20;
/** Coarse grid spacing of the far part, Å. */
export const FAR_SAMPLING_A = 0.75;
/** Quantisation of the blur s of the near tables, Å. */
export const SIGMA_STEP_A = 0.005;
/** Step of the near tables in u = r², Å² (K is linear in r² near the centre, so linear interpolation in u is exact there). */
export const U_STEP_A2 = 0.01;
/** Points of the near tables: u = 0 … NEAR_RADIUS_A². */
export const NEAR_TABLE_N = Math.ceil((NEAR_RADIUS_A * NEAR_RADIUS_A) / U_STEP_A2) + 2;

/** Near-part table of one blur s: K_s(r) − K_far(r) at u = r² = m·U_STEP_A2, 1/Å². */
export interface NearKernel {
  readonly sigma_A: number;
  readonly table: Float64Array;
  /**
   * Smallest radius (Å, ≤ NEAR_RADIUS_A, ≥ NEAR_MIN_RADIUS_A) beyond which |table| stays below `ratio`·table[0]
   * (ratio buckets of a factor 2^¼).
   */
  radiusFor(ratio: number): number;
}

/** Truncation level of dim columns' near part, as a fraction of the brightest column's peak (splat.ts). */
export const NEAR_CUTOFF = 2e-4;
/** Smallest near radius, Å. */
export const NEAR_MIN_RADIUS_A = 1.5;

/** The far part on a coarse periodic grid: its spectrum (real, FFT layout) for a given grid size. */
export interface FarKernel {
  readonly nx: number;
  readonly ny: number;
  readonly spacing_A: number;
  /** FFT of K_far sampled on the grid (1/Å²): IFFT(FFT(deposited σ, Å²) · spectrum) is the far image. */
  readonly spectrum: Float32Array;
}

/** Kernels of one optics setting. */
export interface ProbeKernels {
  readonly key: string;
  /** Near table for blur s (quantised to SIGMA_STEP_A; cached). */
  near(sigma_A: number): NearKernel;
  /** Far kernel for a coarse grid of nx × ny at FAR_SAMPLING_A (cached). */
  far(nx: number, ny: number): FarKernel;
  /**
   * Writes the near tables of blurs q0·SIGMA_STEP_A … q1·SIGMA_STEP_A (with those already stored) to the disk cache,
   * when one is set and some are missing; returns whether it wrote.
   */
  storeNear(q0: number, q1: number): boolean;
  /** Fraction of the probe's signal beyond FAR_RADIUS_A (added as a uniform level). */
  readonly beyond: number;
  /** K_s(r) for any s and r (Å): the exact radial kernel (tests, diagnostics). */
  radial(sigma_A: number, r_A: ArrayLike<number>): Float64Array;
}

/** True for optics the radial kernels describe: no non-round aberrations (C12, C21, C23, C32, …). */
export function isRoundOptics(ab: Aberrations | undefined): boolean {
  return Object.entries(resolveAberrations(ab)).every(([k, v]) => v === 0 || /^(C\d0)$/.test(k));
}

/** The cosine ramp S(r) of the far part. */
export function farRamp(r_A: number): number {
  const [a, b] = FAR_RAMP_A;
  if (r_A <= a) return 0;
  if (r_A >= b) return 1;
  return 0.5 - 0.5 * Math.cos((Math.PI * (r_A - a)) / (b - a));
}

const cache = new Map<string, ProbeKernels>();

/** The cache key of an optics setting. */
function probeKernelsKey(optics: KernelOptics): string {
  const ab = resolveAberrations(optics.aberrations);
  return JSON.stringify([optics.energy_eV, optics.semiangle_mrad, Object.entries(ab).filter(([, v]) => v !== 0).sort()]);
}

/**
 * Kernels of `optics` (cached per optics; throws InputError for non-round aberrations). A hit costs ~2–3 µs, its key
 * included (measured warm, 2-core VM), so callers keep no cache of their own.
 */
export function probeKernels(optics: KernelOptics): ProbeKernels {
  const key = probeKernelsKey(optics);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  if (!isRoundOptics(optics.aberrations)) {
    throw new InputError('aberrations', optics.aberrations, 'round aberrations only (defocus/C10, Cs/C30, C50) in the fast incoherent renderer');
  }
  const k = buildKernels(key, optics);
  if (cache.size >= 96) cache.delete(cache.keys().next().value!);
  cache.set(key, k);
  return k;
}

/**
 * Builds the kernels of `optics` and their near tables for blurs s in [sigma_A[0], sigma_A[1]] into the disk cache
 * (the calibration cache directory), so that other threads and runs load them instead of computing them. Returns
 * whether anything was written. Without a disk cache it only warms this thread's memory cache.
 */
export function warmProbeKernels(optics: KernelOptics, sigma_A: readonly [number, number]): boolean {
  const dir = calibrationCacheDir();
  const before = dir ? existsSync(join(dir, `${kernelFileStem(probeKernelsKey(optics))}.bin`)) : true;
  const k = probeKernels(optics);
  const q0 = Math.max(0, Math.round(sigma_A[0] / SIGMA_STEP_A)), q1 = Math.max(q0, Math.round(sigma_A[1] / SIGMA_STEP_A));
  const wrote = k.storeNear(q0, q1);
  return wrote || !before;
}

/**
 * True when the disk cache holds the kernels of `optics` and the near tables of every blur in [sigma_A[0], sigma_A[1]]
 * (reads the near file's header only).
 */
export function probeKernelsCached(optics: KernelOptics, sigma_A: readonly [number, number]): boolean {
  const dir = calibrationCacheDir();
  if (!dir) return false;
  const key = probeKernelsKey(optics), stem = kernelFileStem(key);
  if (!existsSync(join(dir, `${stem}.bin`)) || !existsSync(join(dir, `${stem}-near.bin`))) return false;
  let fd: number | undefined;
  try {
    fd = openSync(join(dir, `${stem}-near.bin`), 'r');
    const b = Buffer.alloc(4);
    readSync(fd, b, 0, 4, 0);
    const len = b.readUInt32LE(0);
    if (len > 1 << 20) return false;
    const j = Buffer.alloc(len);
    readSync(fd, j, 0, len, 4);
    const h = JSON.parse(j.toString('utf8')) as { format?: string; key?: string; q?: number[] };
    if (h.format !== KERNEL_CACHE_FORMAT || h.key !== key || !Array.isArray(h.q)) return false;
    const have = new Set(h.q);
    const q0 = Math.max(0, Math.round(sigma_A[0] / SIGMA_STEP_A)), q1 = Math.max(q0, Math.round(sigma_A[1] / SIGMA_STEP_A));
    for (let q = q0; q <= q1; q++) if (!have.has(q)) return false;
    return true;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Clears the kernel cache (tests, benchmarks). */
export function clearKernelCache(): void {
  cache.clear();
}

/** Format tag of the kernel cache files (bump when the kernels' numbers change). */
export const KERNEL_CACHE_FORMAT = 'cathode-twin incoherent probe kernels v2';

/** Hash naming a kernel's cache files: its optics key and every constant that shapes the numbers. */
function kernelFileStem(key: string): string {
  const consts = [KERNEL_GRID_N, KERNEL_SAMPLING_A, NEAR_RADIUS_A, FAR_RAMP_A, FAR_BLUR_A, FAR_RADIUS_A, FAR_SAMPLING_A, SIGMA_STEP_A, U_STEP_A2, KERNEL_DR_A];
  return `kernel-${createHash('sha256').update(`${KERNEL_CACHE_FORMAT}\n${key}\n${JSON.stringify(consts)}`).digest('hex').slice(0, 40)}`;
}

/** A cache file: u32 header length, JSON header, zero padding to 8 bytes, then the arrays' bytes back to back. */
function writeKernelFile(path: string, header: object, arrays: readonly (Float32Array | Float64Array)[]): void {
  const json = Buffer.from(JSON.stringify(header));
  const start = Math.ceil((4 + json.length) / 8) * 8;
  const bytes = new Uint8Array(start + arrays.reduce((a, x) => a + x.byteLength, 0));
  new DataView(bytes.buffer).setUint32(0, json.length, true);
  bytes.set(json, 4);
  let o = start;
  for (const a of arrays) { bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), o); o += a.byteLength; }
  writeFileAtomicSync(path, bytes);
}

/** Reads a cache file written by writeKernelFile: its header and its data bytes (an aligned copy), or undefined. */
function readKernelFile(path: string): { header: Record<string, unknown>; data: ArrayBuffer } | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const b = readFileSync(path);
    const len = b.readUInt32LE(0);
    const header = JSON.parse(b.subarray(4, 4 + len).toString('utf8')) as Record<string, unknown>;
    const start = Math.ceil((4 + len) / 8) * 8;
    const data = new ArrayBuffer(b.length - start);
    new Uint8Array(data).set(b.subarray(start));
    return { header, data };
  } catch {
    return undefined;
  }
}

/** Radial step of the kernels' uniform profiles, Å. */
const KERNEL_DR_A = 0.002;

function buildKernels(key: string, optics: KernelOptics): ProbeKernels {
  const N = KERNEL_GRID_N, h = KERNEL_SAMPLING_A, L = N * h;
  const lambda = wavelength_A(optics.energy_eV);
  const kf = fftFrequencies_perA(N, L);
  const band = (2 * optics.semiangle_mrad * 1e-3) / lambda;
  const nb = Math.min(N / 2 - 1, Math.ceil(band * L) + 1);
  const M = 2 * nb + 1; // indices −nb…nb
  const kk = new Float64Array(M);
  for (let a = -nb; a <= nb; a++) kk[a + nb] = kf[(a + N) % N]!;
  const DR = KERNEL_DR_A;
  const nFar = Math.ceil((FAR_RADIUS_A + FAR_SAMPLING_A) / DR) + 2;
  const dir = calibrationCacheDir();
  const stem = kernelFileStem(key);
  const stored = dir ? readKernelFile(join(dir, `${stem}.bin`)) : undefined;
  const fresh = !(stored && stored.header.format === KERNEL_CACHE_FORMAT && stored.header.key === key && stored.header.M === M && stored.header.nFar === nFar
    && stored.data.byteLength === 4 * M * M + 8 * nFar);
  // Float32 values (the FFT's), read as float64 in the sums exactly as a float64 copy would be.
  let spec: Float32Array;
  let kFcached: Float64Array | undefined;
  if (!fresh) {
    kFcached = new Float64Array(stored!.data, 0, nFar);
    spec = new Float32Array(stored!.data, 8 * nFar, M * M);
  } else {
    const grid: Grid = { nx: N, ny: N, extentX_A: L, extentY_A: L, samplingX_A: h, samplingY_A: h };
    const psi = buildProbe(grid, { wavelength_A: lambda, semiangle_mrad: optics.semiangle_mrad, aberrations: optics.aberrations ?? {} }, 0, 0);
    const re = new Float32Array(N * N), im = new Float32Array(N * N);
    for (let i = 0; i < re.length; i++) re[i] = psi.re[i]! ** 2 + psi.im[i]! ** 2;
    createFft2d(N, N).forward(re, im);
    // Î(k) is real and even (the probe sits at the origin and |P|² is symmetric); keep the band |k| ≤ 2α/λ (+1 bin).
    spec = new Float32Array(M * M);
    for (let b = -nb; b <= nb; b++) for (let a = -nb; a <= nb; a++) spec[(b + nb) * M + (a + nb)] = re[((b + N) % N) * N + ((a + N) % N)]!;
  }
  const area = L * L;

  /** g(kx) for kx ≥ 0 (indices 0…nb): Σ_ky Î e^{−2π²s²k²}, already divided by the area and doubled for kx > 0. */
  const lineSpectrum = (s: number): Float64Array => {
    const f = -2 * Math.PI * Math.PI * s * s;
    const ey = new Float64Array(M);
    for (let b = 0; b < M; b++) ey[b] = Math.exp(f * kk[b]! * kk[b]!);
    const g = new Float64Array(nb + 1);
    for (let a = 0; a <= nb; a++) {
      let sum = 0;
      for (let b = 0; b < M; b++) sum += spec[b * M + (a + nb)]! * ey[b]!;
      g[a] = ((a === 0 ? 1 : 2) * sum * Math.exp(f * kk[a + nb]! * kk[a + nb]!)) / area;
    }
    return g;
  };
  /** K_s on the uniform grid r_m = m·dr, m < n (Chebyshev recurrence for cos(2πk·m·dr), exact to ~1e-13). */
  const uniform = (s: number, dr: number, n: number): Float64Array => {
    const g = lineSpectrum(s);
    const out = new Float64Array(n);
    for (let a = 0; a <= nb; a++) {
      const ga = g[a]!;
      if (ga === 0) continue;
      const c1 = Math.cos(2 * Math.PI * kk[a + nb]! * dr);
      let cm1 = c1, cm = 1; // cos(−θ), cos(0)
      for (let m = 0; m < n; m++) {
        out[m]! += ga * cm;
        const next = 2 * c1 * cm - cm1;
        cm1 = cm;
        cm = next;
      }
    }
    return out;
  };
  const radial = (s: number, r: ArrayLike<number>): Float64Array => {
    const g = lineSpectrum(s);
    const out = new Float64Array(r.length);
    for (let m = 0; m < r.length; m++) {
      let sum = 0;
      for (let a = 0; a <= nb; a++) sum += g[a]! * Math.cos(2 * Math.PI * kk[a + nb]! * r[m]!);
      out[m] = sum;
    }
    return out;
  };

  // The far kernel K_far(r) = S(r)·K_F(r) on a fine uniform r grid to FAR_RADIUS_A (+ one coarse cell).
  const kF = kFcached ?? uniform(FAR_BLUR_A, DR, nFar);
  if (fresh && dir) {
    writeKernelFile(join(dir, `${stem}.bin`), { format: KERNEL_CACHE_FORMAT, key, M, nFar }, [kF, spec]);
  }
  const kFar = new Float64Array(nFar);
  for (let m = 0; m < nFar; m++) kFar[m] = m * DR <= FAR_RADIUS_A ? farRamp(m * DR) * kF[m]! : 0;
  // Signal of the probe beyond FAR_RADIUS_A: 1 − ∫₀^R 2πr K_F dr (trapezoid; K_F integrates to 1 over the box).
  let inside = 0;
  const mR = Math.round(FAR_RADIUS_A / DR);
  for (let m = 1; m <= mR; m++) inside += 0.5 * DR * (2 * Math.PI) * ((m - 1) * DR * kF[m - 1]! + m * DR * kF[m]!);
  const beyond = Math.max(0, 1 - inside);
  const lerpFar = (r: number): number => {
    const x = r / DR, i = Math.floor(x);
    if (i >= nFar - 1) return 0;
    const t = x - i;
    return kFar[i]! * (1 - t) + kFar[i + 1]! * t;
  };

  const nears = new Map<number, NearKernel>();
  const fars = new Map<string, FarKernel>();
  const nUniform = Math.ceil(NEAR_RADIUS_A / DR) + 3;
  const NB = 80;
  /** The near kernel of a table: radius[b] is where |table| stays below 2^(−b/4)·table[0] (one pass from the end). */
  const nearKernel = (q: number, table: Float64Array): NearKernel => {
    const radius = new Float64Array(NB).fill(NEAR_MIN_RADIUS_A);
    let m = NEAR_TABLE_N - 1;
    for (let b = NB - 1; b >= 0; b--) {
      // The limit grows as b falls, so the last index at or above it only moves towards the centre.
      const lim = 2 ** (-b / 4) * table[0]!;
      while (m >= 0 && !(Math.abs(table[m]!) >= lim)) m--;
      if (m < 0) break;
      radius[b] = Math.min(NEAR_RADIUS_A, Math.max(NEAR_MIN_RADIUS_A, Math.sqrt((m + 1) * U_STEP_A2)));
    }
    return {
      sigma_A: q * SIGMA_STEP_A, table,
      radiusFor: (ratio: number) => (ratio >= 1 ? NEAR_MIN_RADIUS_A : radius[Math.min(NB - 1, Math.ceil(-4 * Math.log2(ratio)))]!),
    };
  };
  const nearTable = (q: number): Float64Array => {
    const ks = uniform(q * SIGMA_STEP_A, DR, nUniform);
    const table = new Float64Array(NEAR_TABLE_N);
    for (let m = 0; m < NEAR_TABLE_N; m++) {
      const r = Math.sqrt(m * U_STEP_A2);
      const x = r / DR, i = Math.min(nUniform - 2, Math.floor(x)), f = x - i;
      const k = ks[i]! * (1 - f) + ks[i + 1]! * f;
      table[m] = r <= NEAR_RADIUS_A ? k - lerpFar(r) : 0;
    }
    return table;
  };
  const nearPath = dir ? join(dir, `${stem}-near.bin`) : null;
  /** Tables of the near file (warmProbeKernels), q → table, read once. */
  let storedTables: Map<number, Float64Array> | null = null;
  const storedNear = (): Map<number, Float64Array> => {
    if (storedTables) return storedTables;
    storedTables = new Map();
    const f = nearPath ? readKernelFile(nearPath) : undefined;
    const h = f?.header;
    if (f && h && h.format === KERNEL_CACHE_FORMAT && h.key === key && h.n === NEAR_TABLE_N && Array.isArray(h.q)) {
      const qs = h.q as number[];
      if (f.data.byteLength === 8 * NEAR_TABLE_N * qs.length) qs.forEach((q, i) => storedTables!.set(q, new Float64Array(f.data, 8 * NEAR_TABLE_N * i, NEAR_TABLE_N)));
    }
    return storedTables;
  };
  return {
    key,
    beyond,
    radial,
    near(sigma_A: number): NearKernel {
      const q = Math.max(0, Math.round(sigma_A / SIGMA_STEP_A));
      let t = nears.get(q);
      if (t) return t;
      t = nearKernel(q, storedNear().get(q) ?? nearTable(q));
      if (nears.size >= 512) nears.delete(nears.keys().next().value!);
      nears.set(q, t);
      return t;
    },
    storeNear(q0: number, q1: number): boolean {
      if (!nearPath) return false;
      const have = storedNear();
      let missing = false;
      for (let q = q0; q <= q1 && !missing; q++) missing = !have.has(q);
      if (!missing) return false;
      for (let q = q0; q <= q1; q++) if (!have.has(q)) have.set(q, nears.get(q)?.table ?? nearTable(q));
      const qs = [...have.keys()].sort((x, y) => x - y);
      writeKernelFile(nearPath, { format: KERNEL_CACHE_FORMAT, key, n: NEAR_TABLE_N, q: qs }, qs.map((q) => have.get(q)!));
      return true;
    },
    far(nx: number, ny: number): FarKernel {
      const k = `${nx}x${ny}`;
      let f = fars.get(k);
      if (f) return f;
      const hh = FAR_SAMPLING_A;
      const fre = new Float32Array(nx * ny), fim = new Float32Array(nx * ny);
      // Even in x and y: ((nx − x) − nx)·h = −x·h exactly, so each value is computed once and mirrored.
      for (let y = 0; y <= ny >> 1; y++) {
        const dy = y * hh, ym = (ny - y) % ny;
        for (let x = 0; x <= nx >> 1; x++) {
          const v = lerpFar(Math.hypot(x * hh, dy)), xm = (nx - x) % nx;
          fre[y * nx + x] = v; fre[y * nx + xm] = v; fre[ym * nx + x] = v; fre[ym * nx + xm] = v;
        }
      }
      createFft2d(nx, ny).forward(fre, fim);
      f = { nx, ny, spacing_A: hh, spectrum: fre };
      if (fars.size >= 16) fars.delete(fars.keys().next().value!);
      fars.set(k, f);
      return f;
    },
  };
}

/** Coarse-grid side (points) for an extent (Å) at FAR_SAMPLING_A: a fast FFT size. */
export function farGridSize(extent_A: number): number {
  return nextFastFftSize(Math.ceil(extent_A / FAR_SAMPLING_A));
}
