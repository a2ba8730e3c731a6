import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/index.js';
import { measureKmc } from '../../src/kinetics/index.js';

describe('measureKmc (bench kmc)', () => {
  it('runs vacancy-fcc and reports events, sites and ≤ 64 bytes per site (goal of issue 4; SPPARKS ~210)', async () => {
    const r = await measureKmc({ model: 'vacancy-fcc', sites: 4000, events: 3000 });
    expect(r.sites).toBe(4 * 10 ** 3);
    expect(r.slots).toBe(12 * 40);
    expect(r.events).toBe(3000);
    expect(r.eventsPerSecond).toBeGreaterThan(0);
    expect(r.simulated_s).toBeGreaterThan(0);
    expect(r.bytesPerSite).toBeLessThanOrEqual(64);
    expect(r.bytesPerSite).toBeGreaterThanOrEqual(5); // at least the state byte + the Int32 vacancy id
  });

  it('runs the seed NCM model through the KmcModel interface (createSeedBenchModel, 175 °C)', async () => {
    const r = await measureKmc({ model: 'seed', sites: 1000, events: 200 });
    expect(r.sites).toBe(12 ** 3); // edge ∛1000 = 10 rounds to the multiple of 4 nearest: 12
    expect(r.slots).toBe(12 * 12 ** 3);
    expect(r.events).toBe(200);
    expect(r.simulated_s).toBeGreaterThan(0);
  });

  it('is deterministic: the same seed covers the same simulated time with the same events', async () => {
    const a = await measureKmc({ model: 'vacancy-fcc', sites: 2000, events: 2000, seed: 3 });
    const b = await measureKmc({ model: 'vacancy-fcc', sites: 2000, events: 2000, seed: 3 });
    expect(a.simulated_s).toBe(b.simulated_s);
  });

  it('rejects an unknown model, a site count below 32 and zero events with an InputError naming the option', async () => {
    await expect(measureKmc({ model: 'ising' as 'seed', sites: 1e3, events: 10 })).rejects.toThrow(/--model/);
    await expect(measureKmc({ model: 'vacancy-fcc', sites: 8, events: 10 })).rejects.toThrow(/--sites/);
    await expect(measureKmc({ model: 'vacancy-fcc', sites: 1e3, events: 0 })).rejects.toThrow(InputError);
  });
});
