/**
 * The CLI options every verb shares, declared once: `--seed`, `--workers`, `--out`, `--quiet`, `--json`, and the
 * microscope (`--energy`, `--semiangle`, `--detector`) whose defaults are the seed study's (SEED_MICROSCOPE).
 * A verb picks the ones it has and may give its own description or default; validation is shared too.
 *
 * @example
 *   builder: (y) => withCommon(y, { seed: { default: 0 }, workers: {}, out: { demand: true }, quiet: {}, json: {} })
 */
import type { Argv, Options } from 'yargs';
import { InputError, checkWorkers } from '../core/index.js';
import { SEED_MICROSCOPE } from '../multislice/index.js';

interface Spec { describe?: string; default?: unknown; demand?: boolean }
export interface CommonSpec {
  seed?: Spec;
  workers?: Spec;
  out?: Spec;
  quiet?: Spec;
  json?: Spec;
}

const BASE: Record<keyof CommonSpec, Options> = {
  seed: { type: 'number', describe: 'random seed (integer 0 … 2^53−1); same seed and inputs → same bytes for any --workers' },
  workers: { type: 'number', default: 1, describe: 'worker threads (results do not depend on the count)' },
  out: { type: 'string', describe: 'output folder' },
  quiet: { type: 'boolean', default: false, describe: 'no progress output (progress is a bar on a terminal, a few log lines elsewhere)' },
  json: { type: 'boolean', default: false, describe: 'print a machine-readable JSON result on stdout (logs go to stderr)' },
};

/** Adds the chosen common options to a yargs builder. */
export function withCommon<T>(y: Argv<T>, spec: CommonSpec): Argv<T> {
  let out = y;
  for (const k of Object.keys(BASE) as (keyof CommonSpec)[]) {
    const s = spec[k];
    if (!s) continue;
    out = out.option(k, {
      ...BASE[k],
      ...(s.describe ? { describe: s.describe } : {}),
      ...(s.default !== undefined ? { default: s.default } : {}),
      ...(s.demand ? { demandOption: true } : {}),
    }) as Argv<T>;
  }
  return out;
}

/** The microscope options with the seed study's defaults (200 kV, 15.07 mrad, HAADF 70–180 mrad). */
export function withMicroscope<T>(y: Argv<T>): Argv<T> {
  const m = SEED_MICROSCOPE;
  return y
    .option('energy', { type: 'string', default: `${m.energy_eV / 1e3} kV`, describe: 'accelerating voltage (unit string, e.g. "200 kV")' })
    .option('semiangle', { type: 'string', default: `${m.semiangle_mrad} mrad`, describe: 'probe-forming aperture semi-angle (e.g. "15.07 mrad")' })
    .option('detector', { type: 'string', default: `${m.detector.inner_mrad}-${m.detector.outer_mrad} mrad`, describe: 'annular detector inner-outer angle (e.g. "70-180 mrad")' }) as Argv<T>;
}

/** Validated `--seed` (integer 0 … 2^53−1); undefined stays undefined. */
export function checkSeed(v: unknown, field = '--seed'): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new InputError(field, v, 'an integer 0 … 2^53−1');
  return v;
}

export { checkWorkers };
