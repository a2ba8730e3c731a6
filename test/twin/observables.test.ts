import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { Region, SiteRole, Species, isTransitionMetal } from '../../src/lattice/index.js';
import { computeObservables, loadScenario, regionMasks } from '../../src/twin/index.js';
import { buildScenarioLamella } from '../../src/twin/run/structure.js';

const scenario = loadScenario('tiny');
const lamella = buildScenarioLamella(scenario, 3);
const lat = lamella.lattice;

describe('observables of a species snapshot', () => {
  it('the as-built lamella: TM on Li sites equals the Ni-on-Li mixing (3 %) over all Li-layer sites, no V_O, rock-salt order 0', () => {
    const { observables: o } = computeObservables(lamella, lat.species);
    let li = 0;
    let tmLi = 0;
    for (let t = 0; t < lat.n; t++) {
      if (lat.species[t] === Species.VOID || lat.role[t] !== SiteRole.LI_LAYER) continue;
      li++;
      if (isTransitionMetal(lat.species[t]!)) tmLi++;
    }
    expect(tmLi / li).toBeCloseTo(scenario.structure.niOnLi, 2);
    expect(o['vO.rim']).toBe(0);
    expect(o['rockSalt.rim']).toBe(0);
    expect(o['rockSalt.bulk']).toBe(0);
    expect(o['ni0.all']).toBe(0);
    expect(o.poreArea_A2).toBeGreaterThan(0);
  });

  it('shuffling all cations over all cation sites (a disordered rock salt) gives rock-salt order ≈ 1 and TM on Li ≈ the TM share of cations', () => {
    const { contrast } = computeObservables(lamella, lat.species);
    const sp = lat.species.slice();
    const cat: number[] = [];
    for (let t = 0; t < lat.n; t++) if (sp[t] !== Species.VOID && lat.role[t] !== SiteRole.ANION) cat.push(t);
    const r = Rng.stream(11);
    const vals = cat.map((t) => sp[t]!);
    for (let i = vals.length - 1; i > 0; i--) {
      const j = Math.floor(r.uniform() * (i + 1));
      [vals[i], vals[j]] = [vals[j]!, vals[i]!];
    }
    cat.forEach((t, i) => (sp[t] = vals[i]!));
    const tmShare = vals.filter(isTransitionMetal).length / vals.length;
    const { observables: o } = computeObservables(lamella, sp, contrast);
    expect(o['rockSalt.rim']!).toBeGreaterThan(0.8);
    expect(Math.abs(o['tmOnLi.rim']! - tmShare)).toBeLessThan(0.12);
  });

  it('V_O fraction counts O vacancies per anion site of the region', () => {
    const sp = lat.species.slice();
    let anions = 0;
    let made = 0;
    for (let t = 0; t < lat.n; t++) {
      if (sp[t] === Species.VOID || lat.role[t] !== SiteRole.ANION || !(lamella.region[t]! & Region.PORE_RIM)) continue;
      anions++;
      if (anions % 4 === 0) {
        sp[t] = Species.VAC_O;
        made++;
      }
    }
    expect(computeObservables(lamella, sp).observables['vO.rim']).toBeCloseTo(made / anions, 12);
  });

  it('region masks: the rim is an annulus outside the pore, the APB zone lies on one side of the boundary, bulk is disjoint from both', () => {
    const g = { width: 60, height: 50, sampling_A: lat.cell_A[0] / 60, samplingY_A: lat.cell_A[1] / 50, origin_A: [0, 0] as const };
    const m = regionMasks(lamella, g);
    const zc = lat.cell_A[2] / 2;
    let rim = 0;
    for (let k = 0; k < m.rim.length; k++) {
      if (!m.rim[k]) continue;
      rim++;
      const x = (k % 60) * g.sampling_A;
      const y = Math.floor(k / 60) * g.samplingY_A;
      expect(lamella.pore!.inside(x, y, zc, 0)).toBe(false);
      expect(m.bulk[k]).toBe(0);
    }
    expect(rim).toBeGreaterThan(20);
    const sides = new Set<number>();
    for (let k = 0; k < m.apb.length; k++) if (m.apb[k]) sides.add(Math.sign(lamella.apb!.distance_A((k % 60) * g.sampling_A, Math.floor(k / 60) * g.samplingY_A, zc)));
    expect(sides.size).toBe(1);
  });
});
