/**
 * The seed model for benchmarks (`cathode-twin bench kmc --model seed`): a periodic NCM851005 box
 * of about `nSites` parent-lattice sites with a nanopore (radius ¼ of the box) and an APB at its edge,
 * oxygen terms linearised at 175 °C, 1.2e-5 Pa.
 */
import { InputError } from '../../core/index.js';
import { buildNcmBox } from './box.js';
import { NcmModel } from './model.js';
import { DEFAULT_NCM_PARAMS } from './params.js';

/** A seed-model `KmcModel` of ≈ nSites sites (box edges rounded to multiples of 4, ≥ 8). */
export function createSeedBenchModel(nSites: number, seed: number): NcmModel {
  if (!(nSites >= 512) || !Number.isFinite(nSites)) throw new InputError('sites', nSites, 'a site count ≥ 512');
  const edge = Math.max(8, 4 * Math.round(Math.cbrt(nSites) / 4));
  const r = Math.max(2, Math.floor(edge / 4));
  const box = buildNcmBox({ size: [edge, edge, edge], poreRadii: [r, r, r], apb: true, seed });
  return new NcmModel({ lattice: box.lattice, species: box.species, params: DEFAULT_NCM_PARAMS, pO2_Pa: 1.2e-5, temperature_K: 448.15 });
}
