/**
 * The findings of issue 17 that the catalogue (bad inputs, in process) and the fuzz tests do not show by themselves:
 * each reproduces the finding and passes now. Real-binary runs from a foreign working directory (workers), the
 * terminal staying clean of HDF5 diagnostics, white space pasted from web pages in a CIF, and the one-line form of
 * unexpected errors, resumes with other inputs refused, the kinetics checkpointed inside `run`. ~20 s (three real runs).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatError, runCli } from '../../src/cli/cli.js';
import { runScenario } from '../../src/twin/run/index.js';
import { parseScenario } from '../../src/twin/scenario/index.js';
import { gaussianImager } from '../twin/imager.js';
import { InputError } from '../../src/core/index.js';
import { readStructure } from '../../src/lattice/index.js';
import { ROOT, sampleStructures, writeSampleEmd } from './samples.js';

const BIN = join(ROOT, 'bin/cathode-twin.js');
const cli = (args: string[], cwd: string, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });

describe('issue 17 findings', () => {
  it('1. a CIF with a non-breaking space, form feed or vertical tab reads like the clean file (the tokenizer looped forever)', () => {
    const d = mkdtempSync(join(tmpdir(), 'ct-f1-'));
    const clean = sampleStructures().vesta;
    writeFileSync(join(d, 'clean.cif'), clean);
    const ref = readStructure(join(d, 'clean.cif'));
    // Copy-pasted from a web page: NBSP between tag and value, a form feed line, a vertical tab in a loop row.
    const pasted = clean
      .replace('_cell_length_a                         2.81560(10)', '_cell_length_a\u00a02.81560(10)')
      .replace('loop_\n_atom_site', 'loop_\n\f\n_atom_site')
      .replace(/\n(\s*)Li/, '\n\u000bLi');
    expect(pasted).not.toBe(clean);
    writeFileSync(join(d, 'pasted.cif'), pasted);
    const t0 = performance.now();
    const got = readStructure(join(d, 'pasted.cif'));
    expect(performance.now() - t0).toBeLessThan(5000); // a hang detector, not a speed claim
    expect(got.n).toBe(ref.n);
    expect(Array.from(got.positions_A)).toEqual(Array.from(ref.positions_A));
  });

  it('2. --workers 2 starts its workers from any working directory (image and dataset, run from a temporary folder)', () => {
    const d = mkdtempSync(join(tmpdir(), 'ct-f2-'));
    writeFileSync(join(d, 's.xyz'), sampleStructures().xyz);
    const img = cli(['image', '--structure', 's.xyz', '--out', 'i.tif', '--workers', '2', '--scan-step', '1 Å', '--sampling', '0.12 Å', '--detector', '30-60 mrad', '--slice', '5 Å', '--quiet'], d);
    expect(img.stderr).toBe('');
    expect(img.status).toBe(0);
    expect(existsSync(join(d, 'i.tif'))).toBe(true);
    const ds = cli(['dataset', '--count', '2', '--workers', '2', '--out', 'ds', '--size', '48 px', '--zones', '100', '--thickness', '20 Å', '--defocus', '0 Å', '--phonons', '1', '--ni-fraction', '0.8',
      '--pore-radius', '5,8 Å', '--patch-radius', '5,8 Å', '--patch-phases', 'NiO', '--kinetic-share', '0', '--bundle-size', '1', '--samples-per-specimen', '1', '--cache-dir', 'cache', '--quiet'], d);
    expect(ds.stderr).toBe('');
    expect(ds.status).toBe(0);
    expect(readFileSync(join(d, 'ds', 'manifest.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('6. a resume with other inputs is refused naming the option: kmc --resume --seed 99 on a killed seed-7 run (exit 0 before)', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ct-f6-'));
    writeFileSync(join(d, 's.yaml'), readFileSync(join(ROOT, 'scenarios/tiny.yaml'), 'utf8'));
    const out = join(d, 'k');
    const child = spawn(process.execPath, [BIN, 'kmc', '--scenario', 's.yaml', '--out', 'k', '--quiet', '--checkpoint-every', '0'], { cwd: d, stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    const records = () => (existsSync(join(out, '.partial')) ? readdirSync(join(out, '.partial')).filter((f) => f.endsWith('.bin')).length : 0);
    for (const t = Date.now(); records() < 1 && child.exitCode === null && Date.now() - t < 120_000;) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    await exited;
    expect(records()).toBeGreaterThanOrEqual(1);
    let line = '';
    const status = await runCli(['kmc', '--scenario', join(d, 's.yaml'), '--out', out, '--resume', '--seed', '99', '--quiet'], (x) => (line += x));
    expect(status).toBe(2);
    expect(line).toBe(`cathode-twin: invalid input: --seed: got 99; allowed: 7, the seed of the run checkpointed in ${join(out, '.partial')} (resume with the same inputs, or run without --resume to start over)\n`);
    const other = join(d, 'other.yaml');
    writeFileSync(other, readFileSync(join(d, 's.yaml'), 'utf8').replace('pO2: 1.2e-5 Pa', 'pO2: 1e-3 Pa'));
    line = '';
    expect(await runCli(['kmc', '--scenario', other, '--out', out, '--resume', '--quiet'], (x) => (line += x))).toBe(2);
    expect(line).toMatch(/^cathode-twin: invalid input: --scenario: got ".*other\.yaml \(hash [0-9a-f]{16}\)"; allowed: "[0-9a-f]{16}", the scenario of the run checkpointed in /);
  });

  it('7. the kinetics inside run is checkpointed as it goes (a record per frame with --checkpoint-every 0), not only after the whole stage', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ct-f7-'));
    const scenario = parseScenario(readFileSync(join(ROOT, 'scenarios/tiny.yaml'), 'utf8'), 'tiny.yaml');
    const frames = scenario.protocol.acquisitionTimes_s.length;
    await runScenario(scenario, { outDir: d, quiet: true, imager: gaussianImager, checkpointEvery_s: 0, stopAfterFrames: 1 });
    const recs = readdirSync(join(d, '.partial')).filter((f) => f.endsWith('.bin'));
    expect(recs.filter((f) => f.includes('-kmc-'))).toHaveLength(frames);
    expect(recs.filter((f) => f.includes('-image-'))).toHaveLength(1);
    // And a resume with another seed is refused naming --seed, with the same words as kmc.
    await expect(runScenario(scenario, { outDir: d, quiet: true, imager: gaussianImager, resume: true, seed: 99 })).rejects.toThrow(/^--seed: got 99; allowed: 7, the seed of the run checkpointed in /);
  });

  it('lower: a broken EMD gives one line on stderr, without the HDF5 diagnostics (35–50 lines before)', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ct-f3-'));
    await writeSampleEmd(join(d, 'full.emd'));
    const b = readFileSync(join(d, 'full.emd'));
    writeFileSync(join(d, 'broken.emd'), b.subarray(0, Math.floor(b.length * 0.6)));
    writeFileSync(join(d, 'sim.tif'), '');
    const r = cli(['compare', '--experiment', 'broken.emd', '--simulation', 'sim.tif', '--out', 'c'], d);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['cathode-twin: invalid input: --experiment: got "broken.emd"; allowed: a readable HDF5 (Velox EMD) file (HDF5 cannot open it: truncated or corrupt)']);
    expect(existsSync(join(d, 'c'))).toBe(false);
  });

  it('unexpected errors are one line with a hint; the stack only with CATHODE_TWIN_DEBUG=1; file-system failures say so', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    const env = process.env.CATHODE_TWIN_DEBUG;
    delete process.env.CATHODE_TWIN_DEBUG;
    try {
      const f = formatError(bug);
      expect(f.status).toBe(1);
      expect(f.line).toBe("cathode-twin: internal error: TypeError: Cannot read properties of undefined (reading 'x') (this is a bug: please report it with the command; CATHODE_TWIN_DEBUG=1 shows the stack)");
      process.env.CATHODE_TWIN_DEBUG = '1';
      expect(formatError(bug).line.split('\n').length).toBeGreaterThan(2);
      delete process.env.CATHODE_TWIN_DEBUG;
      const full = Object.assign(new Error("ENOSPC: no space left on device, write '/data/out/frames.tif'"), { code: 'ENOSPC' });
      expect(formatError(full)).toEqual({ line: "cathode-twin: file system: ENOSPC: no space left on device, write '/data/out/frames.tif'", status: 1 });
      expect(formatError(new InputError('--size', '-1 Å', 'a length > 0 Å'))).toEqual({ line: 'cathode-twin: invalid input: --size: got "-1 Å"; allowed: a length > 0 Å', status: 2 });
    } finally {
      if (env === undefined) delete process.env.CATHODE_TWIN_DEBUG;
      else process.env.CATHODE_TWIN_DEBUG = env;
    }
  });

  it('the real binary: a yargs error is one line with status 2, not the help page', () => {
    const d = mkdtempSync(join(tmpdir(), 'ct-f5-'));
    const r = cli(['image', '--structure', 's.xyz', '--out', 'i.tif', '--mode', 'fast'], d);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('cathode-twin: invalid input: --mode: got "fast"; allowed: one of multislice, incoherent (see cathode-twin image --help)\n');
    expect(r.stdout).toBe('');
  });
});
