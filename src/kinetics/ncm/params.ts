/**
 * Parameters of the NCM event model (MODEL.md §3–4), every one with its unit in its name and
 * overridable from a scenario (`parseNcmOverrides` takes unit strings).
 *
 * Conventions:
 * - Barriers named `*_barrier_eV` are the kinetically resolved barriers E_KRA of MODEL.md's table;
 *   the engine rate is k = ν·exp(−Ea/kT) with Ea = E_KRA + ΔE/2 (clamped to [0, …)), ΔE from the
 *   local bond model (`energy.ts`), so every reversible pair of events obeys detailed balance.
 * - Bond energies `bond*_eV` are per cation–O bond, positive = binding. The O-vacancy formation
 *   energy relative to ½ E(O2) is E_f = e_O + Σ bonds of its occupied cation neighbours − V_O–V_O
 *   attraction; `bulkVOFormation_eV` (2.0 eV, MODEL.md table) fixes e_O for an O with 3 Li + 3 Ni.
 * - O2 release: ΔE = E_f(O1) + E_f(O2) + 2·Δμ_O,eff(T, pO2). (MODEL.md writes "−2 μ_O" for the
 *   energy the lattice O gains back; with Δμ_O < 0 the release is favoured at low μ: Reuter &
 *   Scheffler PRB 65, 035406, G_f(V_O) = E_f + Δμ_O.)
 */
import { InputError, parseQuantity, type QuantityKind } from '../../core/index.js';

/** All NCM model parameters (SI-like units in the names). Defaults: `DEFAULT_NCM_PARAMS`. */
export interface NcmParams {
  /** Attempt frequency of every event, 1/s (MODEL.md: 1e13, prior 1e12–1e14). */
  readonly nu_Hz: number;
  /**
   * O2 release from two exposed O at a pore/surface: the barrier Ea at the reference reaction energy
   * `o2ReleaseReference_deltaE_eV` (microscope conditions, MODEL.md table: 1.45 eV; prior 1.2–1.8).
   * BEP with α = ½ (physics-literature §5): Ea = o2Release_barrier_eV + (ΔE − ΔE_ref)/2, i.e.
   * E_KRA = o2Release_barrier_eV − ΔE_ref/2 for release and re-adsorption alike.
   */
  readonly o2Release_barrier_eV: number;
  /**
   * Reference ΔE of O2 release (incl. 2·Δμ_O,eff) at which Ea equals `o2Release_barrier_eV`, eV.
   * MODEL.md's onset is 10 % conversion, so the 1.45 eV anchor belongs to the weakest-bound tenth of
   * the exposed O pairs: −1.55 eV is the 10 % quantile of ΔE over exposed pairs at the pore of the
   * default box at 175 °C, 1.2e-5 Pa and the default μ_O offset (median −0.65 eV, range −2.7 … +0.5;
   * test/kinetics/ncm-model.test.ts).
   */
  readonly o2ReleaseReference_deltaE_eV: number;
  /** V_O migration in the bulk, eV (1.2; prior 0.9–1.4). */
  readonly vOMigrationBulk_barrier_eV: number;
  /** V_O migration at a surface (either end exposed), eV (0.8). */
  readonly vOMigrationSurface_barrier_eV: number;
  /** Ni²⁺ M-layer → Li-layer octahedron via the tetrahedral site next to a V_O, eV (1.45; prior 1.2–1.7). */
  readonly tmMigrationNearVO_barrier_eV: number;
  /** Same in lithiated bulk (no V_O around), eV (2.2; prior 2.0–2.8). */
  readonly tmMigrationBulk_barrier_eV: number;
  /** Co or Mn migration next to a V_O, eV (1.95; prior 1.85–2.2); in the bulk add the bulk−V_O difference. */
  readonly tmMigrationCoMn_barrier_eV: number;
  /** Extra barrier for Ni³⁺ over Ni²⁺ (mobility Ni²⁺ > Ni³⁺ ≫ Ni⁴⁺, Reed & Ceder 2004), eV (0.1). */
  readonly ni3MobilityPenalty_eV: number;
  /** Extra barrier for Ni⁴⁺ over Ni²⁺, eV (0.5). */
  readonly ni4MobilityPenalty_eV: number;
  /** Surface cation diffusion (facet reconstruction) into an empty surface octahedron, eV (1.62; prior 1.5–1.8). */
  readonly surfaceDiffusion_barrier_eV: number;
  /** APB migration: in-plane Li ↔ TM exchange across the boundary, eV (1.8; prior 1.7–2.0). */
  readonly apbMigration_barrier_eV: number;
  /** Rock-salt coarsening: Li ↔ Ni exchange inside an already cation-mixed window, eV (2.15; prior 2.0–2.3). */
  readonly rockSaltCoarsening_barrier_eV: number;
  /** Ni²⁺ pair → 2 Ni⁰ + O2 (+ Li2O), gated by the Ni/NiO line, eV (2.55; prior 2.4–2.8). */
  readonly ni0Formation_barrier_eV: number;
  /** Li hop into a cation vacancy with ≥ 2 vacancies around (divacancy, TSHM), eV (0.3). */
  readonly liHopDivacancy_barrier_eV: number;
  /** Li hop into an isolated cation vacancy (ODH), eV (0.7). */
  readonly liHopSingle_barrier_eV: number;
  /**
   * Rate rescaling of Li hops (Chatterjee & Voter, JCP 132, 194101 (2010)): Li-hop E_KRA is raised to
   * at least this value, forward and backward alike, so the Li sublattice stays equilibrated
   * (ΔE untouched) without dominating the event count, eV (1.3).
   */
  readonly liHopFloor_eV: number;
  /**
   * Rate rescaling of the fast classes (Li hops, V_O migration, TM migration and APB moves once they
   * outrun it): within each thinning window their
   * E_KRA is raised to at least k_B·T·ln(ν / fastRateCap_Hz), forward and backward alike, so one hop
   * never exceeds about this rate and the fast sublattices equilibrate without dominating the event
   * count; ΔE (hence the equilibrium) is untouched, 1/s (0.05: floor 1.27 eV at 175 °C, 1.49 eV at 250 °C,
   * so the 175 °C TM onset (1.45 eV) is not rescaled).
   */
  readonly fastRateCap_Hz: number;
  /**
   * Rate cap of in-plane Li ↔ TM exchanges (APB-migration kind) whose two sites both sit in rock salt
   * (≥ 2 TM on Li-layer sites in each one's second shell, `rates.ts` ROCK_SALT_MIN_MIXED): E_KRA is raised
   * to at least k_B·T·ln(ν / this), forward and backward alike. These exchanges change no layer
   * occupancy (both sites in one plane) and no observable; with the fast cap they were ~¾ of all events
   * above 300 °C. A value ≥ `fastRateCap_Hz` switches the extra rescaling off. 1/s (1e-3: floor 1.83 eV
   * at 300 °C, above the 1.8 eV APB barrier only from ≈ 290 °C, so the APB-zone stage is untouched).
   */
  readonly rockSaltExchangeCap_Hz: number;
  /** Bulk O-vacancy formation energy (ref ½ O2) for an O with 3 Li + 3 Ni neighbours, eV (2.0; prior 1.5–2.8). */
  readonly bulkVOFormation_eV: number;
  /** Li–O bond, eV (0.25). Li-terminated surfaces are cheapest (Cho, Seo, Min, ACS AMI 9, 33257 (2017)). */
  readonly bondLi_eV: number;
  /** Ni–O bond (any Ni oxidation state ≥ 2+), eV (0.45). */
  readonly bondNi_eV: number;
  /** Co–O bond, eV (0.5). */
  readonly bondCo_eV: number;
  /** Mn–O bond, eV (0.6: Mn–O strongest, Mn-rich environments retain O). */
  readonly bondMn_eV: number;
  /** V_O–V_O attraction per nearest anion pair (chains, Peng et al.), eV (0.15; 0.1–0.3). */
  readonly vOVOAttraction_eV: number;
  /** Li/Ni exchange (antisite pair) energy in the bulk, eV (0.6; gives 2–4 % Ni_Li at synthesis). */
  readonly exchangeBulk_eV: number;
  /** Lowering of the exchange energy per V_O next to the TM on a Li-layer site, eV (0.3: one V_O → 0.3 eV). */
  readonly exchangeVORelief_eV: number;
  /** Lowering of the exchange energy per Co next to the TM on a Li-layer site, eV (0.15). */
  readonly exchangeCoRelief_eV: number;
  /** Repulsion of two TM across a shared edge when one sits on a Li-layer site, eV (0.05). */
  readonly tmTmRepulsion_eV: number;
  /** Offset added to the nominal Δμ_O (reducing column: residual H2/H2O, C, beam), eV (−0.3; prior 0 to −1.5). */
  readonly muO_offset_eV: number;
}

/**
 * Defaults (MODEL.md §4 table; physics-literature.md §5).
 *
 * `muO_offset_eV = −1.05`: the seed sees polycrystalline rock salt but no Ni metal at ~400 °C and
 * Ni + Li2O at ~500 °C, so Δμ_O,eff must cross the Ni/NiO line (Δμ_O(T, p0) + ΔfG°(NiO, T),
 * ΔfG° ≈ −239.7 + 0.0945·T kJ/mol) between them. At the nominal 1.2e-5 Pa the gap Δμ_O − line is
 * +1.16 eV at 400 °C, +1.06 eV at 450 °C and +0.97 eV at 500 °C (Ni/NiO at 500 °C needs p_O2 ≈ 3e-23
 * bar), so the offset must lie in (−1.16, −0.97) eV; −1.05 eV opens the gate at ≈ 457 °C, inside the
 * MODEL.md prior (0 to −1.5 eV).
 */
export const DEFAULT_NCM_PARAMS: NcmParams = Object.freeze({
  nu_Hz: 1e13,
  o2Release_barrier_eV: 1.45,
  o2ReleaseReference_deltaE_eV: -1.55,
  vOMigrationBulk_barrier_eV: 1.2,
  vOMigrationSurface_barrier_eV: 0.8,
  tmMigrationNearVO_barrier_eV: 1.45,
  tmMigrationBulk_barrier_eV: 2.2,
  tmMigrationCoMn_barrier_eV: 1.95,
  ni3MobilityPenalty_eV: 0.1,
  ni4MobilityPenalty_eV: 0.5,
  surfaceDiffusion_barrier_eV: 1.62,
  apbMigration_barrier_eV: 1.8,
  rockSaltCoarsening_barrier_eV: 2.15,
  ni0Formation_barrier_eV: 2.55,
  liHopDivacancy_barrier_eV: 0.3,
  liHopSingle_barrier_eV: 0.7,
  liHopFloor_eV: 1.3,
  fastRateCap_Hz: 0.05,
  rockSaltExchangeCap_Hz: 1e-3,
  bulkVOFormation_eV: 2.0,
  bondLi_eV: 0.25,
  bondNi_eV: 0.45,
  bondCo_eV: 0.5,
  bondMn_eV: 0.6,
  vOVOAttraction_eV: 0.15,
  exchangeBulk_eV: 0.6,
  exchangeVORelief_eV: 0.3,
  exchangeCoRelief_eV: 0.15,
  tmTmRepulsion_eV: 0.12,
  muO_offset_eV: -1.05,
});

type Key = keyof NcmParams;

/** Unit kind of each parameter (from its suffix). */
function kindOf(key: string): QuantityKind | undefined {
  if (key.endsWith('_eV')) return 'energy';
  if (key.endsWith('_Hz')) return 'frequency';
  return undefined;
}

/** Parameters that may be negative (offsets); every other energy must be ≥ 0. */
const SIGNED: ReadonlySet<string> = new Set(['muO_offset_eV', 'o2ReleaseReference_deltaE_eV']);

/**
 * Aliases accepted in scenario files: the event names of the catalogue (`events.ts`) map to their
 * barrier, so `{ "o2Release": "1.5 eV" }` and `{ "o2Release_barrier_eV": "1.5 eV" }` are the same.
 */
const ALIASES: Readonly<Record<string, Key>> = {
  nu: 'nu_Hz',
  o2Release: 'o2Release_barrier_eV',
  vOMigrationBulk: 'vOMigrationBulk_barrier_eV',
  vOMigrationSurface: 'vOMigrationSurface_barrier_eV',
  tmMigrationNearVO: 'tmMigrationNearVO_barrier_eV',
  tmMigrationBulk: 'tmMigrationBulk_barrier_eV',
  tmMigrationCoMn: 'tmMigrationCoMn_barrier_eV',
  surfaceDiffusion: 'surfaceDiffusion_barrier_eV',
  apbMigration: 'apbMigration_barrier_eV',
  rockSaltCoarsening: 'rockSaltCoarsening_barrier_eV',
  ni0Formation: 'ni0Formation_barrier_eV',
  liHop: 'liHopSingle_barrier_eV',
  muO_offset: 'muO_offset_eV',
};

/** Check a complete parameter set; throws InputError naming the field. Returns it frozen. */
export function validateNcmParams(p: NcmParams, fieldPrefix = 'kinetics.params'): NcmParams {
  for (const key of Object.keys(DEFAULT_NCM_PARAMS) as Key[]) {
    const v = p[key];
    const field = `${fieldPrefix}.${key}`;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(field, v, 'a finite number');
    if ((key === 'nu_Hz' || key === 'fastRateCap_Hz' || key === 'rockSaltExchangeCap_Hz') && !(v > 0)) throw new InputError(field, v, 'an attempt frequency > 0 1/s, e.g. "1e13 Hz"');
    if (kindOf(key) === 'energy' && !SIGNED.has(key) && v < 0) throw new InputError(field, v, 'an energy ≥ 0 eV (barriers and bond energies are non-negative)');
  }
  return Object.freeze({ ...p });
}

/**
 * Parse user overrides (scenario `kinetics.params`, CLI) onto the defaults. Keys are parameter names
 * (`o2Release_barrier_eV`) or event-name aliases (`o2Release`); values are unit strings ("1.5 eV",
 * "140 kJ/mol", "1e13 Hz") or numbers already in the canonical unit. Unknown keys, negative barriers
 * and ν ≤ 0 throw InputError naming the field. Nothing is mutated.
 *
 * @example parseNcmOverrides({ o2Release: '1.5 eV', nu_Hz: '1e12 Hz' }).o2Release_barrier_eV // 1.5
 */
export function parseNcmOverrides(overrides: Readonly<Record<string, unknown>> | undefined, base: NcmParams = DEFAULT_NCM_PARAMS, fieldPrefix = 'kinetics.params'): NcmParams {
  const out: Record<string, number> = { ...base };
  if (overrides === undefined || overrides === null) return validateNcmParams(out as unknown as NcmParams, fieldPrefix);
  if (typeof overrides !== 'object' || Array.isArray(overrides)) throw new InputError(fieldPrefix, overrides, 'an object of parameter → value with unit');
  const known = Object.keys(DEFAULT_NCM_PARAMS);
  for (const [rawKey, raw] of Object.entries(overrides)) {
    const field = `${fieldPrefix}.${rawKey}`;
    const key: string | undefined = known.includes(rawKey) ? rawKey : ALIASES[rawKey];
    if (key === undefined) {
      throw new InputError(field, rawKey, `one of the event names ${Object.keys(ALIASES).join(', ')} or parameters ${known.join(', ')}`);
    }
    const kind = kindOf(key)!;
    if (typeof raw !== 'string' && typeof raw !== 'number') throw new InputError(field, raw, `a ${kind} with a unit`);
    out[key] = parseQuantity(raw, kind, field);
  }
  return validateNcmParams(out as unknown as NcmParams, fieldPrefix);
}
