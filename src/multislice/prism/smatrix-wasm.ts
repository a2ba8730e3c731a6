/**
 * The S-matrix beam loop on the resident multislice loop (resident.ts: wave in the PFFFT heap, spectrum transposed,
 * transforms pruned to the 2/3 band), for grids whose sizes suit PFFFT: each beam starts as a delta at its frequency
 * (the plane wave exp(2πi q·r) after the unnormalised inverse), runs through every slice, and its last k-space wave
 * is cropped to the stored grid. Same arithmetic as the planar loop in smatrix.ts (tested equal to float32 round-off).
 * The spectrum is read through the plan's layout (spectrumAt: frequency order or PFFFT's z domain, resident.ts).
 */
import { heapStack, propagateResident, spectrumAt } from '../resident.js';
import { signedIndex } from './geometry.js';
import type { SMatrixJob } from './smatrix.js';

/**
 * Runs beams [b0, b1) and writes each beam's cropped spectrum (scaled so that an inverse FFT at the crop size
 * gives the real-space samples) into cre/cim, calling `store(b)` after each.
 */
export function wasmBeams(job: SMatrixJob, b0: number, b1: number, cre: Float32Array, cim: Float32Array, store: (b: number) => void): void {
  const { geometry: g, nSlices, stack, propagator } = job;
  const { nx, ny } = g.grid;
  const { cnx, cny } = g;
  const cn = cnx * cny;
  const hx = Math.floor((nx - 1) / 2), hy = Math.floor((ny - 1) / 2), lx = -Math.floor(nx / 2), ly = -Math.floor(ny / 2);
  const rJob = { grid: g.grid, propagator, masks: [] };
  // the beams read one heap copy of the stack (freed when they are done)
  const heap = b1 - b0 > 1 ? heapStack(g.grid, stack) : undefined;
  try {
    for (let b = b0; b < b1; b++) {
      const fx = ((job.beams.qx[b]! % nx) + nx) % nx, fy = ((job.beams.qy[b]! % ny) + ny) % ny;
      propagateResident(rJob, stack, nSlices, ({ F, B, plan }) => {
        F[B + spectrumAt(plan, fx, fy)] = 1;
        return [plan.col[fx]!];
      }, (s, { F, B, plan }) => {
        if (s !== nSlices - 1) return;
        // Crop the (transposed, 1/n-scaled) spectrum: scale cn gives the real-space samples after a crop-size inverse.
        for (let cy = 0; cy < cny; cy++) {
          const sy = signedIndex(cy, cny);
          const rowOk = sy >= ly && sy <= hy;
          const ky = (sy + ny) % ny;
          for (let cx = 0; cx < cnx; cx++) {
            const sx = signedIndex(cx, cnx), j = cy * cnx + cx;
            const kx = (sx + nx) % nx;
            if (rowOk && sx >= lx && sx <= hx && plan.inBand[kx]) {
              const k = B + spectrumAt(plan, kx, ky);
              cre[j] = F[k]! * cn; cim[j] = F[k + plan.im]! * cn;
            } else { cre[j] = 0; cim[j] = 0; }
          }
        }
      }, heap);
      store(b);
    }
  } finally {
    heap?.free();
  }
}
