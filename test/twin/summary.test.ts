import { describe, expect, it } from 'vitest';
import { detectOnsets, seedChecks } from '../../src/twin/index.js';

const temps = Array.from({ length: 33 }, (_, i) => 298.15 + Math.min(475, 15 * i));
const step = (T: number, onset_C: number, h: number) => (T - 273.15 >= onset_C - 1e-9 ? h : 0);

describe('onsets and checks against the seed', () => {
  it('an onset is the first frame whose rise over RT meets the threshold, interval-censored by the previous frame', () => {
    const obs = temps.map((T) => ({ 'tmOnLi.rim': 0.03 + step(T, 175, 0.06) }));
    const o = detectOnsets(temps, obs).find((x) => x.stage === 'liSiteRim')!;
    expect(o.onset_C).toBe(175);
    expect(o.after_C).toBe(160);
    // A rise just below the threshold (0.05) is not an onset.
    const below = detectOnsets(temps, temps.map((T) => ({ 'tmOnLi.rim': 0.03 + step(T, 175, 0.049) }))).find((x) => x.stage === 'liSiteRim')!;
    expect(below.onset_C).toBeNull();
    expect(below.note).toBe('not reached');
  });

  it('passes the seed windows (rim 175 ± 15 °C, facets ≤ 240 °C, APB after the rim, Ni⁰ ≥ 450 °C) and says by how much a stage misses', () => {
    const good = temps.map((T) => ({ 'tmOnLi.rim': step(T, 175, 0.1), roughness003_A: 2 + step(T, 220, 1.5), 'tmOnLi.apb': step(T, 235, 0.1), 'ni0.all': step(T, 475, 0.02) }));
    const c = seedChecks(detectOnsets(temps, good));
    expect(c.map((x) => [x.stage, x.pass])).toEqual([['liSiteRim', true], ['facets', true], ['liSiteApb', true], ['ni0Li2O', true]]);
    const bad = temps.map((T) => ({ 'tmOnLi.rim': step(T, 220, 0.1), roughness003_A: 2 + step(T, 220, 1.5), 'tmOnLi.apb': step(T, 175, 0.1), 'ni0.all': step(T, 400, 0.02) }));
    const d = seedChecks(detectOnsets(temps, bad));
    const rim = d.find((x) => x.stage === 'liSiteRim')!;
    expect(rim.pass).toBe(false);
    expect(rim.note).toMatch(/misses the window by 30 K/);
    expect(d.find((x) => x.stage === 'liSiteApb')!.pass).toBe(false);
    const ni = d.find((x) => x.stage === 'ni0Li2O')!;
    expect(ni.pass).toBe(false);
    expect(ni.note).toMatch(/by -50 K/);
  });

  it('stages whose observable the run does not compute are n/a, not failures', () => {
    const c = seedChecks(detectOnsets(temps, temps.map(() => ({ 'tmOnLi.rim': 0 }))));
    expect(c.find((x) => x.stage === 'facets')!.pass).toBeNull();
  });
});
