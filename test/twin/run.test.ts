import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTiff } from '../../src/twin/imageio/index.js';
import { gaussianImager } from './imager.js';
import { loadScenario, runScenario, type RunSummary } from '../../src/twin/index.js';

const dir = mkdtempSync(join(tmpdir(), 'run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scenario = loadScenario('tiny');

describe('runScenario (tiny scenario, stand-in imager)', () => {
  let summary: RunSummary;
  const out = join(dir, 'full');

  it('writes every output with consistent contents', async () => {
    summary = (await runScenario(scenario, { outDir: out, quiet: true, imager: gaussianImager })).summary;
    const nFrames = scenario.protocol.acquisitionTimes_s.length;
    expect(nFrames).toBe(4);
    // TIFF: one float32 page per frame, ImageJ header, calibrated pixel size.
    const tif = await readTiff(join(out, 'frames.tif'));
    expect(tif.pages.length).toBe(nFrames);
    expect(tif.width).toBe(summary.image.width);
    expect(tif.description).toMatch(/^ImageJ=.*\nimages=4\n/s);
    expect(tif.pixelSize_A).toBeCloseTo(summary.image.sampling_A, 4);
    // Values: fraction of the beam, positive on average, noisy (Poisson) but finite.
    for (const p of tif.pages) {
      const mean = p.reduce((a, b) => a + b, 0) / p.length;
      expect(mean).toBeGreaterThan(0);
      expect(p.every(Number.isFinite)).toBe(true);
    }
    // CSV: a header and one row per frame with the temperatures of the programme.
    const csv = readFileSync(join(out, 'observables.csv'), 'utf8').trim().split('\n');
    const head = csv[0]!.split(',');
    expect(head.slice(0, 6)).toEqual(['frame', 'time_s', 'temperature_K', 'temperature_C', 'dose_ePerA2', 'events']);
    for (const col of ['tmOnLi.rim', 'tmOnLi.apb', 'vO.rim', 'rockSalt.rim', 'liMRatio.rim', 'poreArea_A2']) expect(head).toContain(col);
    expect(csv.length).toBe(1 + nFrames);
    expect(csv.slice(1).map((r) => Number(r.split(',')[3]))).toEqual([25, 125, 225, 325]);
    // Layered contrast in the images: Li-site intensity well below M-site intensity in the rim.
    const ratio = Number(csv[1]!.split(',')[head.indexOf('liMRatio.rim')]);
    expect(ratio).toBeGreaterThan(0);
    expect(ratio).toBeLessThan(0.6);
    // summary.json: schema, scenario in SI units, onsets with rules, timings, files.
    const js = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
    expect(js.schemaVersion).toBe(3);
    expect(js.scenario.protocol.params.start_K).toBeCloseTo(298.15, 9);
    expect(js.scenario.structure.thickness_A).toBeCloseTo(20, 9);
    expect(js.onsets.length).toBeGreaterThan(5);
    for (const o of js.onsets) expect(o.rule.length).toBeGreaterThan(10);
    // the fidelity table: every seed stage after RT, with its rule (tmEnriched: the pore boundary's TM excess)
    expect(js.fidelity.length).toBeGreaterThanOrEqual(10);
    expect(js.fidelity.filter((r: { status: string }) => r.status === 'not modelled')).toEqual([]);
    expect(js.fidelity.find((r: { seedStage: string }) => r.seedStage === 'tmEnriched')).toMatchObject({ stage: 'tmEnriched', definition: 'kmc' });
    expect(Object.keys(js.timings_s)).toEqual(expect.arrayContaining(['kmc', 'imaging', 'acquisition', 'writing']));
    expect(js.seed).toBe(7);
    for (const f of js.files) expect(existsSync(join(out, f))).toBe(true);
    expect(readdirSync(join(out, 'frames')).length).toBe(nFrames);
    // report.html: the plots and the frame strip.
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect((html.match(/<svg class="chart"/g) ?? []).length).toBeGreaterThanOrEqual(6);
    expect((html.match(/<img /g) ?? []).length).toBe(nFrames);
    // No partial state or temp files left.
    expect(existsSync(join(out, '.partial'))).toBe(false);
    expect(readdirSync(out).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('is deterministic: the same seed gives the same frames.tif bytes; another seed differs', async () => {
    const again = join(dir, 'again');
    await runScenario(scenario, { outDir: again, quiet: true, imager: gaussianImager });
    expect(Buffer.compare(readFileSync(join(out, 'frames.tif')), readFileSync(join(again, 'frames.tif')))).toBe(0);
    const other = join(dir, 'other');
    await runScenario(scenario, { outDir: other, quiet: true, imager: gaussianImager, seed: 8 });
    expect(Buffer.compare(readFileSync(join(out, 'frames.tif')), readFileSync(join(other, 'frames.tif')))).not.toBe(0);
  });

  it('a run stopped after 2 frames leaves no output file and resumes to the same bytes as an uninterrupted run', async () => {
    const res = join(dir, 'resumed');
    const first = await runScenario(scenario, { outDir: res, quiet: true, imager: gaussianImager, stopAfterFrames: 2 });
    expect(first.partial).toBe(true);
    expect(readdirSync(res).sort()).toEqual(['.partial']);
    expect(readdirSync(join(res, '.partial')).filter((f) => /-image-f\d+\.bin$/.test(f)).length).toBe(2);
    const second = await runScenario(scenario, { outDir: res, quiet: true, imager: gaussianImager, resume: true });
    expect(second.partial).toBe(false);
    expect(Buffer.compare(readFileSync(join(out, 'frames.tif')), readFileSync(join(res, 'frames.tif')))).toBe(0);
    expect(readFileSync(join(res, 'observables.csv'), 'utf8')).toBe(readFileSync(join(out, 'observables.csv'), 'utf8'));
  });

  it('without --resume a stale partial run is discarded and the run starts over', async () => {
    const res = join(dir, 'restart');
    await runScenario(scenario, { outDir: res, quiet: true, imager: gaussianImager, stopAfterFrames: 1 });
    const r = await runScenario(scenario, { outDir: res, quiet: true, imager: gaussianImager });
    expect(r.summary.frames.length).toBe(4);
    expect(Buffer.compare(readFileSync(join(out, 'frames.tif')), readFileSync(join(res, 'frames.tif')))).toBe(0);
  });
});
