// Parameter draws: the prior Latin hypercube and the posterior reader (issue 12's contract); < 0.5 s.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inputErrorOf } from '../../input-error.js';
import { describe, expect, it } from 'vitest';
import { drawRadius, posteriorDraws, priorDraws, type DrawDimension } from '../../../src/twin/dry/draws.js';
import { Rng } from '../../../src/core/index.js';

const dims: DrawDimension[] = [
  { name: 'o2Release', unit: 'eV', default: 1.45, low: 1.2, high: 1.8, scale: 'linear' },
  { name: 'nu', unit: '1/s', default: 1e13, low: 1e12, high: 1e14, scale: 'log' },
];
const fixed = { kind: 'fixed', radius_A: 16 } as const;

describe('prior draws', () => {
  it('stratify every parameter (one draw per 1/n of its prior, uniform on its scale), are seeded, and share nothing else', () => {
    const a = priorDraws(dims, 32, 7, fixed);
    expect(a.source).toBe('prior');
    const strata = (vals: number[]) => new Set(vals.map((v) => Math.floor(v * 32))).size;
    expect(strata(a.draws.map((d) => (d.values.o2Release! - 1.2) / 0.6))).toBe(32);
    expect(strata(a.draws.map((d) => (Math.log10(d.values.nu!) - 12) / 2))).toBe(32);
    expect(priorDraws(dims, 32, 7, fixed)).toEqual(a);
    expect(priorDraws(dims, 32, 8, fixed).draws[0]!.values).not.toEqual(a.draws[0]!.values);
    expect(new Set(a.draws.map((d) => d.seed)).size).toBe(32);
    expect(a.draws.every((d) => d.poreRadius_A === 16)).toBe(true);
  });

  it('draws pore radii from a discrete distribution in proportion to the weights', () => {
    const rng = Rng.stream(1, 2);
    const n = 20000;
    let big = 0;
    for (let i = 0; i < n; i++) if (drawRadius({ kind: 'discrete', values_A: [10, 20], weights: [1, 3] }, rng) === 20) big++;
    expect(Math.abs(big / n - 0.75)).toBeLessThan(0.015); // σ = 0.003
  });
});

describe('posterior draws (posterior.json + samples CSV beside it)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dry-post-'));
  const post = { schemaVersion: 1, parameters: { o2Release: { unit: 'eV', median: 1.5, ci90: [1.45, 1.55], prior: [1.2, 1.8] }, muOOffset: { unit: 'eV', median: -1, ci90: [-1.2, -0.8], prior: [-1.5, 0] } } };
  writeFileSync(join(dir, 'posterior.json'), JSON.stringify(post));
  const rows = Array.from({ length: 1000 }, (_, i) => `${i},${(1.4 + (i / 1000) * 0.2).toFixed(6)},${(-1.2 + (i / 1000) * 0.4).toFixed(6)}`);
  writeFileSync(join(dir, 'posterior-samples.csv'), `draw,o2Release,muOOffset\n${rows.join('\n')}\n`);
  const unit = (n: string) => (['o2Release', 'muOOffset', 'nu'].includes(n) ? (n === 'nu' ? '1/s' : 'eV') : undefined);

  it('thins the samples systematically into n draws that span them, and says so', () => {
    const d = posteriorDraws(join(dir, 'posterior.json'), 10, 3, fixed, unit);
    expect(d.source).toBe('posterior');
    expect(d.names).toEqual(['o2Release', 'muOOffset']);
    const o2 = d.draws.map((x) => x.values.o2Release!);
    expect(Math.min(...o2)).toBeLessThan(1.43);
    expect(Math.max(...o2)).toBeGreaterThan(1.57);
    expect(new Set(o2).size).toBe(10);
    expect(d.description).toMatch(/1000 posterior samples/);
  });

  it('resamples weighted samples by weight', () => {
    const w = Array.from({ length: 100 }, (_, i) => `${i < 50 ? 1.3 : 1.7},-1,${i < 50 ? 0 : 1}`);
    const sub = mkdtempSync(join(tmpdir(), 'dry-post-w-'));
    writeFileSync(join(sub, 'posterior.json'), JSON.stringify(post));
    writeFileSync(join(sub, 'samples.csv'), `o2Release,muOOffset,weight\n${w.join('\n')}\n`);
    const d = posteriorDraws(join(sub, 'posterior.json'), 16, 3, fixed, unit);
    expect(d.draws.every((x) => x.values.o2Release === 1.7)).toBe(true);
  });

  it('refuses a parameter the table does not have, a unit that differs, a missing column: InputError naming --posterior', () => {
    const bad = (p: object, csv = 'o2Release,muOOffset\n1.5,-1\n') => {
      const sub = mkdtempSync(join(tmpdir(), 'dry-post-b-'));
      writeFileSync(join(sub, 'posterior.json'), JSON.stringify(p));
      writeFileSync(join(sub, 'posterior-samples.csv'), csv);
      return inputErrorOf(() => posteriorDraws(join(sub, 'posterior.json'), 4, 1, fixed, unit));
    };
    expect(bad({ ...post, parameters: { foo: { unit: 'eV', median: 1 } } }).field).toBe('--posterior parameters.foo');
    expect(bad({ ...post, parameters: { o2Release: { unit: 'kJ/mol', median: 1 } } }).field).toBe('--posterior parameters.o2Release.unit');
    expect(bad(post, 'o2Release\n1.5\n').allowed).toMatch(/column named muOOffset/);
    expect(bad({ schemaVersion: 2, parameters: {} }).field).toBe('--posterior');
  });
});
