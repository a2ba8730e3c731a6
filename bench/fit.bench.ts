/**
 * `npm run bench -- fit`: the fit's studies (issue 12). Sections, chosen with FIT_BENCH (comma-separated;
 * default all; hours of CPU in all, each prints its own table):
 *
 * - `analytic`: the inference core on first-order kinetics under the seed staircase (exact likelihood by
 *   HMM): 90 % coverage over 30 cases, width against the exact posterior; and the ABC rejection baseline
 *   run until its 90 % interval is as narrow as the emulator's, counted in simulations (≈ 10 min).
 * - `recovery`: synthetic series made by `run` with parameters away from the defaults and imaging unlike
 *   the fit's (drift, fast frames, source size; the dose comes from the series), fitted by `fit` on
 *   FIT_BENCH_WORKERS (default 2) workers, on the recovery lamella (5 × 4 nm, seed staircase to 280 °C):
 *   A: 3 parameters, the default budget (defaultBudget(3) = 100 simulations; FIT_BENCH_BUDGET_A); B: 2 parameters,
 *   56 simulations (FIT_BENCH_BUDGET_B) (FIT_BENCH_CASE=A|B picks one).
 *   Criteria: rim onset median within ±10 °C of the series' own, every 90 % interval covers the truth,
 *   rim onset 90 % interval narrower than 45 °C.
 * - `cost`: forward runs at the default lamella (FIT_BENCH_COST_SIMS), or with FIT_BENCH_COST_WHOLE=1 the
 *   whole 3-parameter fit there (case A's truth and imaging): simulations, wall time, CPU, load.
 * - `calibration`: FIT_BENCH_CASES (default 10) synthetic cases (truth drawn from the central prior, lamella seeds 100, 101, …) on the
 *   CI test's 5 × 4 nm lamella (4 frames, 100 °C steps), o2Release fitted with 24 simulations each: how
 *   many 90 % intervals cover.
 * - `timeline`: the seed's published timeline on the CI-size seed lamella: the posterior against today's
 *   defaults.
 * - `abc-kmc`: the KMC problem of the CI test (o2Release, 4 frames): the emulator fit (24 simulations)
 *   against ABC rejection (the FIT_BENCH_ABC_ACCEPT = 20 nearest) on 40 … FIT_BENCH_ABC_SIMS (default 400) prior
 *   simulations: how many it takes to be as narrow as the fit, and whether each covers the truth.
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
  abcAccept, abcSimulate, defaultBudget, FIT_STATISTICS, firstOrderExactQuantiles, firstOrderStatNames, fitSpace, ParameterSpace, runFit, SEED_STAIRCASE, simulateFirstOrder, simulateForFit, summariseParameters, type FirstOrderSpec, type ScenarioSpec,
} from '../src/twin/fit/index.js';
import { parseScenario, SCENARIOS_DIR } from '../src/twin/scenario/index.js';
import { runScenario } from '../src/twin/run/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const OUT = join(here, 'out', 'fit');
const load = () => loadavg().map((x) => x.toFixed(1)).join(' / ');
const log = (s: string) => process.stdout.write(s);

/**
 * A scenario's YAML with line edits: `section.key` is replaced inside that top-level section, or added as
 * its first line when the section does not have it; a bare `key` is replaced at its first occurrence
 * (an error when absent: an edit is never dropped silently).
 */
function editYaml(text: string, edits: Record<string, string>): string {
  let t = text;
  for (const [k, v] of Object.entries(edits)) {
    const dot = k.indexOf('.');
    if (dot < 0) {
      const re = new RegExp(`(\\n[ \\t]*)${k}: [^\\n]*`);
      if (!re.test(t)) throw new Error(`editYaml: no "${k}:" line`);
      t = t.replace(re, `$1${k}: ${v}`);
      continue;
    }
    const section = k.slice(0, dot);
    const key = k.slice(dot + 1);
    const m = new RegExp(`\\n${section}:\\n((?:[ \\t]+[^\\n]*\\n|[ \\t]*\\n)*)`).exec(t);
    if (!m) throw new Error(`editYaml: no "${section}:" section`);
    const body = m[1]!;
    const line = new RegExp(`(^|\\n)([ \\t]+)${key}: [^\\n]*`);
    const nb = line.test(body) ? body.replace(line, `$1$2${key}: ${v}`) : `  ${key}: ${v}\n${body}`;
    t = t.slice(0, m.index) + `\n${section}:\n${nb}` + t.slice(m.index + m[0].length);
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

/** The recovery lamella: the CI lamella geometry (5 × 4 nm, 3 nm deep, 1.1 nm pore with an APB) on the seed's staircase to 280 °C. */
function recoveryScenario(): string {
  const mini = readFileSync(join(here, '..', 'test', 'twin', 'fit', 'fixtures', 'fit-mini.yaml'), 'utf8');
  return editYaml(mini, { 'protocol.step': '15 degC', 'protocol.end': '280 degC', 'protocol.rate': '0.1 degC/s', name: 'fit-recovery' });
}

const cpu_s = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

/** One recovery case: series by run, fit by fit; the criteria of the issue. */
async function recoveryCase(name: string, scenarioYaml: string, truth: Truth, imaging: Record<string, string>, params: string[], budget: number, seriesSeed: string): Promise<string> {
  const dir = join(OUT, 'recovery', name);
  // FIT_BENCH_RESUME=1 keeps the fit's finished simulations (the series is made again, the same bytes).
  rmSync(process.env.FIT_BENCH_RESUME ? join(dir, 'series') : dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let yaml = editYaml(scenarioYaml, { ...imaging, seed: seriesSeed });
  yaml = yaml.replace(/\nkinetics:\n(?:  .*\n)*/, '\n').replace('\nenvironment:\n', `\nkinetics:\n  barriers: { ${truth.barriers} }\nenvironment:\n${truth.offset ? `  muOOffset: ${truth.offset}\n` : ''}`);
  const s = await makeSeries(yaml, dir);
  const truthRim = s.onsets.find((o) => o.stage === 'liSiteRim')?.onset_C ?? null;
  const truthRimImg = s.onsets.find((o) => o.stage === 'liSiteRimImage')?.onset_C ?? null;
  writeFileSync(join(dir, 'fit-scenario.yaml'), scenarioYaml);
  const t0 = performance.now();
  const c0 = cpu_s();
  const l0 = load();
  await runFitCommand(fitArgs({ series: [join(dir, 'series', 'frames.tif')], scenario: join(dir, 'fit-scenario.yaml'), params: params.join(','), budget, out: join(dir, 'fit') }), () => {});
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpu_s() - c0;
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
  const corr = params.length > 1 ? Object.entries(post.correlations as Record<string, Record<string, number>>).flatMap(([a, r]) => Object.entries(r).filter(([b]) => a < b).map(([b, v]) => `${a}–${b} ${v.toFixed(2)}`)).join(', ') : '';
  const row = `| ${name} | ${rows.join('<br>')} | liSiteRim ${truthRim} °C → ${rim.median_C} [${rim.ci90_C.join(', ')}] (latent ${rim.latentMedian_C} [${rim.latentCi90_C.join(', ')}]; ${ok ? 'within ±10 °C' : '**off**'}, width ${w} °C ${w < 45 ? '< 45' : '**≥ 45**'}; a repeat experiment: ${rim.repeat.median_C} [${rim.repeat.ci90_C.join(', ')}]); image ${truthRimImg} °C → ${rimImg?.median_C} [${rimImg?.ci90_C.join(', ')}] | ${corr} | ${post.simulations} | ${wall.toFixed(0)} s wall, ${cpu.toFixed(0)} CPU-s (load ${l0} → ${load()}) | ${post.diagnostics.predictiveCheck ? `${post.diagnostics.predictiveCheck.pValue} (best sample ${post.diagnostics.predictiveCheck.pValueBest}; posterior-predictive ${post.diagnostics.predictiveCheck.posteriorPValue})` : 'n/a'} |`;
  log(`recovery ${row}\n`);
  return row;
}

/**
 * Recovery: two series made by `run` on the recovery lamella with parameters away from the defaults and
 * imaging unlike the fit's own (fit: dose 5000 e/Å², 4 fast frames, drift 0.2 Å, source 0.4 Å), each
 * from its own lamella seed (the fit's forward runs draw their own lamella occupations).
 */
async function recovery(): Promise<void> {
  const sc = recoveryScenario();
  const rows: string[] = [];
  const pick = process.env.FIT_BENCH_CASE;
  if (!pick || pick === 'A') {
    rows.push(await recoveryCase('A-3p', sc,
      { params: { o2Release: RECOVERY_A.o2Release, tmMigrationNearVO: RECOVERY_A.tmMigrationNearVO, muOOffset: RECOVERY_A.muOOffset }, barriers: `o2Release: ${RECOVERY_A.o2Release} eV, tmMigrationNearVO: ${RECOVERY_A.tmMigrationNearVO} eV`, offset: `${RECOVERY_A.muOOffset} eV` },
      { 'imaging.drift': '0.45 Å', 'imaging.frames': '6', 'imaging.sourceSize': '0.55 Å', 'imaging.dose': '3500 e/Å^2' }, ['o2Release', 'tmMigrationNearVO', 'muOOffset'], Number(process.env.FIT_BENCH_BUDGET_A ?? defaultBudget(3)), '23'));
  }
  if (!pick || pick === 'B') {
    rows.push(await recoveryCase('B-2p', sc,
      { params: { o2Release: RECOVERY_B.o2Release, tmMigrationNearVO: RECOVERY_B.tmMigrationNearVO }, barriers: `o2Release: ${RECOVERY_B.o2Release} eV, tmMigrationNearVO: ${RECOVERY_B.tmMigrationNearVO} eV` },
      { 'imaging.drift': '0.1 Å', 'imaging.frames': '10', 'imaging.sourceSize': '0.3 Å', 'imaging.dose': '7000 e/Å^2' }, ['o2Release', 'tmMigrationNearVO'], Number(process.env.FIT_BENCH_BUDGET_B ?? 56), '37'));
  }
  log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}\n\n| case | parameters: truth → median [90 %] | rim onset: series → predicted median [90 %] | correlations | simulations | fit cost | predictive check p |\n|---|---|---|---|---|---|---|\n${rows.join('\n')}\n\n`);
}

/** Truths of the recovery cases (eV). */
const RECOVERY_A = { o2Release: 1.52, tmMigrationNearVO: 1.38, muOOffset: -1.25 };
const RECOVERY_B = { o2Release: 1.38, tmMigrationNearVO: 1.55 };

/**
 * Cost of a 3-parameter fit at the default lamella (the seed scenario, 8 × 6 nm, 6 nm deep; frames to
 * 280 °C): FIT_BENCH_COST_SIMS (default 2) forward simulations of the fit, one after the other on one
 * thread, at evenly spread prior points, CPU each; the fit's simulation count (the default budget for 3
 * parameters, defaultBudget(3), plus the predictive draws) times the mean, over 2 cores.
 * FIT_BENCH_COST_WHOLE=1: instead, the whole fit (series by `run` with recovery A's truth and imaging,
 * then `fit` with 3 parameters and the default budget), its simulations, wall time, CPU and load.
 */
async function cost(): Promise<void> {
  const seed = readFileSync(join(SCENARIOS_DIR, 'seed-insitu-heating.yaml'), 'utf8');
  const seedTo280 = editYaml(seed, { 'protocol.end': '280 degC' }).replace(/\nchecks:\n(?:  .*\n)*/, '\n');
  if (process.env.FIT_BENCH_COST_WHOLE) {
    // The whole fit: a series made by `run` at the default lamella with recovery A's truth and imaging,
    // fitted with the default 3-parameter budget (defaultBudget(3) simulations + 2 predictive) on FIT_BENCH_WORKERS workers.
    const l0 = load();
    const row = await recoveryCase('cost-default-lamella-3p', seedTo280,
      { params: { ...RECOVERY_A }, barriers: `o2Release: ${RECOVERY_A.o2Release} eV, tmMigrationNearVO: ${RECOVERY_A.tmMigrationNearVO} eV`, offset: `${RECOVERY_A.muOOffset} eV` },
      { 'imaging.drift': '0.45 Å', 'imaging.frames': '6', 'imaging.sourceSize': '0.55 Å', 'imaging.dose': '3500 e/Å^2' }, ['o2Release', 'tmMigrationNearVO', 'muOOffset'], Number(process.env.FIT_BENCH_BUDGET_A ?? defaultBudget(3)), '23');
    log(`Whole 3-parameter fit at the default lamella (seed scenario to 280 °C, 18 frames), ${process.env.FIT_BENCH_WORKERS ?? 2} workers, ${cpus().length} × ${cpus()[0]?.model ?? '?'}; load at start ${l0}, at end ${load()}.\n\n| case | parameters: truth → median [90 %] | rim onset | correlations | simulations (fit; + 2 predictive) | fit cost (wall, CPU, load) | predictive check p |\n|---|---|---|---|---|---|---|\n${row}\n\n`);
    return;
  }
  const sc = parseScenario(seedTo280, 'seed-to-280.yaml');
  const times = sc.protocol.acquisitionTimes_s;
  const spec: ScenarioSpec = { kind: 'scenario', scenario: sc, frameTimes_s: times, imagedFrames: times.length, analysis: { zone: '210', rim_A: 6, apb_A: 5 }, statistics: FIT_STATISTICS };
  const space = fitSpace(['o2Release', 'tmMigrationNearVO', 'muOOffset']);
  const n = Number(process.env.FIT_BENCH_COST_SIMS ?? 2);
  const per: number[] = [];
  const rows: string[] = [];
  for (let k = 0; k < n; k++) {
    const u = [0, 1, 2].map((i) => (((k + 0.5) / n) + 0.37 * i) % 1);
    const values = space.toValues(u);
    const l0 = load();
    const c0 = cpu_s();
    const t0 = performance.now();
    const r = await simulateForFit(spec, values, 1000 + k);
    const c = cpu_s() - c0;
    per.push(c);
    rows.push(`| ${Object.entries(values).map(([a, v]) => `${a} ${v.toFixed(3)}`).join(', ')} | ${times.length} | ${((performance.now() - t0) / 1000).toFixed(1)} | ${c.toFixed(1)} | ${r.onsets.liSiteRim?.onset_C ?? 'n/a'} | ${l0} |`);
    log(`cost ${rows.at(-1)}\n`);
  }
  const mean = per.reduce((a, b) => a + b, 0) / n;
  const sims = defaultBudget(3) + 4;
  log(`\n| fitted values | frames | wall (s) | CPU (s) | rim onset (°C) | load at start |\n|---|---|---|---|---|---|\n${rows.join('\n')}\n\nMean ${mean.toFixed(1)} CPU-s per forward simulation; a 3-parameter fit (${defaultBudget(3)} simulations + 4 predictive) ≈ ${(sims * mean).toFixed(0)} CPU-s ≈ ${((sims * mean) / 2 / 60).toFixed(1)} min on 2 idle cores (simulations only; the emulator and MCMC: see the recovery fits' CPU less their simulations).\n\n`);
}

async function calibration(): Promise<void> {
  const fixture = join(here, '..', 'test', 'twin', 'fit', 'fixtures', 'fit-ci.yaml');
  const base = readFileSync(fixture, 'utf8');
  const n = Number(process.env.FIT_BENCH_CASES ?? 10);
  const rng = Rng.stream(20261207);
  let covered = 0;
  let rimCovered = 0;
  let rimRepeatCovered = 0;
  const rows: string[] = [];
  // FIT_BENCH_CASE_FROM=k runs cases k…n−1 only (the truths of the earlier ones are still drawn: the same cases).
  const from = Number(process.env.FIT_BENCH_CASE_FROM ?? 0);
  for (let c = 0; c < n; c++) {
    const o2 = +(1.35 + 0.3 * rng.uniform()).toFixed(3);
    if (c < from) continue;
    const dir = join(OUT, 'calibration', `case-${c}`);
    // FIT_BENCH_RESUME=1 keeps the fit's finished simulations (the series is made again, the same bytes).
    rmSync(process.env.FIT_BENCH_RESUME ? join(dir, 'series') : dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const yaml = editYaml(base, { seed: String(100 + c), 'imaging.drift': '0.35 Å', 'imaging.frames': '3', 'imaging.dose': '4000 e/Å^2', 'imaging.sourceSize': '0.5 Å' }).replace('\nenvironment:\n', `\nkinetics:\n  barriers: { o2Release: ${o2} eV }\nenvironment:\n`);
    const s = await makeSeries(yaml, dir);
    const rimTruth = s.onsets.find((o) => o.stage === 'liSiteRim')?.onset_C ?? null;
    // The fit's scenario: the same lamella (seed) with the fixture's imaging.
    writeFileSync(join(dir, 'fit-scenario.yaml'), editYaml(base, { seed: String(100 + c) }));
    await runFitCommand(fitArgs({ series: [join(dir, 'series', 'frames.tif')], scenario: join(dir, 'fit-scenario.yaml'), params: 'o2Release', budget: 24, predictive: 0, out: join(dir, 'fit'), seed: c + 1 }), () => {});
    const post = JSON.parse(readFileSync(join(dir, 'fit', 'posterior.json'), 'utf8'));
    const q = post.parameters.o2Release;
    const inside = q.ci90[0] <= o2 && o2 <= q.ci90[1];
    const rim = post.onsets.liSiteRim;
    const inGrid = (q: { ci90_C: (number | null)[] }) => rimTruth !== null && q.ci90_C[0] !== null && q.ci90_C[0]! <= rimTruth && (q.ci90_C[1] === null || rimTruth <= q.ci90_C[1]!);
    const rimIn = inGrid(rim);
    const rimRepeatIn = inGrid(rim.repeat);
    covered += +inside;
    rimCovered += +rimIn;
    rimRepeatCovered += +rimRepeatIn;
    rows.push(`| ${c} | ${o2} | ${+q.median.toFixed(3)} [${+q.ci90[0].toFixed(3)}, ${+q.ci90[1].toFixed(3)}] | ${inside ? 'yes' : '**no**'} | ${rimTruth} | ${rim.median_C} [${rim.ci90_C.join(', ')}] | ${rimIn ? 'yes' : '**no**'} | ${rim.repeat.median_C} [${rim.repeat.ci90_C.join(', ')}] ${rimRepeatIn ? 'yes' : '**no**'} | ${post.diagnostics.predictiveCheck?.pValue ?? ''} |`);
    log(`calibration case ${c}: ${rows.at(-1)}\n`);
  }
  log(`\n| case | o2Release truth (eV) | posterior median [90 %] | covers | rim onset of the series (°C) | this series' onset [90 %] | covers | a repeat experiment's [90 %], covers | predictive check p |\n|---|---|---|---|---|---|---|---|---|\n${rows.join('\n')}\n\n90 % intervals covering the truth: o2Release ${covered}/${n - from}, rim onset ${rimCovered}/${n - from} (the series' own), ${rimRepeatCovered}/${n - from} (a repeat experiment's). Load ${load()}.\n\n`);
}

async function timeline(): Promise<void> {
  const seed = readFileSync(join(SCENARIOS_DIR, 'seed-insitu-heating.yaml'), 'utf8');
  // The CI-size seed lamella (the seed acceptance test's): 4.8 × 4.8 nm, 2.8 nm deep, pore r = 1.2 nm.
  const ci = editYaml(seed, { 'structure.width': '4.8 nm', 'structure.height': '4.8 nm', 'structure.thickness': '2.8 nm', radius: '1.2 nm' });
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
  // FIT_BENCH_RESUME=1 keeps the ABC prior simulations (abc-sims.json) and the fit's finished simulations.
  if (!process.env.FIT_BENCH_RESUME) rmSync(dir, { recursive: true, force: true });
  rmSync(join(dir, 'series'), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const truth = 1.5;
  const yaml = editYaml(readFileSync(fixture, 'utf8'), { 'imaging.drift': '0.35 Å', 'imaging.frames': '3', 'imaging.sourceSize': '0.5 Å' }).replace('\nenvironment:\n', `\nkinetics:\n  barriers: { o2Release: ${truth} eV }\nenvironment:\n`);
  await makeSeries(yaml, dir);
  const args = fitArgs({ series: [join(dir, 'series', 'frames.tif')], scenario: fixture, params: 'o2Release', budget: Number(process.env.FIT_BENCH_BUDGET ?? 24), predictive: 0, out: join(dir, 'fit') });
  const nAbc = Number(process.env.FIT_BENCH_ABC_SIMS ?? 400);
  const { prep, space } = await prepareFitCommand({ ...args, out: join(dir, 'abc') });
  // The ABC prior simulations first (they do not depend on the fit), kept on disk.
  const cache = join(dir, 'abc-sims.json');
  let run: Awaited<ReturnType<typeof abcSimulate>>;
  let tAbc = NaN;
  let cAbc = NaN;
  try {
    const j = JSON.parse(readFileSync(cache, 'utf8'));
    if (j.n !== nAbc) throw new Error('size');
    run = { u: j.u.map((x: number[]) => Float64Array.from(x)), outputs: j.outputs };
    tAbc = j.wall_s;
    cAbc = j.cpu_s;
  } catch {
    const t1 = performance.now();
    const c1 = cpu_s();
    run = await abcSimulate(space, prep.spec, nAbc, 4242, Number(process.env.FIT_BENCH_WORKERS ?? 2));
    tAbc = (performance.now() - t1) / 1000;
    cAbc = cpu_s() - c1;
    writeFileSync(cache, JSON.stringify({ n: nAbc, wall_s: tAbc, cpu_s: cAbc, load: load(), u: run.u.map((x) => Array.from(x)), outputs: run.outputs }));
  }
  const t0 = performance.now();
  await runFitCommand(args, () => {});
  const tFit = (performance.now() - t0) / 1000;
  const post = JSON.parse(readFileSync(join(dir, 'fit', 'posterior.json'), 'utf8'));
  const q = post.parameters.o2Release;
  const width = q.ci90[1] - q.ci90[0];
  let reached = `not within ${nAbc}`;
  const nAcc = Number(process.env.FIT_BENCH_ABC_ACCEPT ?? 20);
  const sizes = [40, 50, 100, 200, 300, 400, 600, 800, 1200, 1600].filter((n) => n <= nAbc && n >= 2 * nAcc);
  const rows = sizes.map((n) => {
    // A fixed number accepted (Beaumont et al. 2002), so that a larger n means a smaller tolerance; 20 is the
    // fewest whose 5 % and 95 % quantiles are not the extreme samples.
    const acc = abcAccept({ u: run.u.slice(0, n), outputs: run.outputs.slice(0, n) }, prep.problem.observation, prep.problem.statNames, nAcc);
    const a = summariseParameters(space, acc.samples).o2Release!;
    const w = a.ci90[1] - a.ci90[0];
    const hit = a.ci90[0] <= truth && truth <= a.ci90[1];
    if (w <= width && reached.startsWith('not')) reached = String(n);
    return `| ABC rejection, ${nAcc} nearest of ${n} prior simulations | ${n} | ${+a.median.toFixed(3)} [${+a.ci90[0].toFixed(3)}, ${+a.ci90[1].toFixed(3)}] | ${w.toFixed(3)} | ${hit ? 'yes' : '**no**'} |`;
  });
  const hitFit = q.ci90[0] <= truth && truth <= q.ci90[1];
  log(`Truth o2Release = ${truth} eV (CI lamella, 4 frames, imaging unlike the fit's).\n\n| method | simulations | o2Release median [90 %] (eV) | 90 % width (eV) | covers |\n|---|---|---|---|---|\n| emulator fit | ${post.simulations} | ${+q.median.toFixed(3)} [${+q.ci90[0].toFixed(3)}, ${+q.ci90[1].toFixed(3)}] | ${width.toFixed(3)} | ${hitFit ? 'yes' : '**no**'} |\n${rows.join('\n')}\n\nABC rejection reaches the emulator fit's width at: ${reached} prior simulations. Wall: fit ${tFit.toFixed(0)} s, ${nAbc} ABC simulations ${tAbc.toFixed(0)} s, ${cAbc.toFixed(0)} CPU-s (load ${load()}).\n\n`);
}

export async function main(): Promise<void> {
  const want = (process.env.FIT_BENCH ?? 'analytic,recovery,calibration,timeline').split(',');
  mkdirSync(OUT, { recursive: true });
  log(`load at start: ${load()}\n\n`);
  if (want.includes('analytic')) await analytic();
  if (want.includes('recovery')) await recovery();
  if (want.includes('cost')) await cost();
  if (want.includes('calibration')) await calibration();
  if (want.includes('timeline')) await timeline();
  if (want.includes('abc-kmc')) await abcKmc();
}
