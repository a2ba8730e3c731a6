/**
 * `npm run bench -- fit`: the fit's studies (issue 12). Sections, chosen with FIT_BENCH (comma-separated;
 * default all; hours of CPU in all, each prints its own table):
 *
 * - `analytic`: the inference core on first-order kinetics under the seed staircase (exact likelihood by
 *   HMM): 90 % coverage over 30 cases, width against the exact posterior; and the ABC rejection baseline
 *   run until its 90 % interval is as narrow as the emulator's, counted in simulations (≈ 10 min).
 * - `recovery`: synthetic series made by `run` with parameters away from the defaults and imaging unlike
 *   the fit's (drift, fast frames, source size; the dose comes from the series), fitted by `fit`:
 *   A: the default (seed) lamella, 3 parameters, 72 simulations on FIT_BENCH_WORKERS (default 2) workers:
 *      also the cost figure (wall time, simulations, `uptime` load);
 *   B: a 5 × 4 nm lamella, 2 parameters, 56 simulations.
 *   Criteria: rim onset median within ±10 °C of the series' own, every 90 % interval covers the truth,
 *   rim onset 90 % interval narrower than 45 °C.
 * - `calibration`: 10 synthetic cases (truth drawn from the central prior, lamella seeds 100…109) on the
 *   CI test's 5 × 4 nm lamella (4 frames, 100 °C steps), o2Release fitted with 24 simulations each: how
 *   many 90 % intervals cover.
 * - `timeline`: the seed's published timeline on the CI-size seed lamella: the posterior against today's
 *   defaults.
 * - `abc-kmc`: the KMC problem of the CI test (o2Release, 4 frames): the emulator fit (24 simulations)
 *   against ABC rejection (20 accepted) on 100, 200, 400 prior simulations, widths compared.
 *
 * Results go to bench/out/fit/ (posterior.json of every fit); figures are copied into bench/RESULTS.md by
 * hand with the date, the machine and the load.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareFitCommand, runFitCommand, type FitArgs } from '../src/cli/commands/fit.js';
import { Rng } from '../src/core/index.js';
import {
  abcAccept, abcSimulate, firstOrderExactQuantiles, firstOrderStatNames, ParameterSpace, runFit, SEED_STAIRCASE, simulateFirstOrder, summariseParameters, type FirstOrderSpec,
} from '../src/twin/fit/index.js';
import { parseScenario, SCENARIOS_DIR } from '../src/twin/scenario/index.js';
import { runScenario } from '../src/twin/run/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const OUT = join(here, 'out', 'fit');
const load = () => loadavg().map((x) => x.toFixed(1)).join(' / ');
const log = (s: string) => process.stdout.write(s);

/** A scenario's YAML with line edits (`key: value` replaced at its first occurrence, or appended under a section). */
function editYaml(text: string, edits: Record<string, string>): string {
  let t = text;
  for (const [k, v] of Object.entries(edits)) {
    const re = new RegExp(`(\\n[ \\t]*)${k.replace('.', '\\.')}: [^\\n]*`);
    t = re.test(t) ? t.replace(re, `$1${k}: ${v}`) : t;
  }
  return t;
}

/** A synthetic series by `run` (the run pipeline) from `yaml`, written to dir/series; returns its summary. */
async function makeSeries(yaml: string, dir: string) {
  const r = await runScenario(parseScenario(yaml, join(dir, 'truth.yaml')), { outDir: join(dir, 'series'), quiet: true, workers: 1 });
  writeFileSync(join(dir, 'truth.yaml'), yaml);
  return r.summary;
}

const fitArgs = (o: Partial<FitArgs> & Pick<FitArgs, 'out'>): FitArgs => ({
  normalise: 'auto', 'refine-replicates': 4, predictive: 2, zone: '210', rim: '6 Å', apb: '5 Å', merge: false, seed: 1, workers: Number(process.env.FIT_BENCH_WORKERS ?? 2), quiet: true, json: true, ...o,
});

interface Truth { params: Record<string, number>; barriers: string; offset?: string }

/** One recovery case: series by run, fit by fit; the criteria of the issue. */
async function recoveryCase(name: string, scenarioYaml: string, truth: Truth, imaging: Record<string, string>, params: string[], budget: number): Promise<string> {
  const dir = join(OUT, 'recovery', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let yaml = editYaml(scenarioYaml, imaging);
  yaml = yaml.replace(/\nkinetics:\n(?:  .*\n)*/, '\n').replace('\nenvironment:\n', `\nkinetics:\n  barriers: { ${truth.barriers} }\nenvironment:\n${truth.offset ? `  muOOffset: ${truth.offset}\n` : ''}`);
  const s = await makeSeries(yaml, dir);
  const truthRim = s.onsets.find((o) => o.stage === 'liSiteRim')?.onset_C ?? null;
  const truthRimImg = s.onsets.find((o) => o.stage === 'liSiteRimImage')?.onset_C ?? null;
  writeFileSync(join(dir, 'fit-scenario.yaml'), scenarioYaml);
  const t0 = performance.now();
  const l0 = load();
  await runFitCommand(fitArgs({ series: [join(dir, 'series', 'frames.tif')], scenario: join(dir, 'fit-scenario.yaml'), params: params.join(','), budget, out: join(dir, 'fit') }), () => {});
  const wall = (performance.now() - t0) / 1000;
  const post = JSON.parse(readFileSync(join(dir, 'fit', 'posterior.json'), 'utf8'));
  const rows = params.map((p) => {
    const q = post.parameters[p];
    const t = truth.params[p]!;
    return `${p} = ${t}: ${+q.median.toFixed(3)} [${+q.ci90[0].toFixed(3)}, ${+q.ci90[1].toFixed(3)}] ${q.ci90[0] <= t && t <= q.ci90[1] ? 'covers' : '**misses**'}`;
  });
  const rim = post.onsets.liSiteRim;
  const rimImg = post.onsets.liSiteRimImage;
  const w = rim.ci90_C[1] !== null && rim.ci90_C[0] !== null ? rim.ci90_C[1] - rim.ci90_C[0] : Infinity;
  const ok = truthRim !== null && rim.median_C !== null && Math.abs(rim.median_C - truthRim) <= 10;
  return `| ${name} | ${rows.join('<br>')} | liSiteRim ${truthRim} °C → ${rim.median_C} [${rim.ci90_C.join(', ')}] (${ok ? 'within ±10 °C' : '**off**'}, width ${w} °C ${w < 45 ? '< 45' : '**≥ 45**'}); image ${truthRimImg} °C → ${rimImg?.median_C} [${rimImg?.ci90_C.join(', ')}] | ${post.simulations} | ${wall.toFixed(0)} s (load ${l0} → ${load()}) | ${(post.diagnostics.predictiveCheck?.pValue ?? 'n/a')} |`;
}

async function recovery(): Promise<void> {
  const seed = readFileSync(join(SCENARIOS_DIR, 'seed-insitu-heating.yaml'), 'utf8');
  // The series' frames: the seed staircase to 280 °C (imaging fails after ~275 °C in the seed study).
  const seedFit = editYaml(seed, { end: '280 degC' }).replace(/\nchecks:\n(?:  .*\n)*/, '\n');
  const rows: string[] = [];
  if (!process.env.FIT_BENCH_CASE || process.env.FIT_BENCH_CASE === 'A') {
    rows.push(await recoveryCase('A-seed-lamella-3p', seedFit,
      { params: { o2Release: 1.52, tmMigrationNearVO: 1.4, muOOffset: -0.8 }, barriers: 'o2Release: 1.52 eV, tmMigrationNearVO: 1.40 eV', offset: '-0.8 eV' },
      { drift: '0.45 Å', frames: '5', sourceSize: '0.55 Å', dose: '4000 e/Å^2' }, ['o2Release', 'tmMigrationNearVO', 'muOOffset'], 72));
  }
  if (!process.env.FIT_BENCH_CASE || process.env.FIT_BENCH_CASE === 'B') {
    const mini = editYaml(readFileSync(join(here, '..', 'test', 'twin', 'fit', 'fixtures', 'fit-mini.yaml'), 'utf8'), { step: '15 degC', end: '280 degC', rate: '0.1 degC/s' });
    rows.push(await recoveryCase('B-5x4nm-2p', mini,
      { params: { o2Release: 1.38, tmMigrationNearVO: 1.55 }, barriers: 'o2Release: 1.38 eV, tmMigrationNearVO: 1.55 eV' },
      { drift: '0.1 Å', frames: '10', sourceSize: '0.3 Å', dose: '7000 e/Å^2' }, ['o2Release', 'tmMigrationNearVO'], 56));
  }
  log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}\n\n| case | parameters: truth → median [90 %] | rim onset: series → predicted median [90 %] | simulations | fit wall time | predictive check p |\n|---|---|---|---|---|---|\n${rows.join('\n')}\n\n`);
}

async function calibration(): Promise<void> {
  const fixture = join(here, '..', 'test', 'twin', 'fit', 'fixtures', 'fit-ci.yaml');
  const base = readFileSync(fixture, 'utf8');
  const n = Number(process.env.FIT_BENCH_CASES ?? 10);
  const rng = Rng.stream(20261207);
  let covered = 0;
  let rimCovered = 0;
  const rows: string[] = [];
  for (let c = 0; c < n; c++) {
    const o2 = +(1.35 + 0.3 * rng.uniform()).toFixed(3);
    const dir = join(OUT, 'calibration', `case-${c}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const yaml = editYaml(base, { seed: String(100 + c), drift: '0.35 Å', frames: '3', dose: '4000 e/Å^2' }).replace('\nenvironment:\n', `\nkinetics:\n  barriers: { o2Release: ${o2} eV }\nenvironment:\n`).replace('  drift: 0.35 Å\n', '  drift: 0.35 Å\n  sourceSize: 0.5 Å\n');
    const s = await makeSeries(yaml, dir);
    const rimTruth = s.onsets.find((o) => o.stage === 'liSiteRim')?.onset_C ?? null;
    // The fit's scenario: the same lamella (seed) with the fixture's imaging.
    writeFileSync(join(dir, 'fit-scenario.yaml'), editYaml(base, { seed: String(100 + c) }));
    await runFitCommand(fitArgs({ series: [join(dir, 'series', 'frames.tif')], scenario: join(dir, 'fit-scenario.yaml'), params: 'o2Release', budget: 24, predictive: 0, out: join(dir, 'fit'), seed: c + 1 }), () => {});
    const post = JSON.parse(readFileSync(join(dir, 'fit', 'posterior.json'), 'utf8'));
    const q = post.parameters.o2Release;
    const inside = q.ci90[0] <= o2 && o2 <= q.ci90[1];
    const rim = post.onsets.liSiteRim;
    const rimIn = rimTruth !== null && rim.ci90_C[0] !== null && rim.ci90_C[0] <= rimTruth && (rim.ci90_C[1] === null || rimTruth <= rim.ci90_C[1]);
    covered += +inside;
    rimCovered += +rimIn;
    rows.push(`| ${c} | ${o2} | ${+q.median.toFixed(3)} [${+q.ci90[0].toFixed(3)}, ${+q.ci90[1].toFixed(3)}] | ${inside ? 'yes' : '**no**'} | ${rimTruth} | ${rim.median_C} [${rim.ci90_C.join(', ')}] | ${rimIn ? 'yes' : '**no**'} | ${post.diagnostics.predictiveCheck?.pValue ?? ''} |`);
    log(`calibration case ${c}: ${rows.at(-1)}\n`);
  }
  log(`\n| case | o2Release truth (eV) | posterior median [90 %] | covers | rim onset of the series (°C) | predicted [90 %] | covers | predictive check p |\n|---|---|---|---|---|---|---|---|\n${rows.join('\n')}\n\n90 % intervals covering the truth: o2Release ${covered}/${n}, rim onset ${rimCovered}/${n}. Load ${load()}.\n\n`);
}

async function timeline(): Promise<void> {
  const seed = readFileSync(join(SCENARIOS_DIR, 'seed-insitu-heating.yaml'), 'utf8');
  // The CI-size seed lamella (the seed acceptance test's): 4.8 × 4.8 nm, 2.8 nm deep, pore r = 1.2 nm.
  const ci = editYaml(seed, { width: '4.8 nm', height: '4.8 nm', thickness: '2.8 nm', radius: '1.2 nm' });
  const dir = join(OUT, 'timeline');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'scenario.yaml'), ci);
  const t0 = performance.now();
  await runFitCommand(fitArgs({ timeline: 'seed', scenario: join(dir, 'scenario.yaml'), params: 'o2Release,tmMigrationNearVO,muOOffset', budget: 64, predictive: 0, out: join(dir, 'fit') }), () => {});
  const post = JSON.parse(readFileSync(join(dir, 'fit', 'posterior.json'), 'utf8'));
  const rows = Object.entries(post.parameters as Record<string, { median: number; ci90: number[]; default: number; defaultQuantile: number; supportsDefault: boolean; unit: string }>).map(([n, p]) => `| ${n} | ${p.default} | ${+p.median.toFixed(3)} [${+p.ci90[0]!.toFixed(3)}, ${+p.ci90[1]!.toFixed(3)}] ${p.unit} | ${(100 * p.defaultQuantile).toFixed(0)} % | ${p.supportsDefault ? 'yes' : '**no**'} |`);
  const on = Object.entries(post.onsets as Record<string, { median_C: number | null; ci90_C: (number | null)[]; observed?: { after_C: number | null; onset_C: number | null } }>).filter(([, o]) => o.observed).map(([s, o]) => `| ${s} | (${o.observed!.after_C}, ${o.observed!.onset_C ?? '∞'}] | ${o.median_C} [${o.ci90_C.join(', ')}] |`);
  log(`| parameter | default | posterior median [90 %] | P(< default) | default supported |\n|---|---|---|---|---|\n${rows.join('\n')}\n\n| stage (simulated) | observed (°C) | predicted median [90 %] (°C) |\n|---|---|---|\n${on.join('\n')}\n\n${post.simulations} simulations, ${((performance.now() - t0) / 1000).toFixed(0)} s, load ${load()}.\n\n`);
}

async function analytic(): Promise<void> {
  const sc = { ...SEED_STAIRCASE, end_K: 273.15 + 325 };
  const spec: FirstOrderSpec = { kind: 'first-order', sites: 100, noise: 0.03, threshold: 0.1, staircase: sc, fixed: { nu: 1e13 } };
  const space = new ParameterSpace([{ name: 'Ea', unit: 'eV', default: 1.45, prior: [1.2, 1.8], scale: 'linear' }]);
  const names = firstOrderStatNames(sc);
  const N = Number(process.env.FIT_BENCH_CASES ?? 30);
  const rng = Rng.stream(99);
  let cov = 0;
  let covEx = 0;
  const ratio: number[] = [];
  const abcRows: string[] = [];
  for (let c = 0; c < N; c++) {
    const Ea = 1.3 + 0.4 * rng.uniform();
    const obs = simulateFirstOrder(spec, { Ea }, 5000 + c);
    const dir = join(OUT, 'analytic', `case-${c}`);
    rmSync(dir, { recursive: true, force: true });
    const r = await runFit({ space, simulator: spec, statNames: names, stages: ['onset'], observation: { stats: obs.stats } }, { outDir: dir, seed: c + 1, budget: 40, quiet: true });
    if (r.status !== 'done') throw new Error(r.status);
    const s = summariseParameters(space, r.result.mcmc.samples).Ea!;
    const q = firstOrderExactQuantiles(spec, names.map((n) => obs.stats[n]!), Ea - 0.08, Ea + 0.08);
    cov += +(s.ci90[0] <= Ea && Ea <= s.ci90[1]);
    covEx += +(q[0]! <= Ea && Ea <= q[2]!);
    ratio.push((s.ci90[1] - s.ci90[0]) / (q[2]! - q[0]!));
    // ABC rejection (100 accepted draws) with growing prior samples, until as narrow as the emulator's interval.
    if (c < 5) {
      const target = s.ci90[1] - s.ci90[0];
      let reached = '> 64 000';
      let lastW = NaN;
      const run = await abcSimulate(space, spec, 64000, 7000 + c);
      for (const n of [500, 1000, 2000, 4000, 8000, 16000, 32000, 64000]) {
        const acc = abcAccept({ u: run.u.slice(0, n), outputs: run.outputs.slice(0, n) }, { stats: obs.stats }, names, 100);
        const a = summariseParameters(space, acc.samples).Ea!;
        lastW = a.ci90[1] - a.ci90[0];
        if (lastW <= target) {
          reached = String(n);
          break;
        }
      }
      abcRows.push(`| ${c} | ${Ea.toFixed(3)} | ${r.result.records.length} sims, width ${target.toFixed(4)} eV | ${reached} (width ${lastW.toFixed(4)} eV) |`);
    }
  }
  log(`First-order kinetics, ${N} cases, budget 40: 90 % intervals cover the truth in ${cov}/${N} (the exact posterior: ${covEx}/${N}); width / exact width: mean ${(ratio.reduce((a, b) => a + b, 0) / N).toFixed(2)}, range ${Math.min(...ratio).toFixed(2)}–${Math.max(...ratio).toFixed(2)}.\n\n`);
  log(`| case | Ea truth (eV) | emulator fit | ABC rejection (100 accepted): prior simulations to reach that width |\n|---|---|---|---|\n${abcRows.join('\n')}\n\n`);
}

async function abcKmc(): Promise<void> {
  const fixture = join(here, '..', 'test', 'twin', 'fit', 'fixtures', 'fit-ci.yaml');
  const dir = join(OUT, 'abc-kmc');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const truth = 1.5;
  const yaml = editYaml(readFileSync(fixture, 'utf8'), { drift: '0.35 Å', frames: '3' }).replace('\nenvironment:\n', `\nkinetics:\n  barriers: { o2Release: ${truth} eV }\nenvironment:\n`);
  await makeSeries(yaml, dir);
  const args = fitArgs({ series: [join(dir, 'series', 'frames.tif')], scenario: fixture, params: 'o2Release', budget: 24, predictive: 0, out: join(dir, 'fit') });
  const t0 = performance.now();
  await runFitCommand(args, () => {});
  const tFit = (performance.now() - t0) / 1000;
  const post = JSON.parse(readFileSync(join(dir, 'fit', 'posterior.json'), 'utf8'));
  const q = post.parameters.o2Release;
  const { prep, space } = await prepareFitCommand({ ...args, out: join(dir, 'abc') });
  const t1 = performance.now();
  const run = await abcSimulate(space, prep.spec, 400, 4242, Number(process.env.FIT_BENCH_WORKERS ?? 2));
  const tAbc = (performance.now() - t1) / 1000;
  const rows = [100, 200, 400].map((n) => {
    const acc = abcAccept({ u: run.u.slice(0, n), outputs: run.outputs.slice(0, n) }, prep.problem.observation, prep.problem.statNames, 20);
    const a = summariseParameters(space, acc.samples).o2Release!;
    return `| ABC rejection, 20 nearest of ${n} prior simulations | ${n} | ${+a.median.toFixed(3)} [${+a.ci90[0].toFixed(3)}, ${+a.ci90[1].toFixed(3)}] | ${(a.ci90[1] - a.ci90[0]).toFixed(3)} |`;
  });
  log(`Truth o2Release = ${truth} eV (CI lamella, 4 frames, imaging unlike the fit's).\n\n| method | simulations | o2Release median [90 %] (eV) | 90 % width (eV) |\n|---|---|---|---|\n| emulator fit | ${post.simulations} | ${+q.median.toFixed(3)} [${+q.ci90[0].toFixed(3)}, ${+q.ci90[1].toFixed(3)}] | ${(q.ci90[1] - q.ci90[0]).toFixed(3)} |\n${rows.join('\n')}\n\nWall: fit ${tFit.toFixed(0)} s, 400 ABC simulations ${tAbc.toFixed(0)} s (load ${load()}).\n\n`);
}

export async function main(): Promise<void> {
  const want = (process.env.FIT_BENCH ?? 'analytic,recovery,calibration,timeline').split(',');
  mkdirSync(OUT, { recursive: true });
  log(`load at start: ${load()}\n\n`);
  if (want.includes('analytic')) await analytic();
  if (want.includes('recovery')) await recovery();
  if (want.includes('calibration')) await calibration();
  if (want.includes('timeline')) await timeline();
  if (want.includes('abc-kmc')) await abcKmc();
}
