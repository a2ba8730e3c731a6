/**
 * The PRISM scattering matrix: each beam's plane wave exp(2πi q·r) run through every slice by the same
 * multislice step as the plain reference (ψ ← F⁻¹[P·F[ψ·t_s]], transmission stack and band-limited Fresnel
 * propagator from prepareMultislice), then stored on the cropped grid of geometry.ts. Beams are independent,
 * so any subset can run on any thread; the result depends only on the beam, never on the thread count.
 */
import type { ComplexField } from '../backend/types.js';
import type { TransmissionStack } from '../engine.js';
import { createFft2d, pffftSupports } from '../../core/fft/index.js';
import type { BeamSet } from './beams.js';
import { type PrismGeometry, signedIndex } from './geometry.js';
import { wasmBeams } from './smatrix-wasm.js';

/** Everything a thread needs to compute beams (plain data; arrays on SharedArrayBuffers in parallel runs). */
export interface SMatrixJob {
  readonly geometry: PrismGeometry;
  readonly nSlices: number;
  readonly stack: TransmissionStack;
  readonly propagator: ComplexField;
  readonly beams: BeamSet;
  /** Output: S-matrix real parts, [beam][cny][cnx]. */
  readonly sRe: Float32Array;
  /** Output: S-matrix imaginary parts, [beam][cny][cnx]. */
  readonly sIm: Float32Array;
}

interface Work { n: number; cn: number; re: Float32Array; im: Float32Array; cre: Float32Array; cim: Float32Array; ex: Float64Array; ey: Float64Array }
let work: Work | undefined;
/** Per-thread scratch, reused while the sizes stay the same (no allocation per beam or slice). */
function scratch(nx: number, ny: number, cn: number): Work {
  if (!work || work.n !== nx * ny || work.cn !== cn || work.ex.length !== 2 * nx || work.ey.length !== 2 * ny) {
    work = {
      n: nx * ny, cn, re: new Float32Array(nx * ny), im: new Float32Array(nx * ny),
      cre: new Float32Array(cn), cim: new Float32Array(cn), ex: new Float64Array(2 * nx), ey: new Float64Array(2 * ny),
    };
  }
  return work;
}

/**
 * Computes beams [b0, b1) of the job into job.sRe/sIm. Uses the WASM-heap loop (smatrix-wasm.ts) when both
 * grid sizes suit PFFFT (multiples of 16), else the planar loop below; `engine` forces one (tests).
 */
export function computeBeams(job: SMatrixJob, b0: number, b1: number, engine: 'auto' | 'planar' | 'wasm' = 'auto'): void {
  const { geometry: g, nSlices, stack, propagator: P } = job;
  const { nx, ny } = g.grid;
  const { cnx, cny } = g;
  const n = nx * ny, cn = cnx * cny;
  const w = scratch(nx, ny, cn);
  const { re, im, cre, cim, ex, ey } = w;
  const cfft = createFft2d(cnx, cny);
  if (engine === 'wasm' || (engine === 'auto' && pffftSupports(nx) && pffftSupports(ny))) {
    wasmBeams(job, b0, b1, cre, cim, (b) => {
      cfft.inverse(cre, cim);
      job.sRe.set(cre, b * cn);
      job.sIm.set(cim, b * cn);
    });
    return;
  }
  const fft = createFft2d(nx, ny);
  const pr = P.re, pi = P.im;
  for (let b = b0; b < b1; b++) {
    const qx = job.beams.qx[b]!, qy = job.beams.qy[b]!;
    for (let x = 0; x < nx; x++) { const a = (2 * Math.PI * ((qx * x) % nx)) / nx; ex[2 * x] = Math.cos(a); ex[2 * x + 1] = Math.sin(a); }
    for (let y = 0; y < ny; y++) { const a = (2 * Math.PI * ((qy * y) % ny)) / ny; ey[2 * y] = Math.cos(a); ey[2 * y + 1] = Math.sin(a); }
    for (let y = 0; y < ny; y++) {
      const yr = ey[2 * y]!, yi = ey[2 * y + 1]!, o = y * nx;
      for (let x = 0; x < nx; x++) {
        const xr = ex[2 * x]!, xi = ex[2 * x + 1]!;
        re[o + x] = yr * xr - yi * xi;
        im[o + x] = yr * xi + yi * xr;
      }
    }
    for (let s = 0; s < nSlices; s++) {
      const tr = stack.re, ti = stack.im, off = s * n;
      for (let i = 0; i < n; i++) {
        const a = re[i]!, c = im[i]!, t1 = tr[off + i]!, t2 = ti[off + i]!;
        re[i] = a * t1 - c * t2;
        im[i] = a * t2 + c * t1;
      }
      fft.forward(re, im);
      for (let i = 0; i < n; i++) {
        const a = re[i]!, c = im[i]!, p1 = pr[i]!, p2 = pi[i]!;
        re[i] = a * p1 - c * p2;
        im[i] = a * p2 + c * p1;
      }
      // The last slice stays in k-space: that is what the crop needs (saves an inverse and a forward FFT).
      if (s < nSlices - 1) fft.inverse(re, im);
    }
    // Crop the spectrum to the stored grid; scale so that real-space samples are unchanged (cn/n).
    const scale = cn / n;
    const hx = Math.floor((nx - 1) / 2), hy = Math.floor((ny - 1) / 2);
    for (let cy = 0; cy < cny; cy++) {
      const sy = signedIndex(cy, cny);
      const rowOk = sy >= -Math.floor(ny / 2) && sy <= hy;
      const fy = (sy + ny) % ny;
      for (let cx = 0; cx < cnx; cx++) {
        const sx = signedIndex(cx, cnx);
        const j = cy * cnx + cx;
        if (rowOk && sx >= -Math.floor(nx / 2) && sx <= hx) {
          const i = fy * nx + ((sx + nx) % nx);
          cre[j] = re[i]! * scale; cim[j] = im[i]! * scale;
        } else { cre[j] = 0; cim[j] = 0; }
      }
    }
    cfft.inverse(cre, cim);
    job.sRe.set(cre, b * cn);
    job.sIm.set(cim, b * cn);
  }
}
