/**
 * The seed acceptance test, through the forward model `simulateScenario` (the path `run` and `kmc` take):
 * the seed scenario (scenarios/seed-insitu-heating.yaml: NCM851005, [210], a nanopore with an APB at its
 * edge, periodic along the beam, 0.1 °C/s, 15 °C steps, 5 min holds, 1.2e-5 Pa, default parameters) at
 * CI size (4.8 × 4.8 nm, 2.8 nm deep, pore r = 1.2 nm; bulk ≥ 10 Å from pore and APB), to 325 °C, four
 * replicas pooled frame by frame. Onsets are read with the one rule table (src/twin/timeline/onsets.ts):
 * TM on Li-layer sites rises above RT by max(3σ binomial over the pooled sites, 2 points).
 * The fidelity table (src/twin/timeline/fidelity.ts) is checked for the stages this size resolves,
 * within one seed step (±15 K) of the seed, pooled over the 4 replicas (issue 14; the full-size table is
 * in bench/RESULTS.md). Every replica is imaged (incoherent HAADF at the seed's dose, drift and scan noise)
 * and each acquired frame read by the column analysis, for the image-derived onsets. ~60–90 s on 2 cores.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/index.js';
import { Species } from '../../src/lattice/species.js';
import { KmcEngine } from '../../src/kinetics/engine.js';
import { TemperatureProgram } from '../../src/kinetics/program.js';
import { buildNcmBox } from '../../src/kinetics/ncm/box.js';
import { NcmModel } from '../../src/kinetics/ncm/model.js';
import { DEFAULT_NCM_PARAMS } from '../../src/kinetics/ncm/params.js';
import { fidelityTable, simulateScenario } from '../../src/twin/index.js';
import { ciSeedScenario } from '../twin/scenarios.js';

const C = (T_K: number) => T_K - 273.15;

describe('seed protocol (25 → 325 °C) on the CI-size seed lamella, default parameters, 4 replicas pooled (simulateScenario)', async () => {
  const r = await simulateScenario(ciSeedScenario('325 degC'), { replicates: 4, keepSpecies: false, images: 'acquired', imageReplicas: 4 });
  const onset = (stage: string) => r.onsets.find((o) => o.stage === stage)!;
  const at = (k: string) => r.frames.map((f) => f.observables[k]!);

  it('TM on Li sites at the pore rim first rises above its RT baseline between 160 and 190 °C (seed: ~175 °C)', () => {
    const on = onset('liSiteRim').onset_C;
    expect(on).not.toBeNull();
    expect(on!).toBeGreaterThanOrEqual(160 - 1e-9);
    expect(on!).toBeLessThanOrEqual(190 + 1e-9);
    expect(onset('liSiteRim').perReplica_C).toHaveLength(4);
  });

  it('the APB zone does not transform before the rest of the rim (seed: ~225 °C vs ~175 °C)', () => {
    const rim = onset('liSiteRim').onset_C!;
    const apb = onset('liSiteApb').onset_C;
    expect(apb === null || apb >= rim).toBe(true);
  });

  // At CI size the "bulk" is only ≥ 10 Å from the pore (a 4.8 nm periodic cell): the transformation front
  // reaches it at 235–250 °C (TM on Li +0.02 there, against +0.37 at the rim; issue 9 note). So: no bulk
  // onset by the rule table before 220 °C, and below 250 °C the bulk's rise stays under a fifth of the
  // rim's (transformation confined to the pore boundary, seed: rock salt at the pore boundary at ~250 °C,
  // through the grain only at ~400 °C). rockSalt ≈ 2·x_L (x_M + x_L ≈ 1), so its threshold is twice TM-on-Li's.
  it('the bulk lags the rim: no detectable change by 220 °C, under a fifth of the rim\'s rise below 250 °C, V_O below 1 %', () => {
    expect(r.counts['tmOnLi.bulk']!).toBeGreaterThan(100);
    const tm = at('tmOnLi.bulk');
    const rim = at('tmOnLi.rim');
    const vo = at('vO.bulk');
    const rs = at('rockSalt.bulk');
    const n = r.counts['tmOnLi.bulk']! * 4;
    const b = tm[0]!;
    const thr = Math.max(0.02, 3 * Math.sqrt((Math.max(b, 1 / n) * (1 - b)) / n));
    r.frames.forEach((f, i) => {
      if (C(f.temperature_K) >= 250) return;
      expect(vo[i]!).toBeLessThan(0.01);
      expect(tm[i]! - b).toBeLessThanOrEqual(Math.max(thr, 0.2 * (rim[i]! - rim[0]!)));
      if (C(f.temperature_K) > 220) return;
      expect(tm[i]! - b).toBeLessThanOrEqual(thr);
      expect(Math.abs(rs[i]! - rs[0]!)).toBeLessThanOrEqual(2 * thr);
    });
  });

  it('the pore boundary reconstructs before ~225 °C: its projected area grows (seed: other pores grow at ~200 °C)', () => {
    const on = onset('poreGrowth').onset_C;
    expect(on).not.toBeNull();
    expect(on!).toBeLessThanOrEqual(225);
  });

  it('oxygen leaves only as O2 at the pore, and no Ni metal forms below the Ni/NiO line', () => {
    expect(r.events.o2Released).toBeGreaterThan(0);
    const last = r.frames.at(-1)!.observables;
    expect(last['vO.rim']!).toBeGreaterThan(last['vO.bulk']!);
    for (const f of r.frames) for (const q of ['rim', 'apb', 'bulk', 'all']) expect(f.observables[`ni0.${q}`]).toBe(0);
    expect(r.events.byKind.ni0Formation).toBe(0);
  });

  // What CI size resolves (issue 14), on the model as it stands, pooled over 4 replicas: the rim onset within one
  // seed step (±15 K) and the APB still in place past the run's end (325 °C, seed: to ~275 °C), with the APB zone
  // not before the rest of the rim. Measured at this size and NOT reproduced by today's kinetics (so not asserted;
  // the fidelity table reports them): rock salt at the rim 205 °C (seed ~250: early by 45 K) and TM depletion
  // 250 °C (seed ~300: early by 50 K). Not resolved at this size: pore growth (the 1.2 nm pore: 5 % of its projected
  // area is under one column), facets (too few boundary segments), the APB zone's 40–60 K lag (a few dozen Li-layer
  // sites), bulk rock salt (~400 °C) and Ni⁰ (~500 °C), beyond the run's end. The full-size table is in
  // bench/RESULTS.md ("Seed timeline").
  it('fidelity at CI size: the rim onset within ±15 K of the seed; the APB holds to the end (325 °C); the APB zone not before the rim; every seed stage reported', () => {
    const rows = fidelityTable(r.onsets);
    const row = (stage: string) => rows.find((x) => x.stage === stage)!;
    expect(row('liSiteRim').withinStep, `liSiteRim: ${row('liSiteRim').status}`).toBe(true);
    expect(row('apbLoss')).toMatchObject({ seedStage: 'apbStable', withinStep: true });
    expect(row('liSiteApb').onset_C!).toBeGreaterThanOrEqual(row('liSiteRim').onset_C!);
    // TM enrichment at the pore boundary (seed ~325 °C) is read (its observable is computed), whatever its onset
    expect(row('tmEnriched').status).toMatch(/^(within one step|early by [\d.]+ K|late by [\d.]+ K|not reached)$/);
    // A stage the model reaches early is reported as such, with its offset, never as a match.
    for (const stage of ['rockSaltRim', 'tmDepleted']) expect(row(stage).status).toMatch(/^(within one step|early by [\d.]+ K|late by [\d.]+ K)$/);
  });

  // Issue 14, Must show: the image-derived rim onset (liSiteRimImage: the column analysis' Li-site/M-site ratio of
  // the rim, pooled over the 4 imaged replicas, max(0.01, 3 SE) held two frames) within one seed step (±15 K) of
  // the KMC rim onset, and no image onset below 100 °C: neither pooled nor any replica's own (each read with its
  // own baseline scatter, as a run with that one imaged replica reads it). Measured (seed 20251124): KMC
  // 160 °C, image 175 °C (rise 0.035 against a threshold 0.016 there).
  it('the image rim onset lies within one step (15 K) of the KMC rim onset', () => {
    const kmc = onset('liSiteRim').onset_C, img = onset('liSiteRimImage').onset_C;
    expect(kmc).not.toBeNull();
    expect(img, 'image rim onset').not.toBeNull();
    expect(Math.abs(img! - kmc!)).toBeLessThanOrEqual(15 + 1e-9);
  });
  // Each imaged replica's own image onset is what a run with that one imaged series reads (a microscopist's one
  // series; `run`'s default): the noise is the replica's own baseline scatter, √2·s over the frames before the onset
  // (at least 4). Statistic: the median of the 4 replicas' own image rim onsets; tolerance one seed step (15 K)
  // from the pooled KMC rim onset. Measured (seed 20251124, 2026-12-07): KMC 160 °C, replicas' own image rim
  // onsets 175, 175, 160, 175 °C (median 175); with the frame's strip-to-strip SE as the noise (main 92ff6be) they
  // read 205, 205, 205, 205 °C (+45 K: this fails). The pooled image onsets are the same bytes either way.
  it('one imaged series: the median of the replicas\' own image rim onsets lies within one step (15 K) of the KMC rim onset', () => {
    const kmc = onset('liSiteRim').onset_C!;
    const own = onset('liSiteRimImage').perReplica_C!;
    expect(own.every((t) => t !== null), `replicas' image rim onsets ${own.join(', ')}`).toBe(true);
    const sorted = (own as number[]).slice().sort((a, b) => a - b);
    const median = (sorted[1]! + sorted[2]!) / 2;
    expect(Math.abs(median - kmc), `KMC ${kmc} °C, replicas' image rim onsets ${own.join(', ')} °C`).toBeLessThanOrEqual(15 + 1e-9);
  });
  it('no image onset below 100 °C, pooled or in any replica', () => {
    for (const o of r.onsets.filter((x) => x.stage.endsWith('Image'))) {
      expect(o.perReplica_C).toHaveLength(4);
      for (const t of [o.onset_C, ...o.perReplica_C!]) if (t !== null) expect(t, o.stage).toBeGreaterThanOrEqual(100);
    }
  });
});

describe('Ni⁰ + Li2O only where Δμ_O,eff is below the Ni/NiO line (gate at ≈ 457 °C with the default offset)', () => {
  /** A reduced box (30 % of the O gone, all Ni as Ni²⁺) held at T for 5 min. */
  function ni0After(T_K: number): number {
    const box = buildNcmBox({ size: [12, 12, 8], poreRadii: [3, 3, 2], seed: 2 });
    const sp = box.species;
    const rng = Rng.stream(4);
    for (let s = 0; s < sp.length; s++) {
      if (sp[s] === Species.O && rng.uniform() < 0.3) sp[s] = Species.VAC_O;
      if (sp[s] === Species.NI3) sp[s] = Species.NI2;
    }
    const model = new NcmModel({ lattice: box.lattice, species: sp, params: { ...DEFAULT_NCM_PARAMS, fastRateCap_Hz: 1e-3 }, pO2_Pa: 1.2e-5, temperature_K: T_K });
    const engine = new KmcEngine(model, TemperatureProgram.hold({ temperature_K: T_K, duration_s: 300 }), { rng: Rng.stream(5) });
    engine.run();
    return model.species.filter((s) => s === Species.NI0).length;
  }

  it('none at 440 °C, some at 490 °C', () => {
    expect(ni0After(713.15)).toBe(0);
    expect(ni0After(763.15)).toBeGreaterThan(0);
  });
});
