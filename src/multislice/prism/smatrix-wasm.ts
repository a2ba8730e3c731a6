/**
 * The S-matrix beam loop with the wave resident in the PFFFT WebAssembly heap (both grid sizes multiples of 16):
 * per slice, transmission multiply (real space, [ny][nx]), forward FFT left transposed, propagator multiply on
 * the transposed spectrum (propagator pre-transposed and pre-scaled by 1/(nx·ny)), inverse FFT: two JS passes
 * and two transposes around the WASM row transforms, no planar ↔ interleaved copies. Same arithmetic as the
 * planar loop in smatrix.ts (tested equal to float32 round-off).
 */
import { pffftField } from '../../core/fft/index.js';
import { signedIndex } from './geometry.js';
import type { SMatrixJob } from './smatrix.js';

/**
 * Runs beams [b0, b1) and writes each beam's cropped spectrum (scaled so that an inverse FFT at the crop size
 * gives the real-space samples) into cre/cim, calling `store(b)` after each.
 */
export function wasmBeams(job: SMatrixJob, b0: number, b1: number, cre: Float32Array, cim: Float32Array, store: (b: number) => void): void {
  const { geometry: g, nSlices, stack, propagator: P } = job;
  const { nx, ny } = g.grid;
  const { cnx, cny } = g;
  const n = nx * ny, cn = cnx * cny;
  const field = pffftField(nx, ny);
  const ptr = new Float32Array(n), pti = new Float32Array(n);
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) { ptr[x * ny + y] = P.re[y * nx + x]! / n; pti[x * ny + y] = P.im[y * nx + x]! / n; }
  const hx = Math.floor((nx - 1) / 2), hy = Math.floor((ny - 1) / 2), lx = -Math.floor(nx / 2), ly = -Math.floor(ny / 2);
  const tr = stack.re, ti = stack.im;
  for (let b = b0; b < b1; b++) {
    const F = field.heap();
    const A = field.a, B = field.b;
    const qx = job.beams.qx[b]!, qy = job.beams.qy[b]!;
    for (let y = 0; y < ny; y++) {
      const py = (qy * y) % ny;
      for (let x = 0; x < nx; x++) {
        const a = (2 * Math.PI * (((qx * x) % nx) / nx + py / ny));
        F[A + 2 * (y * nx + x)] = Math.cos(a);
        F[A + 2 * (y * nx + x) + 1] = Math.sin(a);
      }
    }
    for (let s = 0; s < nSlices; s++) {
      const off = s * n;
      for (let i = 0, k = A; i < n; i++, k += 2) {
        const u = F[k]!, v = F[k + 1]!, t1 = tr[off + i]!, t2 = ti[off + i]!;
        F[k] = u * t1 - v * t2;
        F[k + 1] = u * t2 + v * t1;
      }
      field.forwardToTransposed();
      for (let i = 0, k = B; i < n; i++, k += 2) {
        const u = F[k]!, v = F[k + 1]!, p1 = ptr[i]!, p2 = pti[i]!;
        F[k] = u * p1 - v * p2;
        F[k + 1] = u * p2 + v * p1;
      }
      if (s < nSlices - 1) field.inverseFromTransposed();
    }
    // Crop the (transposed, 1/n-scaled) spectrum: scale cn gives the real-space samples after a crop-size inverse.
    for (let cy = 0; cy < cny; cy++) {
      const sy = signedIndex(cy, cny);
      const rowOk = sy >= ly && sy <= hy;
      const fy = (sy + ny) % ny;
      for (let cx = 0; cx < cnx; cx++) {
        const sx = signedIndex(cx, cnx), j = cy * cnx + cx;
        if (rowOk && sx >= lx && sx <= hx) {
          const k = B + 2 * (((sx + nx) % nx) * ny + fy);
          cre[j] = F[k]! * cn; cim[j] = F[k + 1]! * cn;
        } else { cre[j] = 0; cim[j] = 0; }
      }
    }
    store(b);
  }
}
