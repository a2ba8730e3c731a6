/**
 * Random occupation of a layered SiteLattice by seed, with EXACT stoichiometry for every seed.
 *
 * Counts are fixed first, then placed by shuffling lists with exactly those counts:
 *   - M-layer sites (nM) get transition metals by composition, rounded with the largest-remainder
 *     method (`apportion`): nNi + nCo + nMn = nM exactly.
 *   - Li content x_Li: nLi = round(x_Li·nL) Li on the nL Li-layer sites, the rest cation vacancies.
 *   - Li/Ni exchange (cation mixing) m: nX = round(m·nL) Ni move to Li-layer sites and the same
 *     number of Li move to M-layer sites, so totals (and the TM composition) are unchanged.
 *   - Ni charge states neutralise the cell: Li⁺, Co³⁺, Mn⁴⁺, O²⁻, Ni on Li-layer sites Ni²⁺; the
 *     remaining charge is spread over M-layer Ni as Ni²⁺/Ni³⁺ (or Ni³⁺/Ni⁴⁺ when delithiated),
 *     rounded to whole ions and clamped to 2+…4+ (so a cell is neutral to within one charge unless
 *     it cannot be: e.g. O-rich surfaces of a tiny box).
 * Sites that are VOID (pores, vacuum) stay VOID; anion sites in matter get O.
 * Placement uses independent streams Rng.stream(seed, 1) (M layer), (seed, 2) (Li layer) and
 * (seed, 3) (Ni charge states), so the result does not depend on anything else.
 */
import { InputError, Rng, Stream, checkFinite } from '../core/index.js';
import { apportion, type Composition } from './composition.js';
import { SiteRole } from './parent.js';
import type { SiteLattice } from './siteLattice.js';
import { Species } from './species.js';

export interface OccupationOptions {
  readonly composition: Composition;
  /** Fraction of Li-layer sites holding Li before exchange (Li content per formula unit), 0…1; default 1. */
  readonly liContent?: number;
  /** Fraction of Li-layer sites holding Ni (Li/Ni exchange), 0…0.5; default 0. */
  readonly mixing?: number;
  /** Seed of the random placement. */
  readonly seed: number;
}

/** The exact counts placed by `occupy`. */
export interface OccupationCounts {
  readonly liLayerSites: number;
  readonly mLayerSites: number;
  readonly oxygen: number;
  readonly Li: number;
  readonly Ni: number;
  readonly Co: number;
  readonly Mn: number;
  /** Ni on Li-layer sites (= Li on M-layer sites). */
  readonly exchanged: number;
  readonly Ni2: number;
  readonly Ni3: number;
  readonly Ni4: number;
  /** Net charge left after the Ni charge assignment, e (0 unless clamped). */
  readonly netCharge: number;
}

function shuffleInto(sites: number[], values: number[], species: Uint8Array, rng: Rng): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = values[i]!;
    values[i] = values[j]!;
    values[j] = t;
  }
  for (let i = 0; i < sites.length; i++) species[sites[i]!] = values[i]!;
}

const fill = (n: number, v: number) => new Array<number>(n).fill(v);

/** Occupy the non-void sites of a lattice in place; returns the exact counts. */
export function occupy(lattice: SiteLattice, opts: OccupationOptions): OccupationCounts {
  const liContent = checkFinite(opts.liContent ?? 1, 'liContent', { min: 0, max: 1 });
  const mixing = checkFinite(opts.mixing ?? 0, 'mixing', { min: 0, max: 0.5 });
  const { composition: c } = opts;
  const liSites: number[] = [];
  const mSites: number[] = [];
  let nO = 0;
  for (let t = 0; t < lattice.n; t++) {
    if (lattice.species[t] === Species.VOID) continue;
    const r = lattice.role[t];
    if (r === SiteRole.LI_LAYER) liSites.push(t);
    else if (r === SiteRole.M_LAYER) mSites.push(t);
    else {
      lattice.species[t] = Species.O;
      nO++;
    }
  }
  const nL = liSites.length;
  const nM = mSites.length;
  const [nNi, nCo, nMn] = apportion([c.Ni, c.Co, c.Mn], nM) as [number, number, number];
  const nLi = Math.round(liContent * nL);
  const nX = Math.round(mixing * nL);
  if (nX > nNi || nX > nLi) {
    throw new InputError('mixing', mixing, `at most min(Ni, Li)/Li-layer sites = ${(Math.min(nNi, nLi) / Math.max(1, nL)).toFixed(4)} here`);
  }
  // Charge balance: Ni on M sites carries what is left.
  const nNiM = nNi - nX;
  const q = 2 * nO - nLi - 3 * nCo - 4 * nMn - 2 * nX;
  let n2 = 0;
  let n4 = 0;
  if (q <= 3 * nNiM) n2 = Math.min(nNiM, Math.max(0, 3 * nNiM - q));
  else n4 = Math.min(nNiM, q - 3 * nNiM);
  const n3 = nNiM - n2 - n4;
  const net = nLi + 3 * nCo + 4 * nMn + 2 * (n2 + nX) + 3 * n3 + 4 * n4 - 2 * nO;

  // Ni charge states on M sites are shuffled among the M-layer Ni by their own stream.
  const niStates = [...fill(n2, Species.NI2), ...fill(n3, Species.NI3), ...fill(n4, Species.NI4)];
  const stateRng = Rng.stream(opts.seed, Stream.OCCUPY_STATE);
  for (let i = niStates.length - 1; i > 0; i--) {
    const j = stateRng.int(i + 1);
    const t = niStates[i]!;
    niStates[i] = niStates[j]!;
    niStates[j] = t;
  }
  const mValues = [...fill(nNiM, Species.NI3), ...fill(nCo, Species.CO), ...fill(nMn, Species.MN), ...fill(nX, Species.LI)];
  shuffleInto(mSites, mValues, lattice.species, Rng.stream(opts.seed, Stream.OCCUPY_M_LAYER));
  let k = 0;
  for (const t of mSites) if (lattice.species[t] === Species.NI3) lattice.species[t] = niStates[k++]!;
  const lValues = [...fill(nLi - nX, Species.LI), ...fill(nX, Species.NI2), ...fill(nL - nLi, Species.VAC_CATION)];
  shuffleInto(liSites, lValues, lattice.species, Rng.stream(opts.seed, Stream.OCCUPY_LI_LAYER));
  return {
    liLayerSites: nL, mLayerSites: nM, oxygen: nO, Li: nLi, Ni: nNi, Co: nCo, Mn: nMn, exchanged: nX,
    Ni2: n2 + nX, Ni3: n3, Ni4: n4, netCharge: net,
  };
}
