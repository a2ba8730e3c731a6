import { describe, expect, it } from 'vitest';
import { SiteRole } from '../../src/lattice/index.js';
import { loadScenario, temperatureAt } from '../../src/twin/index.js';
import { lamellaToNcmLattice, scenarioParams, scenarioProgram } from '../../src/twin/run/ncmKmc.js';
import { buildScenarioLamella } from '../../src/twin/run/structure.js';

describe('the NCM kinetics stage adapters', () => {
  const s = loadScenario('seed-insitu-heating');

  it('the kinetics programme is the scenario programme: same duration and T(t) at every acquisition and mid-ramp (±1e-9 K)', () => {
    const p = scenarioProgram(s);
    expect(p.duration_s).toBeCloseTo(s.protocol.duration_s, 6);
    const ts = [...s.protocol.acquisitionTimes_s, 75, 450 + 75, 14000];
    for (const t of ts) expect(p.temperature_K(t)).toBeCloseTo(temperatureAt(s.protocol, t), 9);
  });

  it('scenario barriers, ν and μ_O offset reach the kinetics parameters', () => {
    const t = loadScenario('tiny');
    const mod = { ...t, kinetics: { ...t.kinetics, attemptFrequency_Hz: 1e12, barriers_eV: { o2Release: 1.5 } }, environment: { ...t.environment, muOOffset_eV: -0.9 } };
    const p = scenarioParams(mod);
    expect(p.o2Release_barrier_eV).toBe(1.5);
    expect(p.nu_Hz).toBe(1e12);
    expect(p.muO_offset_eV).toBe(-0.9);
  });

  it('the NcmLattice view of a lamella: cations see 6 anions and 12 cations, half of them in plane, Li-layer flags from the roles', () => {
    const lam = buildScenarioLamella(loadScenario('tiny'), 1);
    const v = lamellaToNcmLattice(lam);
    const lat = lam.lattice;
    expect(v.n).toBe(lat.n);
    let interior = 0;
    for (let t = 0; t < v.n; t++) {
      expect(v.liLayer[t]).toBe(lat.role[t] === SiteRole.LI_LAYER ? 1 : 0);
      const nb1 = Array.from(v.nb1.subarray(6 * t, 6 * t + 6));
      const nb2 = Array.from(v.nb2.subarray(12 * t, 12 * t + 12));
      for (const u of nb1) if (u >= 0) expect(v.isAnion[u]).toBe(1 - v.isAnion[t]!);
      for (const u of nb2) if (u >= 0) expect(v.isAnion[u]).toBe(v.isAnion[t]);
      if (nb2.every((u) => u >= 0)) {
        interior++;
        expect(Array.from(v.nb2InPlane.subarray(12 * t, 12 * t + 12)).reduce((a, b) => a + b, 0)).toBe(6);
      }
    }
    expect(interior).toBeGreaterThan(v.n / 2);
  });
});
