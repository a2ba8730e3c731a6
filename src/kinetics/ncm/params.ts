/**
 * Parameters of the NCM event model (MODEL.md §3–4): ONE table (`PARAMETER_TABLE`) with, per row, the
 * public name, the field of `NcmParams` (unit in its name), the unit, the default, the prior range and its
 * scale (linear or log) where the parameter is fitted, the source, and the event kind whose rate it sets.
 * Everything else is generated from it: `DEFAULT_NCM_PARAMS`, the names `parseNcmOverrides` accepts,
 * the scenario's `kinetics.barriers` keys (`BARRIER_NAMES`), and the fitting space (`parameterSpace`).
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
import { EventKind, type EventKindId } from './events.js';

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
  /**
   * In-plane TM ↔ Li exchange within one layer type (antisite hop through the shared tetrahedral site, and the
   * exchanges inside rock salt), eV (1.8: MODEL.md gives none; the same in-plane path as APB migration).
   */
  readonly inPlaneExchange_barrier_eV: number;
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
  /** Offset added to the nominal Δμ_O (reducing column: residual H2/H2O, C, beam), eV (−1.05; prior 0 to −1.5). */
  readonly muO_offset_eV: number;
}


/** What a parameter is, for grouping in docs and the scenario schema. */
export type ParameterGroup = 'prefactor' | 'barrier' | 'oxygen' | 'energy' | 'numerics';

/** One row of the parameter table. */
export interface ParameterRow {
  /** Public name: scenario files (`kinetics.barriers`), fit parameter spaces, CLI overrides. */
  readonly name: string;
  /** Field of `NcmParams` it sets (the unit is in the name). */
  readonly key: keyof NcmParams;
  /** Unit of `default` and `prior` ('eV' or '1/s'). */
  readonly unit: 'eV' | '1/s';
  readonly group: ParameterGroup;
  readonly default: number;
  /** Prior range [low, high] in `unit` where the parameter is fitted; absent: held at its default. */
  readonly prior?: readonly [number, number];
  /** Scale of the prior (and of any sampling): 'log' for ν, 'linear' for energies. */
  readonly scale: 'linear' | 'log';
  /** May be negative (offsets, reference energies); every other energy is ≥ 0 and every frequency > 0. */
  readonly signed?: boolean;
  /** The event kind whose rate it sets (EventKind id), if it is one event's barrier. */
  readonly event?: EventKindId;
  /** Where the value comes from. */
  readonly source: string;
}

type RowSpec = Omit<ParameterRow, 'key' | 'unit' | 'scale'> & { readonly scale?: 'linear' | 'log' };

const M4 = 'MODEL.md §4 table';
/**
 * The table (one entry per `NcmParams` field: TypeScript checks the table is complete). Row order is
 * the order of summaries and of the fitting space.
 *
 * `muOOffset = −1.05 eV`: the seed sees polycrystalline rock salt but no Ni metal at ~400 °C and
 * Ni + Li2O at ~500 °C, so Δμ_O,eff must cross the Ni/NiO line (Δμ_O(T, p0) + ΔfG°(NiO, T),
 * ΔfG° ≈ −239.7 + 0.0945·T kJ/mol) between them. At the nominal 1.2e-5 Pa the gap Δμ_O − line is
 * +1.16 eV at 400 °C, +1.06 eV at 450 °C and +0.97 eV at 500 °C (Ni/NiO at 500 °C needs p_O2 ≈ 3e-23
 * bar), so the offset must lie in (−1.16, −0.97) eV; −1.05 eV opens the gate at ≈ 457 °C, inside the
 * MODEL.md prior (0 to −1.5 eV).
 */
const ROWS: { readonly [K in keyof NcmParams]: RowSpec } = {
  nu_Hz: { name: 'nu', group: 'prefactor', default: 1e13, prior: [1e12, 1e14], scale: 'log', source: 'MODEL.md §4 (ν = 1e13 1/s, prior 1e12–1e14); Ea and ν compensate for one programme (MODEL.md §6)' },
  o2Release_barrier_eV: { name: 'o2Release', group: 'barrier', default: 1.45, prior: [1.2, 1.8], event: EventKind.O2_RELEASE, source: `${M4}: O2 release from two under-coordinated O at a pore (~175 °C onset); BEP α = ½ (physics-literature.md §5)` },
  o2ReleaseReference_deltaE_eV: { name: 'o2ReleaseReference', group: 'oxygen', default: -1.55, signed: true, event: EventKind.O2_RELEASE, source: '10 % quantile of ΔE over exposed O pairs at the pore of the default box at 175 °C, 1.2e-5 Pa (test/kinetics/ncm-model.test.ts): the 1.45 eV anchor belongs to the weakest-bound tenth' },
  vOMigrationBulk_barrier_eV: { name: 'vOMigrationBulk', group: 'barrier', default: 1.2, prior: [0.9, 1.4], event: EventKind.VO_MIGRATION, source: `${M4}: V_O migration, bulk` },
  vOMigrationSurface_barrier_eV: { name: 'vOMigrationSurface', group: 'barrier', default: 0.8, event: EventKind.VO_MIGRATION, source: `${M4}: V_O migration, surface (no prior given)` },
  tmMigrationNearVO_barrier_eV: { name: 'tmMigrationNearVO', group: 'barrier', default: 1.45, prior: [1.2, 1.7], event: EventKind.TM_MIGRATION, source: `${M4}: Ni²⁺ (M layer) → Li-layer octahedron via the tetrahedral site, next to V_O` },
  tmMigrationBulk_barrier_eV: { name: 'tmMigrationBulk', group: 'barrier', default: 2.2, prior: [2.0, 2.8], event: EventKind.TM_MIGRATION, source: `${M4}: same in lithiated bulk (≥ 2.2 eV)` },
  tmMigrationCoMn_barrier_eV: { name: 'tmMigrationCoMn', group: 'barrier', default: 1.95, prior: [1.85, 2.2], event: EventKind.TM_MIGRATION, source: `${M4}: Co, Mn migration (TM-depleted/enriched 300–325 °C)` },
  ni3MobilityPenalty_eV: { name: 'ni3MobilityPenalty', group: 'energy', default: 0.1, event: EventKind.TM_MIGRATION, source: 'MODEL.md §4 mobility order Ni²⁺ > Ni³⁺ ≫ Ni⁴⁺ (Reed & Ceder 2004)' },
  ni4MobilityPenalty_eV: { name: 'ni4MobilityPenalty', group: 'energy', default: 0.5, event: EventKind.TM_MIGRATION, source: 'MODEL.md §4 mobility order Ni²⁺ > Ni³⁺ ≫ Ni⁴⁺ (Reed & Ceder 2004)' },
  surfaceDiffusion_barrier_eV: { name: 'surfaceDiffusion', group: 'barrier', default: 1.62, prior: [1.5, 1.8], event: EventKind.SURFACE_CATION_DIFFUSION, source: `${M4}: surface cation diffusion (facet reconstruction, ~225 °C)` },
  apbMigration_barrier_eV: { name: 'apbMigration', group: 'barrier', default: 1.8, prior: [1.7, 2.0], event: EventKind.APB_MIGRATION, source: `${M4}: APB migration (APB stable to ~275 °C)` },
  inPlaneExchange_barrier_eV: { name: 'inPlaneExchange', group: 'barrier', default: 1.8, event: EventKind.IN_PLANE_EXCHANGE, source: 'no value in MODEL.md: taken equal to APB migration (the same in-plane exchange through the shared tetrahedral site, one layer type instead of across the boundary); no prior until a source gives one' },
  rockSaltCoarsening_barrier_eV: { name: 'rockSaltCoarsening', group: 'barrier', default: 2.15, prior: [2.0, 2.3], event: EventKind.TM_MIGRATION, source: `${M4}: rock-salt coarsening (~400 °C): TM migration inside an already cation-mixed window` },
  ni0Formation_barrier_eV: { name: 'ni0Formation', group: 'barrier', default: 2.55, prior: [2.4, 2.8], event: EventKind.NI0_FORMATION, source: `${M4}: Ni²⁺ → Ni⁰ + Li2O below the Ni/NiO line (~500 °C)` },
  liHopDivacancy_barrier_eV: { name: 'liHopDivacancy', group: 'barrier', default: 0.3, event: EventKind.LI_HOP, source: `${M4}: Li hop, divacancy (TSHM)` },
  liHopSingle_barrier_eV: { name: 'liHop', group: 'barrier', default: 0.7, event: EventKind.LI_HOP, source: `${M4}: Li hop, single vacancy (ODH)` },
  liHopFloor_eV: { name: 'liHopFloor', group: 'numerics', default: 1.3, event: EventKind.LI_HOP, source: 'rate rescaling of the Li sublattice (Chatterjee & Voter, JCP 132, 194101 (2010)); ΔE untouched' },
  fastRateCap_Hz: { name: 'fastRateCap', group: 'numerics', default: 0.05, source: 'rate rescaling of the fast classes; floor 1.27 eV at 175 °C, so the 1.45 eV onset is not rescaled' },
  rockSaltExchangeCap_Hz: { name: 'rockSaltExchangeCap', group: 'numerics', default: 1e-3, event: EventKind.APB_MIGRATION, source: 'rate cap of in-plane Li ↔ TM exchanges inside rock salt (change no observable); floor above 1.8 eV only from ≈ 290 °C' },
  bulkVOFormation_eV: { name: 'bulkVOFormation', group: 'energy', default: 2.0, prior: [1.5, 2.8], source: `${M4}: bulk V_O formation (ref ½ O2), sets e_O of the bond model` },
  bondLi_eV: { name: 'bondLi', group: 'energy', default: 0.25, source: 'bond model; Li-terminated surfaces cheapest (Cho, Seo, Min, ACS AMI 9, 33257 (2017))' },
  bondNi_eV: { name: 'bondNi', group: 'energy', default: 0.45, source: 'bond model, Ni–O (any Ni ≥ 2+)' },
  bondCo_eV: { name: 'bondCo', group: 'energy', default: 0.5, source: 'bond model, Co–O' },
  bondMn_eV: { name: 'bondMn', group: 'energy', default: 0.6, source: 'bond model, Mn–O strongest (Mn-rich environments retain O)' },
  vOVOAttraction_eV: { name: 'vOVOAttraction', group: 'energy', default: 0.15, prior: [0.1, 0.3], source: 'MODEL.md §4: V_O–V_O attraction along chains (0.1–0.3 eV, Peng et al.; physics-literature §2.2, §5): the prior' },
  exchangeBulk_eV: { name: 'exchangeBulk', group: 'energy', default: 0.6, source: 'MODEL.md §4: Li/Ni exchange energy 0.6 eV in bulk (2–4 % Ni_Li at synthesis)' },
  exchangeVORelief_eV: { name: 'exchangeVORelief', group: 'energy', default: 0.3, source: 'MODEL.md §4: exchange energy 0.1–0.3 eV next to V_O' },
  exchangeCoRelief_eV: { name: 'exchangeCoRelief', group: 'energy', default: 0.15, source: 'MODEL.md §4: exchange energy lowered next to Co' },
  tmTmRepulsion_eV: { name: 'tmTmRepulsion', group: 'energy', default: 0.12, source: 'MODEL.md §4: cation–cation repulsion across shared edges' },
  muO_offset_eV: { name: 'muOOffset', group: 'oxygen', default: -1.05, prior: [-1.5, 0], signed: true, source: 'MODEL.md §3 (prior 0 to −1.5 eV); −1.05 puts the Ni/NiO gate at ≈ 457 °C: Ni at 500 °C, none at 400 °C (seed; see the table doc)' },
};

/** The parameter table, one row per `NcmParams` field (see `ROWS` for the sources). */
export const PARAMETER_TABLE: readonly ParameterRow[] = Object.freeze(
  (Object.keys(ROWS) as (keyof NcmParams)[]).map((key) => {
    const r = ROWS[key];
    return Object.freeze({ ...r, key, unit: key.endsWith('_Hz') ? '1/s' : 'eV', scale: r.scale ?? 'linear' } as ParameterRow);
  }),
);

/** Defaults (generated from the table). */
export const DEFAULT_NCM_PARAMS: NcmParams = Object.freeze(Object.fromEntries(PARAMETER_TABLE.map((r) => [r.key, r.default]))) as unknown as NcmParams;

/** Barrier names a scenario may set under `kinetics.barriers` (the table's 'barrier' rows), eV. */
export const BARRIER_NAMES: readonly string[] = Object.freeze(PARAMETER_TABLE.filter((r) => r.group === 'barrier').map((r) => r.name));

const BY_NAME: ReadonlyMap<string, ParameterRow> = new Map(PARAMETER_TABLE.flatMap((r) => [[r.name, r], [r.key, r]] as [string, ParameterRow][]));

/** The row of a parameter by public name or `NcmParams` field, or undefined. */
export function parameterRow(nameOrKey: string): ParameterRow | undefined {
  return BY_NAME.get(nameOrKey);
}

/** One dimension of the fitting space. */
export interface ParameterDimension {
  readonly name: string;
  readonly key: keyof NcmParams;
  readonly unit: 'eV' | '1/s';
  readonly default: number;
  readonly low: number;
  readonly high: number;
  readonly scale: 'linear' | 'log';
  readonly source: string;
}

/**
 * The fitting space: every row with a prior (or the named ones), with its bounds and scale. A fit draws
 * within [low, high] (uniform in value for 'linear', in log10 for 'log') and passes the draw to
 * `simulateScenario(…, { params: { [name]: value } })`. Unknown or prior-less names are InputErrors.
 *
 * @example parameterSpace(['o2Release', 'tmMigrationNearVO', 'muOOffset', 'nu']).map((d) => [d.name, d.low, d.high])
 */
export function parameterSpace(names?: readonly string[], field = 'parameters'): ParameterDimension[] {
  const rows = names === undefined ? PARAMETER_TABLE.filter((r) => r.prior) : names.map((n, i) => {
    const r = BY_NAME.get(n);
    if (!r) throw new InputError(`${field}[${i}]`, n, `a parameter name: ${PARAMETER_TABLE.map((q) => q.name).join(', ')}`);
    if (!r.prior) throw new InputError(`${field}[${i}]`, n, `a parameter with a prior: ${PARAMETER_TABLE.filter((q) => q.prior).map((q) => q.name).join(', ')}`);
    return r;
  });
  return rows.map((r) => ({ name: r.name, key: r.key, unit: r.unit, default: r.default, low: r.prior![0], high: r.prior![1], scale: r.scale, source: r.source }));
}

/** Check a complete parameter set; throws InputError naming the field. Returns it frozen. */
export function validateNcmParams(p: NcmParams, fieldPrefix = 'kinetics.params'): NcmParams {
  for (const r of PARAMETER_TABLE) {
    const v = p[r.key];
    const field = `${fieldPrefix}.${r.key}`;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(field, v, 'a finite number');
    if (r.unit === '1/s' && !(v > 0)) throw new InputError(field, v, 'a frequency > 0 1/s, e.g. "1e13 Hz"');
    if (r.unit === 'eV' && !r.signed && v < 0) throw new InputError(field, v, 'an energy ≥ 0 eV (barriers and bond energies are non-negative)');
  }
  return Object.freeze({ ...p });
}

const KIND: Record<ParameterRow['unit'], QuantityKind> = { eV: 'energy', '1/s': 'frequency' };

/**
 * Parse user overrides (scenario, `simulateScenario({ params })`, CLI) onto `base`. Keys are the
 * table's public names (`o2Release`, `muOOffset`, `nu`) or `NcmParams` fields (`o2Release_barrier_eV`);
 * values are unit strings ("1.5 eV", "140 kJ/mol", "1e13 Hz") or numbers already in the row's unit
 * (eV, 1/s). Unknown keys, negative barriers and ν ≤ 0 throw InputError naming `fieldPrefix.key`.
 * Nothing is mutated.
 *
 * @example parseNcmOverrides({ o2Release: '1.5 eV', nu: 1e12 }).o2Release_barrier_eV // 1.5
 */
export function parseNcmOverrides(overrides: Readonly<Record<string, unknown>> | undefined, base: NcmParams = DEFAULT_NCM_PARAMS, fieldPrefix = 'kinetics.params'): NcmParams {
  const out: Record<string, number> = { ...base };
  if (overrides === undefined || overrides === null) return validateNcmParams(out as unknown as NcmParams, fieldPrefix);
  if (typeof overrides !== 'object' || Array.isArray(overrides)) throw new InputError(fieldPrefix, overrides, 'an object of parameter → value with unit');
  for (const [rawKey, raw] of Object.entries(overrides)) {
    const field = `${fieldPrefix}.${rawKey}`;
    const row = BY_NAME.get(rawKey);
    if (row === undefined) throw new InputError(field, rawKey, `one of the parameter names ${PARAMETER_TABLE.map((r) => r.name).join(', ')} (or their NcmParams fields)`);
    if (typeof raw === 'number') {
      if (!Number.isFinite(raw)) throw new InputError(field, raw, `a finite number in ${row.unit}`);
      out[row.key] = raw;
    } else if (typeof raw === 'string') out[row.key] = parseQuantity(raw, KIND[row.unit], field);
    else throw new InputError(field, raw, `a ${KIND[row.unit]} with a unit, or a number in ${row.unit}`);
  }
  return validateNcmParams(out as unknown as NcmParams, fieldPrefix);
}
