/**
 * One labelled sample, written into caller-owned arrays (a bundle's slots): the view (rotation about the beam, crop
 * centre, pixel size) of a frame source → the columns in and around the field with their calibrated cross-sections
 * interpolated to the sample's defocus → the scan (affine distortion: x/y scale error and shear; per line: linear
 * drift, random-walk drift, line-synchronous hum, line jitter; frames registered rigidly and summed) → the fast
 * incoherent renderer (src/multislice/incoherent SplatRenderer, source size folded into each column's kernel) →
 * detector noise → labels at the columns' positions in the acquired image.
 *
 * Scan model: pixel (i, j) of frame f records the specimen at origin + i·stepI + j·stepJ + offset_f(j); offset_f(j)
 * = v·(f + j/H) + walk(fH + j) + hum·sin(2π(fH + j)/P + φ)·x̂ + jitter_fj·x̂, then the frame's mean offset is removed
 * and frame 0's added (rigid registration to the first frame, assumed exact). Labels take the frame average of
 * the smooth part (everything but the jitter). Drift within a line (v/(H·W) per pixel) is neglected.
 */
import { Rng, Stream } from '../../core/index.js';
import { type Atoms, SPECIES_Z } from '../../lattice/index.js';
import {
  type NearKernel, type PrismOptions, type ScanGeometry, type SplatColumns, RENDER_MARGIN_A, SIGMA_STEP_A, SplatRenderer, gaussianBlur, probeKernels, simulatePrismSignals,
} from '../../multislice/index.js';
import { type LabelColumns, LabelScratch, type LabelTargets, columnRows, rasterizeLabels } from './labels.js';
import { applyDetectorNoise } from './noise.js';
import { kernelOptics } from './calibration.js';
import type { DatasetConfig, SampleParams } from './params.js';
import type { DatasetCalibrations, FrameSource } from './source.js';
import type { ColumnGeometry } from './specimen.js';

/** Where a sample goes (views into a bundle, or standalone arrays). */
export interface SampleTargets extends LabelTargets {
  /** Acquired image, fraction of the incident beam (W·H). */
  readonly image: Float32Array;
  /** Noise-free image (same scan), fraction of the beam. */
  readonly ideal: Float32Array;
  /** Column table rows (COLUMN_FIELD_COUNT floats each) are written from row `row0`. */
  readonly columns: Float32Array;
  readonly row0: number;
}

/** What a generated sample reports (for the manifest). */
export interface SampleReport {
  readonly columns: number;
  readonly electronsPerPixel: number;
  readonly renderedColumns: number;
  /** Frame average of the label offset at the first and last line, Å (drift + hum as the labels see them). */
  readonly labelOffset_A: readonly [number, number, number, number];
}

/** Structure around the field in a PRISM sample's periodic box, Å (the probe's near part and channelling). */
export const PRISM_MARGIN_A = 6;

/** A prepared sample (scan and columns set up in the workspace). */
interface Prepared {
  readonly p: SampleParams;
  readonly rng: Rng;
  readonly W: number;
  readonly H: number;
  readonly F: number;
  readonly Fy: number;
  readonly frames: number;
  readonly kernels: ReturnType<typeof probeKernels>;
}

/** A typed array of length m holding `a` at its start (the growth step of the buffers below). */
function grown<T extends Float64Array | Uint16Array | Int32Array>(a: T, m: number): T {
  const b = new (a.constructor as new (n: number) => T)(m);
  b.set(a);
  return b;
}

/** Growable struct-of-arrays buffers. */
class ColumnBuffers implements SplatColumns {
  n = 0;
  x_A = new Float64Array(1024);
  y_A = new Float64Array(1024);
  sigma_A2 = new Float64Array(1024);
  kernel = new Uint16Array(1024);
  ref = new Int32Array(1024);
  grow(need: number): void {
    if (need <= this.x_A.length) return;
    const m = Math.max(need, 2 * this.x_A.length);
    this.x_A = grown(this.x_A, m); this.y_A = grown(this.y_A, m); this.sigma_A2 = grown(this.sigma_A2, m);
    this.kernel = grown(this.kernel, m); this.ref = grown(this.ref, m);
  }
}

class LabelBuffers implements LabelColumns {
  n = 0;
  ref = new Int32Array(1024);
  i_px = new Float64Array(1024);
  j_px = new Float64Array(1024);
  x_A = new Float64Array(1024);
  y_A = new Float64Array(1024);
  grow(need: number): void {
    if (need <= this.ref.length) return;
    const m = Math.max(need, 2 * this.ref.length);
    this.ref = grown(this.ref, m);
    this.i_px = grown(this.i_px, m); this.j_px = grown(this.j_px, m); this.x_A = grown(this.x_A, m); this.y_A = grown(this.y_A, m);
  }
}

/** Bounding box of a lattice's column positions in its cell, Å: [x min, x max, y min, y max] (cached per geometry). */
const extents = new WeakMap<ColumnGeometry, readonly [number, number, number, number]>();
function extentOf(g: ColumnGeometry): readonly [number, number, number, number] {
  let e = extents.get(g);
  if (!e) {
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let k = 0; k < g.n; k++) { x0 = Math.min(x0, g.x_A[k]!); x1 = Math.max(x1, g.x_A[k]!); y0 = Math.min(y0, g.y_A[k]!); y1 = Math.max(y1, g.y_A[k]!); }
    e = [x0, x1, y0, y1];
    extents.set(g, e);
  }
  return e;
}

/** Work buffers of one thread: after the first sample of a size nothing is allocated per sample. */
export class SampleWorkspace {
  readonly renderer = new SplatRenderer();
  readonly labelScratch = new LabelScratch();
  readonly cols = new ColumnBuffers();
  readonly labels = new LabelBuffers();
  private frameBuf = new Float64Array(0);
  private offRaw = new Float64Array(0);
  private offSmooth = new Float64Array(0);
  private offLabel = new Float64Array(0);
  private frameOffsets = new Float64Array(0);
  /** Near-kernel index by quantised blur (−1: unused this sample), the keys set this sample, index by frame column. */
  private nearIndex = new Int32Array(1024).fill(-1);
  private readonly nearKeys: number[] = [];
  private kernelK = new Int32Array(0);
  /** The frame columns that render or carry labels at the sample's defocus (selectColumns). */
  private keepK = new Int32Array(0);
  /** The kept columns' cell positions and σ, in keep order (read in sequence for each periodic image). */
  private keepX = new Float64Array(0);
  private keepY = new Float64Array(0);
  private keepSig = new Float64Array(0);
  private readonly nearList: NearKernel[] = [];
  private readonly scan: { width: number; height: number; origin_A: [number, number]; stepI_A: [number, number]; stepJ_A: [number, number]; rowOffset_A: Float64Array } = {
    width: 0, height: 0, origin_A: [0, 0], stepI_A: [0, 0], stepJ_A: [0, 0], rowOffset_A: new Float64Array(0),
  };

  private ensure(W: number, H: number, frames: number): void {
    if (this.frameBuf.length < W * H) this.frameBuf = new Float64Array(W * H);
    if (this.frameOffsets.length < 2 * H * frames) this.frameOffsets = new Float64Array(2 * H * frames);
    if (this.offRaw.length < 2 * H) {
      this.offRaw = new Float64Array(2 * H);
      this.offSmooth = new Float64Array(2 * H);
      this.offLabel = new Float64Array(2 * H);
      this.scan.rowOffset_A = new Float64Array(2 * H);
    }
  }

  /**
   * Generates sample `p` from `src` into `t` with the fast incoherent renderer; returns its report. Deterministic in
   * (p, src, config): the noise draws from Rng.stream(p.noiseSeed, Stream.DATASET_NOISE).
   */
  generate(p: SampleParams, src: FrameSource, cal: DatasetCalibrations, c: DatasetConfig, t: SampleTargets): SampleReport {
    const s = this.prepare(p, src, cal, c);
    this.renderIncoherent(s, t.ideal);
    return this.finish(s, src, c, t);
  }

  /**
   * Generates sample `p` imaged by PRISM (src/multislice simulatePrismSignals, frozen phonons as configured) at every
   * probe position of the same distorted scan, the source size applied as a Gaussian blur of the image; the crop is
   * the field plus PRISM_MARGIN_A of structure on every side in a periodic box. The incoherent image of the same scan
   * goes to `incoherent`, for the agreement between the two. Slow: minutes for a 256² sample.
   */
  async generatePrism(p: SampleParams, src: FrameSource, cal: DatasetCalibrations, c: DatasetConfig, t: SampleTargets, incoherent: Float32Array): Promise<SampleReport> {
    const s = this.prepare(p, src, cal, c);
    this.renderIncoherent(s, incoherent);
    const W = s.W, H = s.H, m = PRISM_MARGIN_A;
    const atoms = this.cropAtoms(src, s.F, s.Fy, m);
    const opts: PrismOptions = {
      energy_eV: c.energy_eV, semiangle_mrad: c.semiangle_mrad, detector: { inner_mrad: c.detector_mrad[0], outer_mrad: c.detector_mrad[1] },
      sampling_A: c.calibrationSampling_A, sliceThickness_A: 2, aberrations: c.Cs_A !== 0 ? { defocus: p.defocus_A, Cs: c.Cs_A } : { defocus: p.defocus_A },
      phonons: c.phonons, seed: p.noiseSeed, workers: 1,
    };
    const pos = new Float64Array(2 * W * H);
    t.ideal.fill(0, 0, W * H);
    const [x0, y0] = this.scan.origin_A, [a11, a21] = this.scan.stepI_A, [a12, a22] = this.scan.stepJ_A;
    for (let f = 0; f < s.frames; f++) {
      const ro = this.frameOffsets.subarray(2 * H * f, 2 * H * (f + 1));
      for (let j = 0; j < H; j++) for (let i = 0; i < W; i++) {
        pos[2 * (j * W + i)] = m + x0 + i * a11 + j * a12 + ro[2 * j]!;
        pos[2 * (j * W + i) + 1] = m + y0 + i * a21 + j * a22 + ro[2 * j + 1]!;
      }
      const r = await simulatePrismSignals(atoms, opts, pos);
      const img = gaussianBlur(Float32Array.from(r.signals), W, H, p.sourceSize_A / p.pixel_A, p.sourceSize_A / p.pixel_A, false);
      for (let k = 0; k < W * H; k++) t.ideal[k]! += img[k]! / s.frames;
    }
    return this.finish(s, src, c, t);
  }

  /** Atoms of the selected columns within `margin` of the field, shifted by +margin into a periodic box. */
  private cropAtoms(src: FrameSource, F: number, Fy: number, margin: number): Atoms {
    const cols = this.cols, g = src.frame.geometry, L = src.lattice;
    const Z: number[] = [], pos: number[] = [];
    for (let q = 0; q < cols.n; q++) {
      const x = cols.x_A[q]!, y = cols.y_A[q]!;
      if (x < -margin || y < -margin || x >= F + margin || y >= Fy + margin) continue;
      const k = cols.ref[q]!;
      for (let a = g.start[k]!; a < g.start[k + 1]!; a++) {
        const site = g.sites[a]!, z = SPECIES_Z[src.species[site]!]!;
        if (z === 0) continue;
        Z.push(z);
        pos.push(x + margin, y + margin, L.position_A[3 * site + 2]!);
      }
    }
    return {
      n: Z.length, Z: Uint8Array.from(Z), positions_A: Float64Array.from(pos), cell_A: [F + 2 * margin, Fy + 2 * margin, L.cell_A[2]],
      occupancy: new Float32Array(Z.length).fill(1),
    };
  }

  /** The scan (affine, every frame's registered line offsets, the labels' smooth offsets) and the columns with kernels. */
  private prepare(p: SampleParams, src: FrameSource, cal: DatasetCalibrations, c: DatasetConfig): Prepared {
    const W = c.size_px, H = c.size_px, px = p.pixel_A, N = p.frames;
    this.ensure(W, H, N);
    const rng = Rng.stream(p.noiseSeed, Stream.DATASET_NOISE);
    // Scan affine: x/y scale error and shear, centred on the field's centre.
    const F = (W - 1) * px, Fy = (H - 1) * px;
    const fcx = F / 2, fcy = Fy / 2;
    const a11 = px * (1 + p.scale[0]), a12 = px * p.shear, a22 = px * (1 + p.scale[1]);
    const scan = this.scan;
    scan.width = W; scan.height = H;
    scan.stepI_A[0] = a11; scan.stepI_A[1] = 0;
    scan.stepJ_A[0] = a12; scan.stepJ_A[1] = a22;
    scan.origin_A[0] = fcx - ((W - 1) / 2) * a11 - ((H - 1) / 2) * a12;
    scan.origin_A[1] = fcy - ((H - 1) / 2) * a22;
    // Per-line offsets of every frame (registered to frame 0), their smooth part averaged for the labels.
    const offLabel = this.offLabel;
    offLabel.fill(0, 0, 2 * H);
    const walkStep = p.driftWalk_APerFrame / Math.sqrt(H);
    let wx = 0, wy = 0, mean0x = 0, mean0y = 0;
    for (let f = 0; f < N; f++) {
      const [vx, vy] = p.drift_APerFrame[f]!;
      let mx = 0, my = 0;
      for (let j = 0; j < H; j++) {
        wx += walkStep * rng.normal();
        wy += walkStep * rng.normal();
        const time = f + j / H;
        const hum = p.hum_A * Math.sin((2 * Math.PI * (f * H + j)) / p.humPeriod_lines + p.humPhase_rad);
        const sx = vx * time + wx + hum, sy = vy * time + wy;
        const jit = p.lineJitter_A > 0 ? p.lineJitter_A * rng.normal() : 0;
        this.offSmooth[2 * j] = sx; this.offSmooth[2 * j + 1] = sy;
        this.offRaw[2 * j] = sx + jit; this.offRaw[2 * j + 1] = sy;
        mx += sx + jit; my += sy;
      }
      mx /= H; my /= H;
      if (f === 0) { mean0x = mx; mean0y = my; }
      const ro = this.frameOffsets.subarray(2 * H * f, 2 * H * (f + 1));
      for (let j = 0; j < H; j++) {
        ro[2 * j] = this.offRaw[2 * j]! - mx + mean0x;
        ro[2 * j + 1] = this.offRaw[2 * j + 1]! - my + mean0y;
        offLabel[2 * j]! += (this.offSmooth[2 * j]! - mx + mean0x) / N;
        offLabel[2 * j + 1]! += (this.offSmooth[2 * j + 1]! - my + mean0y) / N;
      }
    }
    // Columns around the field, with their cross-sections at this defocus and their kernel.
    const cols = this.selectColumns(p, src, cal, c, F, Fy, fcx, fcy);
    const kernels = probeKernels(kernelOptics(c, p.defocus_A));
    this.assignKernels(cols, src, cal, p, kernels);
    return { p, rng, W, H, F, Fy, frames: N, kernels };
  }

  /** The frames' average by the incoherent renderer into `ideal`. */
  private renderIncoherent(s: Prepared, ideal: Float32Array): void {
    const { W, H } = s, n = W * H;
    ideal.fill(0, 0, n);
    const buf = this.frameBuf, scan = this.scan;
    for (let f = 0; f < s.frames; f++) {
      scan.rowOffset_A.set(this.frameOffsets.subarray(2 * H * f, 2 * H * (f + 1)));
      this.renderer.render(this.cols, this.nearList, s.kernels, scan as ScanGeometry, buf);
      // One frame: 0 + x/1 = x (the image is a sum from +0, never −0), so a plain copy gives the same float32 bytes.
      if (s.frames === 1) ideal.set(buf.subarray(0, n));
      else for (let k = 0; k < n; k++) ideal[k]! += buf[k]! / s.frames;
    }
  }

  /** Detector noise on a copy of the noise-free image, then the labels. */
  private finish(s: Prepared, src: FrameSource, c: DatasetConfig, t: SampleTargets): SampleReport {
    const { W, H, p } = s, px = p.pixel_A;
    t.image.set(t.ideal.subarray(0, W * H));
    const electronsPerPixel = p.dose_ePerA2 * px * px;
    applyDetectorNoise(t.image, W * H, { electronsPerPixel, frames: s.frames, gain: c.gain, offset: c.offset, readNoise: c.readNoise }, s.rng);
    const lab = this.placeLabels(src, s.F, s.Fy, W, H);
    rasterizeLabels(src.frame, lab, W, H, px, c.heatmapSigma_A, t, this.labelScratch);
    const columns = columnRows(src.frame, lab, W, H, t.columns, t.row0);
    const o = this.offLabel;
    return { columns, electronsPerPixel, renderedColumns: this.cols.n, labelOffset_A: [o[0]!, o[1]!, o[2 * H - 2]!, o[2 * H - 1]!] };
  }

  /** Columns within RENDER_MARGIN_A (+ distortion slack) of the field, rotated into the field frame. */
  private selectColumns(p: SampleParams, src: FrameSource, cal: DatasetCalibrations, c: DatasetConfig, F: number, Fy: number, fcx: number, fcy: number): ColumnBuffers {
    const g = src.frame.geometry;
    const [Lx, Ly] = g.cell_A;
    const th = (p.rotation_deg * Math.PI) / 180, co = Math.cos(th), si = Math.sin(th);
    const cx = p.centre[0] * Lx, cy = p.centre[1] * Ly;
    const slack = c.scanDistortion * 2 * Math.max(F, Fy) + 3 * (c.drift_APerFrame + c.driftWalk_APerFrame) * c.frames[1] + c.hum_A[1] + 4 * c.lineJitter_A[1] + 1;
    const M = RENDER_MARGIN_A + slack;
    const rho = Math.hypot(F / 2 + M, Fy / 2 + M);
    const a0 = Math.floor((cx - rho) / Lx), a1 = Math.floor((cx + rho) / Lx);
    const b0 = Math.floor((cy - rho) / Ly), b1 = Math.floor((cy + rho) / Ly);
    const { i0, i1, t } = cal.bracket(p.defocus_A);
    const s0 = src.crossSections(i0).sigma_A2, s1 = src.crossSections(i1).sigma_A2;
    // σ of every frame column at this defocus, once (the periodic images below repeat each column); the columns kept
    // (columns of vacancies only, σ = 0, render nothing but carry phase labels) listed in `keep`.
    if (this.keepK.length < g.n) {
      this.keepK = new Int32Array(g.n);
      this.keepX = new Float64Array(g.n); this.keepY = new Float64Array(g.n); this.keepSig = new Float64Array(g.n);
    }
    const keep = this.keepK, keepX = this.keepX, keepY = this.keepY, keepSig = this.keepSig, matter = src.frame.matter;
    let nKeep = 0;
    for (let k = 0; k < g.n; k++) {
      const sig = (1 - t) * s0[k]! + t * s1[k]!;
      if (sig > 0 || matter[k] !== 0) { keepX[nKeep] = g.x_A[k]!; keepY[nKeep] = g.y_A[k]!; keepSig[nKeep] = sig; keep[nKeep++] = k; }
    }
    const out = this.cols;
    out.n = 0;
    // A periodic image whose columns' bounding box, rotated, lies wholly outside the window is skipped (its columns
    // would all fail the test below: 1e-6 Å of slack covers the rounding of the corners against the columns).
    const [gx0, gx1, gy0, gy1] = extentOf(g);
    const e = 1e-6;
    for (let a = a0; a <= a1; a++) for (let b = b0; b <= b1; b++) {
      const ox = a * Lx - cx, oy = b * Ly - cy;
      let xl = Infinity, xh = -Infinity, yl = Infinity, yh = -Infinity;
      for (const qx of [gx0 + ox, gx1 + ox]) for (const qy of [gy0 + oy, gy1 + oy]) {
        const x = co * qx - si * qy + fcx, y = si * qx + co * qy + fcy;
        xl = Math.min(xl, x); xh = Math.max(xh, x); yl = Math.min(yl, y); yh = Math.max(yh, y);
      }
      if (xh < -M - e || yh < -M - e || xl > F + M + e || yl > Fy + M + e) continue;
      for (let q = 0; q < nKeep; q++) {
        const qx = keepX[q]! + ox, qy = keepY[q]! + oy;
        const x = co * qx - si * qy + fcx, y = si * qx + co * qy + fcy;
        if (x < -M || y < -M || x > F + M || y > Fy + M) continue;
        if (out.n >= out.x_A.length) out.grow(out.n + 1);
        out.x_A[out.n] = x; out.y_A[out.n] = y; out.sigma_A2[out.n] = keepSig[q]!; out.ref[out.n] = keep[q]!;
        out.n++;
      }
    }
    return out;
  }

  /** Near kernel of each selected column: s = √(w² + source²), quantised to SIGMA_STEP_A. */
  private assignKernels(cols: ColumnBuffers, src: FrameSource, cal: DatasetCalibrations, p: SampleParams, kernels: ReturnType<typeof probeKernels>): void {
    const { i0, i1, t } = cal.bracket(p.defocus_A);
    const w0 = src.crossSections(i0).width_A, w1 = src.crossSections(i1).width_A;
    // Kernel index by quantised blur (−1: none yet this sample), and by frame column (−1: not computed yet): the
    // periodic images of a column share its kernel.
    for (let q = 0; q < this.nearKeys.length; q++) this.nearIndex[this.nearKeys[q]!] = -1;
    this.nearKeys.length = 0;
    this.nearList.length = 0;
    const n = src.frame.geometry.n;
    if (this.kernelK.length < n) this.kernelK = new Int32Array(n);
    const byK = this.kernelK;
    byK.fill(-1, 0, n);
    const s2 = p.sourceSize_A * p.sourceSize_A;
    for (let q = 0; q < cols.n; q++) {
      const k = cols.ref[q]!;
      let idx = byK[k]!;
      if (idx < 0) {
        const w = (1 - t) * w0[k]! + t * w1[k]!;
        const key = Math.round(Math.sqrt(w * w + s2) / SIGMA_STEP_A);
        if (key >= this.nearIndex.length) { const m = new Int32Array(Math.max(key + 1, 2 * this.nearIndex.length)).fill(-1); m.set(this.nearIndex); this.nearIndex = m; }
        idx = this.nearIndex[key]!;
        if (idx < 0) {
          idx = this.nearList.length;
          this.nearList.push(kernels.near(key * SIGMA_STEP_A));
          this.nearIndex[key] = idx;
          this.nearKeys.push(key);
        }
        byK[k] = idx;
      }
      cols.kernel[q] = idx;
    }
  }

  /**
   * Label positions (px) of the columns with matter near the field: the inverse of the scan map with the frame-averaged
   * smooth line offsets (fixed-point iteration on the line index; the offsets change slowly from line to line).
   */
  private placeLabels(src: FrameSource, F: number, Fy: number, W: number, H: number): LabelBuffers {
    const s = this.scan, off = this.offLabel, lab = this.labels;
    const [x0, y0] = s.origin_A, [a11] = s.stepI_A, [a12, a22] = s.stepJ_A;
    const cols = this.cols;
    lab.n = 0;
    const reach = 2;
    for (let q = 0; q < cols.n; q++) {
      const x = cols.x_A[q]!, y = cols.y_A[q]!;
      if (x < -reach - 1 || y < -reach - 1 || x > F + reach + 1 || y > Fy + reach + 1) continue;
      let jj = (y - y0) / a22, ii = 0;
      for (let it = 0; it < 4; it++) {
        const jc = Math.min(H - 1, Math.max(0, jj)), jf = Math.floor(jc), tt = jc - jf, jn = Math.min(H - 1, jf + 1);
        const ox = off[2 * jf]! * (1 - tt) + off[2 * jn]! * tt, oy = off[2 * jf + 1]! * (1 - tt) + off[2 * jn + 1]! * tt;
        jj = (y - y0 - oy) / a22;
        ii = (x - x0 - ox - jj * a12) / a11;
      }
      if (lab.n >= lab.ref.length) lab.grow(lab.n + 1);
      lab.ref[lab.n] = cols.ref[q]!; lab.i_px[lab.n] = ii; lab.j_px[lab.n] = jj; lab.x_A[lab.n] = x; lab.y_A[lab.n] = y;
      lab.n++;
    }
    return lab;
  }
}
