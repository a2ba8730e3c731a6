// The whole fit pipeline in CI (measured 2026-12-07: 74 CPU-s in all, vitest's start included, 107 s wall at
// load 7–9; 17 forward runs of ≈ 3 CPU-s each on 2 workers, plus each worker's one-off ≈ 2 s imaging calibration): a
// synthetic series made by `run` with o2Release = 1.56 eV (default 1.45) and imaging unlike the fit's
// own (dose 3500 vs 5000 e/Å², 3 vs 2 fast frames, drift 0.35 vs 0.2 Å, source 0.5 vs 0.4 Å), then
// `cathode-twin fit` on it: every output of the contract, and recovery within this test's own, wider
// tolerance (16 simulations, the minimum for one parameter; frames every 100 °C, so one step ≈ 0.3 eV):
//   - the posterior median of o2Release lies within 0.12 eV (0.4 of a step) of the truth;
//   - the posterior-predictive median of the KMC-defined rim onset is the series' own onset ± one frame.
// Coverage of the 90 % intervals is a property over many cases, measured in bench/fit.bench.ts (with the
// tight criteria: ±10 °C, intervals < 45 °C on the 15 °C staircase), not asserted on one case here.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runFitCommand } from '../../../src/cli/commands/fit.js';
import { decodeTiff } from '../../../src/twin/imageio/index.js';
import { parseScenario } from '../../../src/twin/scenario/index.js';
import { runScenario } from '../../../src/twin/run/index.js';

const root = mkdtempSync(join(tmpdir(), 'fit-pipeline-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const fixture = join(import.meta.dirname, 'fixtures', 'fit-ci.yaml');
const TRUTH_eV = 1.56;

describe('cathode-twin fit, end to end on a tiny scenario', () => {
  it('recovers o2Release from a run-made series with other imaging settings, and writes every output', async () => {
    const truthYaml = readFileSync(fixture, 'utf8')
      .replace('name: fit-ci', 'name: fit-ci-truth')
      .replace('environment:\n  pO2: 1.2e-5 Pa\n', `environment:\n  pO2: 1.2e-5 Pa\nkinetics:\n  barriers: { o2Release: ${TRUTH_eV} eV }\n`)
      .replace('  dose: 5000 e/Å^2\n  frames: 2\n  drift: 0.2 Å\n', '  dose: 3500 e/Å^2\n  frames: 3\n  drift: 0.35 Å\n  sourceSize: 0.5 Å\n');
    const truthFile = join(root, 'truth.yaml');
    writeFileSync(truthFile, truthYaml);
    const run = await runScenario(parseScenario(truthYaml, truthFile), { outDir: join(root, 'series'), quiet: true });
    const truthOnset = run.summary.onsets.find((o) => o.stage === 'liSiteRim')!.onset_C;
    const out = join(root, 'fit');
    const res = await runFitCommand({
      series: [join(root, 'series', 'frames.tif')], scenario: fixture, params: 'o2Release', budget: 16, predictive: 1,
      normalise: 'auto', 'refine-replicates': 4, zone: '210', rim: '6 Å', apb: '5 Å', merge: false, out, seed: 1, workers: 2, quiet: true, json: true,
    }, () => {});
    expect(res.status).toBe('done');
    const post = JSON.parse(readFileSync(join(out, 'posterior.json'), 'utf8'));
    expect(post.schemaVersion).toBe(1);
    expect(post.simulations).toBe(16);
    const p = post.parameters.o2Release;
    expect(p.unit).toBe('eV');
    expect(p.prior).toEqual([1.2, 1.8]);
    expect(Math.abs(p.median - TRUTH_eV)).toBeLessThan(0.12);
    expect(p.ci90[0]).toBeLessThan(p.median);
    expect(p.ci90[1]).toBeGreaterThan(p.median);
    const temps = run.summary.frames.map((f) => f.temperature_C);
    const k = temps.indexOf(truthOnset!);
    const rim = post.onsets.liSiteRim;
    expect(rim.definition).toBe('kmc');
    expect(temps.slice(Math.max(0, k - 1), k + 2)).toContain(rim.median_C);
    // The main figures are this series' own onset, given its statistics; `repeat` a new lamella's, never
    // narrower (a conditional variance is at most the unconditional one; 5 % for the draws' scatter).
    expect(rim.conditionedOn.statistics).toBeGreaterThan(0);
    const width = (q: { latentCi90_C: number[] }) => q.latentCi90_C[1]! - q.latentCi90_C[0]!;
    expect(width(rim.repeat)).toBeGreaterThan(0.95 * width(rim));
    expect(post.onsets.liSiteRimImage.definition).toBe('image');
    expect(post.correlations.o2Release.o2Release).toBe(1);
    expect(post.diagnostics.rhat.o2Release).toBeLessThan(1.05);
    const check = post.diagnostics.predictiveCheck;
    for (const v of [check.pValue, check.pValueBest, check.posteriorPValue]) expect(v >= 0 && v <= 1).toBe(true);
    expect(check.draws).toBeGreaterThan(0);
    // The coverage calibration's w tempers the log-likelihood (likelihood.ts), and posterior.json says so.
    expect(post.diagnostics.likelihood.scaleMode).toBe('tempered-log-likelihood');
    expect(post.diagnostics.likelihood.scale).toBeGreaterThanOrEqual(1);
    // The other outputs.
    const csv = readFileSync(join(out, 'posterior-samples.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('chain,draw,o2Release_eV,logLikelihood');
    expect(csv.length - 1).toBe(post.diagnostics.samples);
    expect(readFileSync(join(out, 'predicted-curves.csv'), 'utf8')).toMatch(/^statistic,frame,temperature_C,observed,p05,p50,p95/);
    const tif = await decodeTiff(readFileSync(join(out, 'predictive-frames.tif')));
    expect(tif.pages.length).toBe(temps.length);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('repeat experiment');
    expect(html).toContain('class="corner"');
    expect(html).toContain('Predicted against measured');
    expect(html).toContain('tempered log-likelihood');
    expect(existsSync(join(out, '.fit', 'plan.json'))).toBe(true);
  }, 600_000);
});
