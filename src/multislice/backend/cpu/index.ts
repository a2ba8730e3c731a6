/**
 * The CPU reference backend: plain TypeScript loops on float32 planes, FFT from src/core/fft (the planar per-probe
 * path; image and PRISM runs use the resident loop in ../../resident.ts where the grid allows).
 */
import { createFft2d, type Fft2d } from '../../../core/fft/index.js';
import type { ComplexField, MultisliceBackend } from '../types.js';

/** Creates the CPU backend (FFT plans cached per grid size). */
export function createCpuBackend(): MultisliceBackend {
  const plans = new Map<string, Fft2d>();
  const plan = (nx: number, ny: number): Fft2d => {
    const key = `${nx}x${ny}`;
    let p = plans.get(key);
    if (!p) { p = createFft2d(nx, ny); plans.set(key, p); }
    return p;
  };
  const mul = (a: ComplexField, b: ComplexField): void => {
    const ar = a.re, ai = a.im, br = b.re, bi = b.im;
    for (let i = 0; i < ar.length; i++) {
      const xr = ar[i]!, xi = ai[i]!, yr = br[i]!, yi = bi[i]!;
      ar[i] = xr * yr - xi * yi;
      ai[i] = xr * yi + xi * yr;
    }
  };
  return {
    name: 'cpu',
    transmit: mul,
    propagate(psi, propagator) {
      const f = plan(psi.nx, psi.ny);
      f.forward(psi.re, psi.im);
      mul(psi, propagator);
      f.inverse(psi.re, psi.im);
    },
    fft2(psi, inverse) {
      const f = plan(psi.nx, psi.ny);
      if (inverse) f.inverse(psi.re, psi.im); else f.forward(psi.re, psi.im);
    },
    detect(psi, masks) {
      plan(psi.nx, psi.ny).forward(psi.re, psi.im);
      const n = psi.nx * psi.ny;
      return masks.map((m) => {
        let s = 0;
        for (let i = 0; i < n; i++) { const w = m[i]!; if (w !== 0) s += w * (psi.re[i]! ** 2 + psi.im[i]! ** 2); }
        return s / n;
      });
    },
    dispose() { plans.clear(); },
  };
}
