/**
 * PRISM probe reconstruction (Ophus 2017, eq. 9): the exit wave of the probe at r₀ is Σ_b c_b·S_b(r) with
 * c_b = A(q_b)·exp(−iχ(q_b))·exp(−2πi q_b·r₀) (the same sign conventions as buildProbe), evaluated only
 * on the window of one beam period (Lx/f × Ly/f) centred on r₀; the window is Fourier transformed and the
 * detector integrates its intensity on that f-times-coarser k grid. The signal is the fraction of the
 * incident intensity on the window, Σ_k M(k)|W(k)|² / (N_w · N_w·Σ_b|c_b|²), which at f = 1 is exactly the
 * plain multislice's Σ M|Ψ|²/N with Σ|ψ|² = 1.
 */
import { createFft2d } from '../../core/fft/index.js';
import type { BeamSet } from './beams.js';
import type { PrismGeometry } from './geometry.js';

/** What a thread needs to reconstruct probes (plain data; the S-matrix on SharedArrayBuffers in parallel runs). */
export interface ReconstructJob {
  readonly geometry: PrismGeometry;
  readonly beams: BeamSet;
  readonly sRe: Float32Array;
  readonly sIm: Float32Array;
  /** Aberration phase χ (rad) of each beam, one row per focal-spread node: [node][beam]. */
  readonly chi_rad: Float64Array;
  /** Focal-spread weights (sum 1), one per node. */
  readonly weights: Float64Array;
  /** Detector weights on the window's k grid, [wny][wnx] FFT layout; one mask per detector. */
  readonly masks: Float32Array[];
}

interface Work { key: string; re: Float32Array; im: Float32Array; tRe: Float32Array; tIm: Float32Array }
let work: Work | undefined;
function scratch(nw: number, nt: number): Work {
  const key = `${nw}:${nt}`;
  if (!work || work.key !== key) {
    work = { key, re: new Float32Array(nw), im: new Float32Array(nw), tRe: new Float32Array(nt), tIm: new Float32Array(nt) };
  }
  return work;
}

/** Distinct qx of the beams (ascending) and each beam's index into them. */
function columnsOf(qx: Int32Array): { values: Int32Array; index: Int32Array } {
  const values = Int32Array.from([...new Set(qx)].sort((a, b) => a - b));
  const pos = new Map<number, number>();
  values.forEach((v, i) => pos.set(v, i));
  return { values, index: Int32Array.from(qx, (v) => pos.get(v)!) };
}

/**
 * Detector signals of the probes at `positions_A` (x, y interleaved, Å): [position][detector], fraction of
 * the incident beam, averaged over the focal-spread nodes.
 *
 * Factorised sum (exact rearrangement of Σ_b c_b S_b): probes sharing a y₀ (a scan row) first combine the
 * beams of each distinct qx into T_qx(r) = Σ_{b: qx_b = qx} exp(−iχ_b − 2πi qy_b y₀/Ly)·S_b(r) over the rows
 * their windows cover; each probe then needs only Σ_qx exp(−2πi qx x₀/Lx)·T_qx(r) on its window: the
 * number of distinct qx (≈ 2α·Lx/(λf)) instead of the number of beams (≈ π(α·L/(λf))²) per window pixel.
 */
export function reconstructProbes(job: ReconstructJob, positions_A: Float64Array): Float64Array {
  const { geometry: g, beams, sRe, sIm, masks } = job;
  const { cnx, cny, wnx, wny } = g;
  const Lx = g.grid.extentX_A, Ly = g.grid.extentY_A;
  const nb = beams.qx.length, cn = cnx * cny, nw = wnx * wny;
  const nodes = job.weights.length;
  const cols = columnsOf(beams.qx);
  const nq = cols.values.length;
  const { re, im, tRe, tIm } = scratch(nw, nq * wny * cnx);
  const fft = createFft2d(wnx, wny);
  const np = positions_A.length / 2;
  const out = new Float64Array(np * masks.length);
  const rows = new Map<number, number[]>();
  for (let p = 0; p < np; p++) {
    const y0 = positions_A[2 * p + 1]!;
    const r = rows.get(y0);
    if (r) r.push(p); else rows.set(y0, [p]);
  }
  for (const [y0, members] of rows) {
    // Window rows in stored pixels (periodic), centred on the probe row.
    const sy = ((Math.round((y0 / Ly) * cny) - (wny >> 1)) % cny + cny) % cny;
    for (let node = 0; node < nodes; node++) {
      tRe.fill(0); tIm.fill(0);
      for (let b = 0; b < nb; b++) {
        const ph = -job.chi_rad[node * nb + b]! - (2 * Math.PI * beams.qy[b]! * y0) / Ly;
        const c1 = Math.cos(ph), c2 = Math.sin(ph), base = b * cn, tb = cols.index[b]! * wny * cnx;
        for (let j = 0; j < wny; j++) {
          let src = base + ((sy + j) % cny) * cnx;
          const t0 = tb + j * cnx, t1 = t0 + cnx;
          for (let t = t0; t < t1; t++, src++) {
            const a = sRe[src]!, c = sIm[src]!;
            tRe[t]! += c1 * a - c2 * c;
            tIm[t]! += c1 * c + c2 * a;
          }
        }
      }
      const norm = job.weights[node]! / (nw * nw * nb);
      for (const p of members) {
        const x0 = positions_A[2 * p]!;
        const sx = ((Math.round((x0 / Lx) * cnx) - (wnx >> 1)) % cnx + cnx) % cnx;
        const seg = Math.min(wnx, cnx - sx);
        re.fill(0); im.fill(0);
        for (let q = 0; q < nq; q++) {
          const ph = (-2 * Math.PI * cols.values[q]! * x0) / Lx;
          const c1 = Math.cos(ph), c2 = Math.sin(ph);
          for (let j = 0; j < wny; j++) {
            const row = (q * wny + j) * cnx, o = j * wnx;
            let src = row + sx;
            for (let i = 0; i < seg; i++, src++) {
              const a = tRe[src]!, c = tIm[src]!;
              re[o + i]! += c1 * a - c2 * c;
              im[o + i]! += c1 * c + c2 * a;
            }
            src = row;
            for (let i = seg; i < wnx; i++, src++) {
              const a = tRe[src]!, c = tIm[src]!;
              re[o + i]! += c1 * a - c2 * c;
              im[o + i]! += c1 * c + c2 * a;
            }
          }
        }
        fft.forward(re, im);
        for (let d = 0; d < masks.length; d++) {
          const m = masks[d]!;
          let s = 0;
          for (let k = 0; k < nw; k++) { const w = m[k]!; if (w !== 0) s += w * (re[k]! * re[k]! + im[k]! * im[k]!); }
          out[p * masks.length + d]! += s * norm;
        }
      }
    }
  }
  return out;
}
