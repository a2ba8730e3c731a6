import { describe, expect, it } from 'vitest';
import { detectOnsets, detectPooledOnsets, loadScenario, seedChecks } from '../../src/twin/index.js';

const temps = Array.from({ length: 33 }, (_, i) => 298.15 + Math.min(475, 15 * i));
const step = (T: number, onset_C: number, h: number) => (T - 273.15 >= onset_C - 1e-9 ? h : 0);
const series = (values: Record<string, number>[], extra = {}) => ({ temperatures_K: temps, values, ...extra });
const targets = loadScenario('seed-insitu-heating').checks.targets;

describe('onsets (the one rule table) and checks against the scenario targets', () => {
  it('an onset is the first frame whose rise over RT exceeds max(3σ binomial, 0.02), interval-censored by the previous frame', () => {
    // 400 Li-layer sites, baseline 0.03: σ = √(0.03·0.97/400) = 0.0085 → threshold 0.0256.
    const counts = { 'tmOnLi.rim': 400 };
    const o = detectOnsets(series(temps.map((T) => ({ 'tmOnLi.rim': 0.03 + step(T, 175, 0.03) })), { counts })).find((x) => x.stage === 'liSiteRim')!;
    expect(o.onset_C).toBe(175);
    expect(o.after_C).toBe(160);
    expect(o.threshold).toBeCloseTo(3 * Math.sqrt((0.03 * 0.97) / 400), 12);
    const below = detectOnsets(series(temps.map((T) => ({ 'tmOnLi.rim': 0.03 + step(T, 175, 0.025) })), { counts })).find((x) => x.stage === 'liSiteRim')!;
    expect(below.onset_C).toBeNull();
    expect(below.note).toBe('not reached');
  });

  it('the binomial threshold follows the pooled site count: a rise of 0.04 over 50 sites is noise (3σ = 0.072), pooled over 8 replicas it is an onset', () => {
    const values = temps.map((T) => ({ 'tmOnLi.rim': 0.03 + step(T, 190, 0.04) }));
    expect(detectOnsets(series(values, { counts: { 'tmOnLi.rim': 50 }, replicas: 1 }))[0]!.onset_C).toBeNull();
    expect(detectOnsets(series(values, { counts: { 'tmOnLi.rim': 50 }, replicas: 8 }))[0]!.onset_C).toBe(190);
  });

  it("a spread rule needs the rise to beat 3 standard errors of the replica spread: one replica's spike cannot make an onset", () => {
    // 4 replicas; at 250 °C one replica jumps by 2.4 (mean rise 0.6 > rockSalt minRise 0.3) but the spread is sd = 1.2.
    const values = temps.map((T) => ({ 'rockSalt.rim': 0.05 + (Math.abs(T - 523.15) < 1 ? 0.6 : 0) }));
    const sd = temps.map((T) => ({ 'rockSalt.rim': Math.abs(T - 523.15) < 1 ? 1.2 : 0 }));
    const rs = (x: ReturnType<typeof detectOnsets>) => x.find((o) => o.stage === 'rockSaltRim')!;
    expect(rs(detectOnsets(series(values, { sd, replicas: 4 }))).onset_C).toBeNull();
    expect(rs(detectOnsets(series(values, { replicas: 4 }))).onset_C).toBe(250);
  });

  it("pooled onsets carry each replica's onset read with the same rule", () => {
    const a = temps.map((T) => ({ 'tmOnLi.rim': step(T, 175, 0.1) }));
    const b = temps.map((T) => ({ 'tmOnLi.rim': step(T, 205, 0.1) }));
    const mean = a.map((x, i) => ({ 'tmOnLi.rim': (x['tmOnLi.rim']! + b[i]!['tmOnLi.rim']!) / 2 }));
    const o = detectPooledOnsets(series(mean, { counts: { 'tmOnLi.rim': 400 }, replicas: 2 }), [a, b])[0]!;
    expect(o.onset_C).toBe(175);
    expect(o.perReplica_C).toEqual([175, 205]);
  });

  it('passes the seed targets (rim 175 ± 15 °C, facets ≤ 240 °C, APB after the rim, Ni⁰ ≥ 450 °C) and says by how much a stage misses', () => {
    const good = temps.map((T) => ({ 'tmOnLi.rim': step(T, 175, 0.1), roughness003_A: 2 + step(T, 220, 1.5), 'tmOnLi.apb': step(T, 235, 0.1), 'ni0.all': step(T, 475, 0.02) }));
    const c = seedChecks(detectOnsets(series(good)), targets);
    expect(c.filter((x) => x.pass !== null).map((x) => [x.stage, x.pass])).toEqual([['liSiteRim', true], ['facets', true], ['liSiteApb', true], ['ni0Li2O', true]]);
    const bad = temps.map((T) => ({ 'tmOnLi.rim': step(T, 220, 0.1), roughness003_A: 2 + step(T, 220, 1.5), 'tmOnLi.apb': step(T, 175, 0.1), 'ni0.all': step(T, 400, 0.02) }));
    const d = seedChecks(detectOnsets(series(bad)), targets);
    const rim = d.find((x) => x.stage === 'liSiteRim')!;
    expect(rim.pass).toBe(false);
    expect(rim.note).toMatch(/misses the window by 30 K/);
    expect(d.find((x) => x.stage === 'liSiteApb')!.pass).toBe(false);
    const ni = d.find((x) => x.stage === 'ni0Li2O')!;
    expect(ni.pass).toBe(false);
    expect(ni.note).toMatch(/by -50 K/);
  });

  it('stages whose observable the run does not compute are n/a, not failures; a scenario without targets has no checks', () => {
    const c = seedChecks(detectOnsets(series(temps.map(() => ({ 'tmOnLi.rim': 0 })))), targets);
    expect(c.find((x) => x.stage === 'facets')!.pass).toBeNull();
    expect(seedChecks(detectOnsets(series(temps.map(() => ({ 'tmOnLi.rim': 0 })))), [])).toEqual([]);
  });
});
