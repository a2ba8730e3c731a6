/**
 * Parameter draws that carry the uncertainty into the damage maps:
 * - from a fit's posterior (`--posterior D/posterior.json`, issue 12's contract: `{ schemaVersion: 1,
 *   parameters: { <name>: { unit, median, ci90, prior } } }` and the samples CSV beside it, one column
 *   per parameter name, optional `weight` column): N draws by systematic thinning (resampling when
 *   weighted); parameters the fit did not fit stay at their defaults, as the fit held them;
 * - without one, from the prior of the parameter table: a Latin hypercube over the rows with a prior
 *   (uniform on each row's scale), N points.
 * Each draw also gets its KMC seed (the same for every temperature and atmosphere: common random
 * numbers, so differences across the map are not seed noise) and a pore radius from the recipe's
 * distribution. Everything is derived from the run seed: same seed, same draws.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError, readInputFile, Rng, Stream } from '../../core/index.js';
import { maximinLhs } from '../fit/design.js';
import type { RadiusDistribution } from './recipe.js';

/** One dimension of the parameter space (a parameter-table row with a prior). */
export interface DrawDimension {
  readonly name: string;
  readonly unit: string;
  readonly default: number;
  readonly low: number;
  readonly high: number;
  readonly scale: 'linear' | 'log';
}

/** One draw. */
export interface Draw {
  readonly index: number;
  /** Values by public parameter name, in the table's units (only the varied ones). */
  readonly values: Readonly<Record<string, number>>;
  /** Pore radius of this draw, Å (NaN without a pore). */
  readonly poreRadius_A: number;
  /** Seed of this draw's KMC (shared by all temperatures and atmospheres). */
  readonly seed: number;
}

/** The draws and where they come from. */
export interface DrawSet {
  readonly source: 'posterior' | 'prior';
  /** One sentence for the report ("32 draws thinned from 4000 posterior samples in …"). */
  readonly description: string;
  /** Varied parameter names (columns of `values`), in order. */
  readonly names: readonly string[];
  /** Units of the varied parameters. */
  readonly units: Readonly<Record<string, string>>;
  readonly draws: readonly Draw[];
  /** Notes (fewer samples than draws asked, …). */
  readonly notes: readonly string[];
}

/** Value of unit coordinate u on a dimension's scale. */
function fromUnit(dim: DrawDimension, u: number): number {
  return dim.scale === 'log' ? Math.exp(Math.log(dim.low) + u * (Math.log(dim.high) - Math.log(dim.low))) : dim.low + u * (dim.high - dim.low);
}

/** A pore radius from the recipe's distribution. */
export function drawRadius(dist: RadiusDistribution, rng: Rng): number {
  if (dist.kind === 'fixed') return dist.radius_A;
  if (dist.kind === 'discrete') {
    const total = dist.weights.reduce((a, b) => a + b, 0);
    let x = rng.uniform() * total;
    for (let i = 0; i < dist.values_A.length; i++) {
      x -= dist.weights[i]!;
      if (x < 0) return dist.values_A[i]!;
    }
    return dist.values_A[dist.values_A.length - 1]!;
  }
  for (let k = 0; k < 10_000; k++) {
    const r = dist.median_A * Math.exp(Math.log(dist.gsd) * rng.normal());
    if (r >= dist.min_A && r <= dist.max_A) return +r.toFixed(6);
  }
  throw new InputError('drying.material.poreRadius', dist, 'a log-normal whose [min, max] holds some probability');
}

/** Per-draw seed and pore radius (stream DRY_DRAW, index d). */
function drawExtras(seed: number, d: number, radius: RadiusDistribution): { seed: number; poreRadius_A: number } {
  const rng = Rng.stream(seed, Stream.DRY_DRAW, d);
  const kmcSeed = rng.nextU32() * 2 ** 21 + (rng.nextU32() >>> 11);
  return { seed: kmcSeed, poreRadius_A: drawRadius(radius, rng) };
}

const fmtBound = (v: number) => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential() : String(v));

/** Prior draws: a Latin hypercube of n points over `dims`. */
export function priorDraws(dims: readonly DrawDimension[], n: number, seed: number, radius: RadiusDistribution): DrawSet {
  // The fit's Latin hypercube (one definition) with one candidate: a plain random hypercube, so every draw is a
  // uniform sample of the prior, as credible intervals need (maximin selection among candidates favours the edges).
  const u = maximinLhs(n, dims.length, Rng.stream(seed, Stream.DRY_PRIOR), 1).u;
  const draws: Draw[] = [];
  for (let i = 0; i < n; i++) {
    const values: Record<string, number> = {};
    dims.forEach((dim, j) => (values[dim.name] = +fromUnit(dim, u[i * dims.length + j]!).toPrecision(12)));
    draws.push({ index: i, values, ...drawExtras(seed, i, radius) });
  }
  const names = dims.map((d) => d.name);
  return {
    source: 'prior',
    description: `${n} draws from the prior of the parameter table (Latin hypercube over ${names.length} parameters: ${dims.map((d) => `${d.name} ${fmtBound(d.low)}–${fmtBound(d.high)} ${d.unit}${d.scale === 'log' ? ' (log-uniform)' : ''}`).join(', ')}); no posterior given`,
    names,
    units: Object.fromEntries(dims.map((d) => [d.name, d.unit])),
    draws,
    notes: [],
  };
}

/** The posterior contract of issue 12 (the parts read here). */
export interface PosteriorFile {
  readonly schemaVersion: number;
  readonly parameters: Readonly<Record<string, { unit: string; median: number; ci90?: [number, number]; prior?: [number, number] }>>;
  /** Optional: the samples file name, relative to posterior.json. */
  readonly samples?: string;
}

/** Names the samples CSV may have beside posterior.json (first found wins). */
export const SAMPLE_FILES = ['posterior-samples.csv', 'samples.csv'];

/** Parse a CSV of numbers with a header row (no quoting of numbers; '#' lines skipped). */
export function parseSamplesCsv(text: string, field: string): { header: string[]; rows: number[][] } {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  if (lines.length < 2) throw new InputError(field, `${lines.length} lines`, 'a CSV with a header row and at least one sample row');
  const header = lines[0]!.split(',').map((h) => h.trim().replace(/^"(.*)"$/, '$1'));
  const rows = lines.slice(1).map((l, i) => {
    const cells = l.split(',');
    if (cells.length !== header.length) throw new InputError(`${field}:${i + 2}`, l.slice(0, 80), `${header.length} comma-separated values (as the header)`);
    return cells.map((c) => Number(c));
  });
  return { header, rows };
}

const sameUnit = (a: string, b: string) => a === b || (['1/s', 'Hz', 's^-1'].includes(a) && ['1/s', 'Hz', 's^-1'].includes(b));

/**
 * Posterior draws: n samples of the posterior's parameters, thinned systematically from the samples CSV
 * (weighted: systematic resampling on the weights). `known(name)` gives the table unit of a parameter
 * name, undefined if the table has no such row (an InputError).
 */
export function posteriorDraws(path: string, n: number, seed: number, radius: RadiusDistribution, known: (name: string) => string | undefined): DrawSet {
  const field = '--posterior';
  let post: PosteriorFile;
  try {
    post = JSON.parse(readInputFile(path, field, 'posterior.json of `cathode-twin fit`').toString('utf8')) as PosteriorFile;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(field, path, 'a posterior.json of `cathode-twin fit` (JSON)', (e as Error).message);
  }
  if (post?.schemaVersion !== 1 || typeof post.parameters !== 'object' || post.parameters === null) throw new InputError(field, path, 'a posterior.json with schemaVersion 1 and a parameters object');
  const names = Object.keys(post.parameters);
  if (names.length === 0) throw new InputError(`${field} parameters`, '{}', 'at least one fitted parameter');
  for (const name of names) {
    const unit = known(name);
    if (unit === undefined) throw new InputError(`${field} parameters.${name}`, name, 'a parameter of the table (src/kinetics/ncm/params.ts)');
    if (!sameUnit(unit, post.parameters[name]!.unit)) throw new InputError(`${field} parameters.${name}.unit`, post.parameters[name]!.unit, `the table's unit ${unit}`);
  }
  const dir = dirname(path);
  const candidates = [...(post.samples ? [post.samples] : []), ...SAMPLE_FILES].map((f) => join(dir, f));
  const csvPath = candidates.find((p) => existsSync(p));
  if (!csvPath) throw new InputError(field, path, `a posterior with its samples CSV beside it (${candidates.map((c) => c.slice(dir.length + 1)).join(' or ')})`);
  const { header, rows } = parseSamplesCsv(readInputFile(csvPath, field, 'posterior samples CSV').toString('utf8'), csvPath);
  const col = names.map((name) => {
    const j = header.indexOf(name);
    if (j < 0) throw new InputError(`${csvPath} header`, header.join(','), `a column named ${name} (one per posterior parameter)`);
    return j;
  });
  const wj = header.indexOf('weight');
  const weights = rows.map((r) => (wj >= 0 ? r[wj]! : 1));
  rows.forEach((r, i) => {
    col.forEach((j, k) => {
      if (!Number.isFinite(r[j]!)) throw new InputError(`${csvPath}:${i + 2}`, r[j], `a finite ${names[k]}`);
    });
    if (!(weights[i]! >= 0)) throw new InputError(`${csvPath}:${i + 2}`, weights[i], 'a weight ≥ 0');
  });
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new InputError(csvPath, 'weights', 'some positive weight');
  const notes: string[] = [];
  const M = rows.length;
  // Systematic selection on the cumulative weight: k-th draw at (k + u)/n of the total.
  const u = Rng.stream(seed, Stream.DRY_POSTERIOR).uniform();
  const picks: number[] = [];
  let cum = 0, j = 0;
  for (let k = 0; k < n; k++) {
    const target = ((k + u) / n) * total;
    while (j < M - 1 && cum + weights[j]! <= target) cum += weights[j++]!;
    picks.push(j);
  }
  const distinct = new Set(picks).size;
  if (distinct < n) notes.push(`${n} draws from ${M} posterior samples: ${distinct} distinct samples (some repeat, as their weights or the sample count dictate).`);
  const draws: Draw[] = picks.map((row, i) => ({
    index: i,
    values: Object.fromEntries(names.map((name, k) => [name, rows[row]![col[k]!]!])),
    ...drawExtras(seed, i, radius),
  }));
  return {
    source: 'posterior',
    description: `${n} draws thinned systematically from ${M} posterior samples (${csvPath}) of ${names.join(', ')}; every other parameter at its default, as the fit held it`,
    names,
    units: Object.fromEntries(names.map((name) => [name, post.parameters[name]!.unit])),
    draws,
    notes,
  };
}
