/**
 * The fast incoherent imaging mode: image = |P|² ⊗ Σ_columns σ_c G_{w_c}(r − r_c), the Z-contrast model of
 * incoherent imaging (Pennycook & Jesson 1991, Ultramicroscopy 37, 14; Kirkland 2010 §5.4), with each column's
 * integrated cross-section σ and object width w calibrated by multislice of an isolated column of each element
 * for the spacing and length present (calibrate.ts, cached). Mixed columns are linear in composition; a partial
 * column depends on its site count only.
 */
import type { Atoms } from '../../lattice/atoms.js';
import { InputError } from '../../core/index.js';
import { checkHaadfOptions, type HaadfOptions } from '../options.js';
import { checkAtoms } from '../potential.js';
import { gaussianBlur, nyquistStep_A } from '../scan.js';
import type { HaadfImage } from '../simulate.js';
import { wavelength_A } from '../optics.js';
import { buildColumnModel, renderIncoherent } from './render.js';

/**
 * Incoherent HAADF image of `atoms` with the same result shape as simulateHaadf. Calibrations are cached in
 * memory for the process, so a series of frames of one specimen pays for them once.
 */
export async function simulateIncoherent(atoms: Atoms, opts: HaadfOptions): Promise<HaadfImage> {
  checkHaadfOptions(atoms, opts);
  checkAtoms(atoms, opts.parametrization ?? 'lobato');
  const [Lx, Ly] = atoms.cell_A;
  const step = opts.scanStep_A ?? nyquistStep_A(wavelength_A(opts.energy_eV), opts.semiangle_mrad);
  const region = opts.scanRegion_A;
  const x0 = region ? region[0] : 0, y0 = region ? region[1] : 0;
  const W = Math.max(1, Math.round(region ? (region[2] - region[0]) / step : Lx / step));
  const H = Math.max(1, Math.round(region ? (region[3] - region[1]) / step : Ly / step));
  const px = region ? step : Lx / W, py = region ? step : Ly / H;
  if (W * H > 1 << 24) throw new InputError('scan-step', step, `a step giving at most 16.7 Mpixel (${W}×${H} now)`);
  let done = 0;
  const model = buildColumnModel(atoms, opts, () => opts.onProgress?.(++done, done + 1));
  let data: Float32Array = Float32Array.from(renderIncoherent(model, atoms.cell_A, opts, W, H, x0, y0, px, py));
  const src = opts.sourceSize_A ?? 0;
  if (src > 0) data = gaussianBlur(data, W, H, src / px, src / py, !region);
  opts.onProgress?.(done + 1, done + 1);
  return {
    data, width: W, height: H, sampling_A: px, samplingY_A: py, origin_A: [x0, y0], thickness_A: atoms.cell_A[2],
    thicknessSeries: [{ thickness_A: atoms.cell_A[2], data }],
    metadata: {
      mode: 'incoherent', units: 'fraction of incident beam', energy_eV: opts.energy_eV, semiangle_mrad: opts.semiangle_mrad,
      aberrations: opts.aberrations ?? {}, detector_mrad: [opts.detector.inner_mrad, opts.detector.outer_mrad], columns: model.cols.n,
      calibrations: model.calibrations, phonons: opts.phonons ?? 0, seed: opts.seed ?? 0, sourceSize_A: src,
      parametrization: opts.parametrization ?? 'lobato',
    },
  };
}
