// The damage read-out's geometry: distance below the initial surfaces and the equivalent thickness
// of a rock-salt layer; runtime ~1 s.
import { describe, expect, it } from 'vitest';
import { buildLamella } from '../../../src/lattice/index.js';
import { Species } from '../../../src/lattice/species.js';
import { damageGeometry, damageOfFrame, distanceToSources_A, DEPTH_BIN_A } from '../../../src/twin/dry/damage.js';
import { fromSiteLattice } from '../../../src/kinetics/ncm/index.js';

const lamella = buildLamella({ size_A: [50, 40], thickness_A: 30, pore: { radius_A: [12, 9, 9] }, apb: null, pbc: [true, true, false], seed: 3 });
const lat = fromSiteLattice(lamella.lattice);
const box = { cell_A: lamella.lattice.cell_A, pbc: lamella.lattice.pbc };
const sp = lamella.lattice.species;
const P = lat.positions_A;

/** Brute force: min-image distance from site s to the nearest void site, Å. */
function bruteDistance(s: number, voids: readonly number[]): number {
  let best = Infinity;
  for (const v of voids) {
    let q = 0;
    for (let c = 0; c < 3; c++) {
      let x = P[3 * s + c]! - P[3 * v + c]!;
      if (box.pbc[c]) x -= box.cell_A[c]! * Math.round(x / box.cell_A[c]!);
      q += x * x;
    }
    best = Math.min(best, q);
  }
  return Math.sqrt(best);
}

describe('damage geometry', () => {
  const voids: number[] = [];
  for (let s = 0; s < lat.n; s++) if (sp[s] === Species.VOID) voids.push(s);
  const brute = new Float64Array(lat.n);
  for (let s = 0; s < lat.n; s++) brute[s] = sp[s] === Species.VOID ? 0 : bruteDistance(s, voids);

  it('the graph distance transform gives the minimum-image Euclidean distance to the pore: never below it, within 0.6 Å everywhere, mean error < 0.01 Å', () => {
    const d = distanceToSources_A(lat, (s) => sp[s] === Species.VOID, box);
    let max = 0, sum = 0, n = 0;
    for (let s = 0; s < lat.n; s++) {
      if (sp[s] === Species.VOID) continue;
      expect(d[s]! - brute[s]!).toBeGreaterThan(-1e-9);
      max = Math.max(max, d[s]! - brute[s]!);
      sum += d[s]! - brute[s]!;
      n++;
    }
    expect(max).toBeLessThan(0.6);
    expect(sum / n).toBeLessThan(0.01);
  });

  it('a rock-salt layer of true thickness D below the pore reads D within one depth bin, for D = 2 … 10 Å; the as-built lamella reads ≈ 0', () => {
    const g = damageGeometry(lat, sp, box, 10);
    expect(g.hasPore).toBe(true);
    expect(g.hasFaces).toBe(true);
    // Half a first-shell bond is the depth of the outermost layer (damage.ts).
    for (const D of [2, 4, 6, 8, 10]) {
      const v = damageOfFrame(g, lat, sp, undefined, (s) => brute[s]! - 2.031 / 2 < D);
      expect(Math.abs(v.rimRockSaltDepth_A - D), `D = ${D}: ${v.rimRockSaltDepth_A}`).toBeLessThan(DEPTH_BIN_A);
    }
    const none = damageOfFrame(g, lat, sp, undefined);
    expect(none.rimRockSaltDepth_A).toBeLessThan(0.3);
    expect(Number.isNaN(none.oxygenLoss_molPct)).toBe(true); // no observables: not read
  });

  it('a layer below the free faces reads in surfaceRockSaltDepth_A; O loss, TM on Li and Ni⁰ come from the one observable set (vO.all, tmOnLi.rim, ni0.all) in %', () => {
    const g = damageGeometry(lat, sp, box, 10);
    const zs: number[] = [];
    for (let s = 0; s < lat.n; s++) if (sp[s] !== Species.VOID) zs.push(P[3 * s + 2]!);
    const lo = Math.min(...zs), hi = Math.max(...zs);
    const v = damageOfFrame(g, lat, sp, undefined, (s) => Math.min(P[3 * s + 2]! - lo, hi - P[3 * s + 2]!) < 3.5);
    expect(v.surfaceRockSaltDepth_A).toBeGreaterThan(2.5);
    expect(v.surfaceRockSaltDepth_A).toBeLessThan(6.5);
    const o = damageOfFrame(g, lat, sp, { 'vO.all': 0.012, 'tmOnLi.rim': 0.25, 'ni0.all': 0.003 });
    expect(o.oxygenLoss_molPct).toBeCloseTo(1.2, 12);
    expect(o.rimTmOnLi_pct).toBeCloseTo(25, 12);
    expect(o.ni0_pct).toBeCloseTo(0.3, 12);
  });
});
