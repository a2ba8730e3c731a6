import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, Rng } from '../../src/core/index.js';
import { writeTiffFloat32 } from '../../src/twin/imageio/index.js';
import { type CompareArgs, runCompare } from '../../src/cli/commands/compare.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'ct-compare-'));
// Gaussian columns on a 2.5 Å square lattice (σ 0.5 Å), fraction of the beam; periodic cell 10 Å.
const img = (x: number, y: number): number => {
  let s = 0.003;
  for (const cx of [0, 2.5, 5, 7.5, 10]) for (const cy of [0, 2.5, 5, 7.5, 10]) s += 0.05 * Math.exp(-((((x % 10) + 10) % 10 - cx) ** 2 + ((((y % 10) + 10) % 10) - cy) ** 2) / 0.5);
  return s;
};
const args = (d: string, extra: Partial<CompareArgs> = {}): CompareArgs => ({
  experiment: [join(d, 'exp.tif')], simulation: join(d, 'run', 'frames.tif'), out: join(d, 'cmp'), sidecar: join(d, 'exp.csv'), normalise: 'auto',
  'layer-period': '4.7333 Å', periodic: true, json: true, ...extra,
});

async function setup(): Promise<string> {
  const d = tmp();
  const n = 80, p = 10 / n;
  const sim = new Float32Array(n * n);
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) sim[y * n + x] = img(x * p, y * p);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(d, 'run'));
  await writeTiffFloat32(join(d, 'run', 'frames.tif'), [sim], n, n, { pixelSize_A: p, unit: 'A' });
  writeFileSync(join(d, 'run', 'frames.json'), JSON.stringify({ frames: [{ time_s: 0, temperature_K: 300 }] }));
  const W = 64, ep = 0.25, dose = 1e4;
  const frames = [0, 1].map((k) => {
    const r = Rng.stream(9, k), f = new Float32Array(W * W);
    for (let y = 0; y < W; y++) for (let x = 0; x < W; x++) f[y * W + x] = r.poisson(dose * ep * ep * img((x - 0.4 * k) * ep, y * ep));
    return f;
  });
  await writeTiffFloat32(join(d, 'exp.tif'), frames, W, W, { pixelSize_A: ep, unit: 'A' });
  writeFileSync(join(d, 'exp.csv'), 'frame,time [s],temperature [degC],dose_ePerA2\n0,0,25,10000\n1,60,100,10000\n');
  return d;
}

describe('cathode-twin compare', () => {
  it('writes compare.csv (one row per frame) and compare.json for a counted TIFF series with a CSV sidecar against run frames', async () => {
    const d = await setup();
    let printed = '';
    await runCompare(args(d), (s) => (printed += s));
    const j = JSON.parse(printed) as { frames: number; normalisation: string; mean: { ncc: number; chi2Reduced: number } };
    expect(j.frames).toBe(2);
    expect(j.normalisation).toBe('counts');
    expect(j.mean.ncc).toBeGreaterThan(0.9);
    expect(Math.abs(j.mean.chi2Reduced - 1)).toBeLessThan(0.15);
    const csv = readFileSync(join(d, 'cmp', 'compare.csv'), 'utf8').trim().split('\n');
    expect(csv.length).toBe(3);
    expect(csv[0]).toMatch(/^frame,simFrame,time_s,temperature_K,dose_ePerA2,shiftX_px/);
    const full = JSON.parse(readFileSync(join(d, 'cmp', 'compare.json'), 'utf8')) as { frames: { temperature_K: number; driftX_px: number }[] };
    expect(full.frames[1]!.temperature_K).toBeCloseTo(373.15, 9);
    expect(Math.abs(full.frames[1]!.driftX_px - 0.4)).toBeLessThan(0.1); // frame-to-frame registration of two noisy frames (625 e⁻/px)
  });

  it('names the option on bad input and writes nothing', async () => {
    const d = await setup();
    const fieldOf = async (a: CompareArgs): Promise<string> => {
      try { await runCompare(a, () => {}); } catch (e) { if (e instanceof InputError) return e.field; throw e; }
      return 'no error';
    };
    expect(await fieldOf(args(d, { normalise: 'max' }))).toBe('--normalise');
    expect(await fieldOf(args(d, { experiment: [join(d, 'nope.tif')] }))).toBe('--experiment');
    expect(await fieldOf(args(d, { simulation: join(d, 'nope.tif') }))).toBe('--simulation');
    expect(await fieldOf(args(d, { 'layer-period': '3 K' }))).toBe('--layer-period');
    writeFileSync(join(d, 'bad.csv'), 'dose_ePerA2\n1\n');
    expect(await fieldOf(args(d, { sidecar: join(d, 'bad.csv') }))).toBe('--sidecar');
    expect(existsSync(join(d, 'cmp'))).toBe(false);
    expect(readdirSync(d).sort()).toEqual(['bad.csv', 'exp.csv', 'exp.tif', 'run']);
  });
});
