/**
 * The one observable set (src/kinetics/ncm/observables.ts) on a scenario lamella, and the regions in
 * pixels painted from the sites' regions (src/twin/profile/regions.ts). ~1 s.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { Region, computeObservables, flattenObservables } from '../../src/kinetics/ncm/index.js';
import { SiteRole, Species, isTransitionMetal } from '../../src/lattice/index.js';
import { loadScenario, prepareLamella, regionMasks } from '../../src/twin/index.js';

const scenario = loadScenario('tiny');
const { lamella, lattice, region } = prepareLamella(scenario.structure, scenario.regions, 3);
const lat = lamella.lattice;
const obs = (sp: Uint8Array) => flattenObservables(computeObservables(lattice, sp, region));

describe('observables of a species snapshot', () => {
  it('the as-built lamella: TM on Li sites over all matter equals the Ni-on-Li mixing (3 %), no V_O, rock-salt order = the mixing term 2x/(x_M + x_L)', () => {
    const { values: o, counts } = obs(lat.species);
    let li = 0;
    let tmLi = 0;
    for (let t = 0; t < lat.n; t++) {
      if (lat.species[t] === Species.VOID || lat.role[t] !== SiteRole.LI_LAYER) continue;
      li++;
      if (isTransitionMetal(lat.species[t]!)) tmLi++;
    }
    expect(o['tmOnLi.all']).toBeCloseTo(tmLi / li, 12);
    expect(counts['tmOnLi.all']).toBe(li);
    expect(tmLi / li).toBeCloseTo(scenario.structure.niOnLi, 2);
    expect(o['vO.rim']).toBe(0);
    // x_L = m, x_M = 1 − m (lithiated, exact stoichiometry): 1 − (1 − 2m)/1 = 2m.
    expect(o['rockSalt.all']).toBeCloseTo(2 * (tmLi / li), 2);
    expect(o['ni0.all']).toBe(0);
    expect(o.poreArea_A2).toBeGreaterThan(0);
  });

  it('shuffling all cations over all cation sites (a disordered rock salt) gives rock-salt order ≈ 1 and TM on Li ≈ the TM share of cations', () => {
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
    const { values: o } = obs(sp);
    expect(o['rockSalt.all']!).toBeGreaterThan(0.9);
    expect(o['rockSalt.rim']!).toBeGreaterThan(0.7);
    expect(Math.abs(o['tmOnLi.all']! - tmShare)).toBeLessThan(0.03);
  });

  it('moving TM out of the rim (depletion without disorder) leaves its rock-salt order at the layered value and raises tmDepletion', () => {
    const sp = lat.species.slice();
    // Replace a third of the rim's M-layer TM by cation vacancies: TM per cation site drops, layering stays.
    let k = 0;
    for (let t = 0; t < lat.n; t++) if (region[t] === Region.RIM && lat.role[t] === SiteRole.M_LAYER && isTransitionMetal(sp[t]!) && k++ % 3 === 0) sp[t] = Species.VAC_CATION;
    const before = obs(lat.species).values;
    const after = obs(sp).values;
    expect(Math.abs(after['rockSalt.rim']! - before['rockSalt.rim']!)).toBeLessThan(0.03);
    expect(after['tm.rim']!).toBeLessThan(before['tm.rim']! - 0.1);
  });

  it('V_O fraction counts O vacancies per anion site of the region', () => {
    const sp = lat.species.slice();
    let anions = 0;
    let made = 0;
    for (let t = 0; t < lat.n; t++) {
      if (sp[t] === Species.VOID || lat.role[t] !== SiteRole.ANION || region[t] !== Region.RIM) continue;
      anions++;
      if (anions % 4 === 0) {
        sp[t] = Species.VAC_O;
        made++;
      }
    }
    const { values, counts } = obs(sp);
    expect(values['vO.rim']).toBeCloseTo(made / anions, 12);
    expect(counts['vO.rim']).toBe(anions);
  });
});

describe('regions in pixels: the sites\u2019 regions painted at mid-depth (one region definition)', () => {
  const g = { width: 75, height: 62, sampling_A: lat.cell_A[0] / 75, samplingY_A: lat.cell_A[1] / 62, origin_A: [0, 0] as const };
  const m = regionMasks(lamella, region, g);
  const zc = lat.cell_A[2] / 2;
  const at = (k: number): [number, number] => [(k % g.width) * g.sampling_A, Math.floor(k / g.width) * g.samplingY_A];

  it('the rim is an annulus outside the pore; rim, APB zone and bulk are disjoint', () => {
    let rim = 0;
    for (let k = 0; k < m.rim.length; k++) {
      expect(m.rim[k]! + m.apb[k]! + m.bulk[k]!).toBeLessThanOrEqual(1);
      if (!m.rim[k]) continue;
      rim++;
      const [x, y] = at(k);
      expect(lamella.pore!.inside(x, y, zc, -1)).toBe(false);
      expect(lamella.pore!.inside(x, y, zc, 10)).toBe(true);
    }
    expect(rim).toBeGreaterThan(100);
  });

  it('the APB zone keeps one antiphase domain only: the side across the boundary from the pore', () => {
    const sides = new Set<number>();
    for (let k = 0; k < m.apb.length; k++) if (m.apb[k]) sides.add(Math.sign(lamella.apb!.distance_A(...at(k), zc)));
    expect(sides.size).toBe(1);
    const poreSide = Math.sign(lamella.apb!.distance_A(lamella.pore!.centre_A[0], lamella.pore!.centre_A[1], zc));
    expect([...sides][0]).toBe(-poreSide);
  });
});
