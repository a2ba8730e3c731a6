/**
 * The catalogue of bad inputs: every case below runs through the real CLI (in process, `runCli`) and must exit with
 * status 2 and exactly one line on stderr that names the expected field, leave no file behind, and take no time (each
 * is refused before any work). The messages are written to docs/errors.md, which this test compares with what the
 * CLI prints now, so the document cannot drift:
 *
 *   CATHODE_TWIN_UPDATE_ERRORS=1 npx vitest run test/reliability/catalogue.test.ts   # rewrites docs/errors.md
 *
 * Sizes are computed with CATHODE_TWIN_MEMORY=4 GiB, so messages are the same on every machine. ~10 s.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { encodeTiffFloat32 } from '../../src/twin/imageio/index.js';
import { ROOT, YAML_BOMB, cyclicTiff, hugeHeaderTiff, sampleDm3, sampleMrc, sampleNpy, sampleNpz, samplePng, sampleStructures, sampleTiff, writeSampleEmd, writeSampleHspy } from './samples.js';

/** One bad input: the verb, what is wrong, the arguments, and the field the message must name. */
interface Case { readonly verb: string; readonly what: string; readonly args: string[]; readonly field: string | RegExp }

const c = (verb: string, what: string, args: string[], field: string | RegExp): Case => ({ verb, what, args: [verb, ...args], field });
const g = (what: string, args: string[], field: string | RegExp): Case => ({ verb: '(any)', what, args, field });

const tiny = ['--structure', 's.xyz', '--out', 'i.tif'];
const cmp = (exp: string, ...more: string[]): string[] => ['--experiment', exp, '--simulation', 'sim.tif', '--out', 'cmp', ...more];

export const CASES: Case[] = [
  g('no command', [], 'command'),
  g('an unknown command', ['simulate'], 'command'),
  g('a misspelled command', ['rnu'], 'command'),
  g('an unknown option', ['structure', '--out', 's.cif', '--colour', 'red'], 'cathode-twin structure'),

  c('structure', 'a negative size (read as a value, not as flags)', ['--size', '-10 Å', '--out', 'o.cif'], '--size'),
  c('structure', 'a size without a unit', ['--size', '60', '--out', 'o.cif'], '--size'),
  c('structure', 'a size in the wrong unit', ['--size', '60 eV', '--out', 'o.cif'], '--size'),
  c('structure', 'a zero thickness', ['--thickness', '0 Å', '--out', 'o.cif'], '--thickness'),
  c('structure', 'a negative pore radius', ['--pore-radius', '-3 Å', '--out', 'o.cif'], '--pore-radius'),
  c('structure', 'a pore wider than the cell (the radius as given)', ['--size', '20 Å', '--pore-radius', '30 Å', '--out', 'o.cif'], '--pore-radius'),
  c('structure', 'a pore shape outside the choices', ['--pore-shape', 'cube', '--out', 'o.cif'], '--pore-shape'),
  c('structure', 'fractions not summing to 1', ['--composition', 'Ni0.5Co0.1', '--out', 'o.cif'], '--composition'),
  c('structure', 'an unknown zone axis', ['--zone', '123', '--out', 'o.cif'], '--zone'),
  c('structure', 'an APB parallel to the layers', ['--apb', '001', '--out', 'o.cif'], '--apb'),
  c('structure', 'cation mixing above 0.5', ['--mixing', '0.9', '--out', 'o.cif'], '--mixing'),
  c('structure', 'a Li content above 1', ['--li-content', '2', '--out', 'o.cif'], '--li-content'),
  c('structure', 'a non-integer seed', ['--seed', '1.5', '--out', 'o.cif'], '--seed'),
  c('structure', 'no --out', [], '--out'),
  c('structure', 'an output format not written', ['--out', 'o.pdb'], '--out'),
  c('structure', 'an output below a file', ['--out', 'afile/o.cif'], '--out'),
  c('structure', 'an output path that is a folder', ['--out', 'adir.cif'], '--out'),
  c('structure', 'an unknown phase', ['--phase', 'Fe2O3', '--out', 'o.cif'], '--phase'),
  c('structure', 'a product phase of 1e6 Å (no size guard before)', ['--phase', 'NiO', '--size', '1e6 Å', '--out', 'o.cif'], '--size'),
  c('structure', 'a lamella too large to write', ['--size', '700 Å', '--thickness', '800 Å', '--out', 'o.xyz'], '--size'),

  c('image', 'a structure file that does not exist', ['--structure', 'none.xyz', '--out', 'i.tif'], '--structure'),
  c('image', 'a structure format not read', ['--structure', 's.pdb', '--out', 'i.tif'], '--structure'),
  c('image', 'a PNG renamed .cif (looped forever before)', ['--structure', 'png.cif', '--out', 'i.tif'], '--structure'),
  c('image', 'random bytes named .cif', ['--structure', 'random.cif', '--out', 'i.tif'], '--structure'),
  c('image', 'a CIF whose text is cut in a quoted string', ['--structure', 'quote.cif', '--out', 'i.tif'], /^quote\.cif line 3/),
  c('image', 'a CIF without a cell', ['--structure', 'nocell.cif', '--out', 'i.tif'], /^nocell\.cif/),
  c('image', 'an XYZ whose atom count exceeds its lines', ['--structure', 'trunc.xyz', '--out', 'i.tif'], /^trunc\.xyz line 1/),
  c('image', 'an XYZ with an occupancy of 2', ['--structure', 'occ.xyz', '--out', 'i.tif'], /^occ\.xyz line 3 occupancy/),
  c('image', 'an accelerating voltage outside 1 kV–5 MV', [...tiny, '--energy', '10 MV'], '--energy'),
  c('image', 'a zero semi-angle', [...tiny, '--semiangle', '0 mrad'], '--semiangle'),
  c('image', 'a detector range the wrong way round', [...tiny, '--detector', '180-70 mrad'], '--detector'),
  c('image', 'a sampling too coarse for the detector', [...tiny, '--sampling', '0.5 Å'], '--sampling'),
  c('image', 'a scan region with x1 < x0', [...tiny, '--scan-region', '10,0,0,10 Å'], '--scan-region'),
  c('image', '10⁸ probe positions (hung before)', [...tiny, '--scan-region', '0,0,10,10 Å', '--scan-step', '0.001 Å'], '--scan-step'),
  c('image', 'an imaging mode outside the choices', [...tiny, '--mode', 'fast'], '--mode'),
  c('image', 'a negative dose', [...tiny, '--dose', '-5 e/Å^2'], '--dose'),
  c('image', 'a fractional phonon count', [...tiny, '--phonons', '1.5'], '--phonons'),
  c('image', 'zero workers', [...tiny, '--workers', '0'], '--workers'),
  c('image', 'a defocus without a unit', [...tiny, '--defocus', '100'], '--defocus'),
  c('image', 'an output that is not a TIFF', ['--structure', 's.xyz', '--out', 'i.png'], '--out'),
  c('image', 'an output path that is a folder', ['--structure', 's.xyz', '--out', 'adir.tif'], '--out'),

  c('compare', 'an experiment file that does not exist', cmp('none.tif'), '--experiment'),
  c('compare', 'a truncated frames.tif (crashed before)', cmp('truncated.tif'), '--experiment'),
  c('compare', 'a 364-byte TIFF claiming 100000² float32 (crashed before)', cmp('huge.tif'), /^huge\.tif/),
  c('compare', 'a TIFF whose IFD chain loops', cmp('cyclic.tif'), '--experiment'),
  c('compare', 'a PNG that is random bytes', cmp('random.png'), '--experiment'),
  c('compare', 'a truncated DM3', cmp('trunc.dm3'), '--experiment'),
  c('compare', 'a truncated .npy', cmp('trunc.npy'), /^trunc\.npy/),
  c('compare', 'an .npz without the array asked for', cmp('s.npz', '--npz-array', 'arr_7'), 'npz array'),
  c('compare', 'a truncated Velox EMD (35–50 lines of HDF5 diagnostics before)', cmp('trunc.emd'), '--experiment'),
  c('compare', 'a JSON sidecar with a trailing comma', cmp('s.tif', '--sidecar', 'comma.json'), /^comma\.json:1:\d+/),
  c('compare', 'a sidecar entry that is not an object', cmp('s.tif', '--sidecar', 'null.json'), /^null\.json frames\[0\]/),
  c('compare', 'a normalisation outside the choices', cmp('s.tif', '--normalise', 'max'), '--normalise'),
  c('compare', 'a negative pixel size', cmp('s.tif', '--pixel-size', '-0.2 Å'), '--pixel-size'),
  c('compare', 'an output folder that is a file', ['--experiment', 's.tif', '--simulation', 'sim.tif', '--out', 'afile'], '--out'),
  c('compare', 'a simulation that does not exist', ['--experiment', 's.tif', '--simulation', 'none.tif', '--out', 'cmp'], '--simulation'),

  c('analyse', 'no --series', ['--out', 'a'], '--series'),
  c('analyse', 'a series file that does not exist', ['--series', 'none.mrc', '--out', 'a'], '--series'),
  c('analyse', 'a truncated MRC stack', ['--series', 'trunc.mrc', '--out', 'a'], '--series'),
  c('analyse', 'a truncated HyperSpy file', ['--series', 'trunc.hspy', '--out', 'a'], '--series'),
  c('analyse', 'a signal name the HyperSpy file lacks', ['--series', 's.hspy', '--signal', 'eels', '--out', 'a'], '--signal'),
  c('analyse', 'a negative pixel size', ['--series', 's.mrc', '--pixel-size', '-0.2 Å', '--out', 'a'], '--pixel-size'),
  c('analyse', 'a normalisation outside the choices', ['--series', 's.mrc', '--normalise', 'max', '--out', 'a'], '--normalise'),
  c('analyse', 'a negative rim width', ['--series', 's.mrc', '--rim', '-1 Å', '--out', 'a'], '--rim'),
  c('analyse', 'an output folder that is a file', ['--series', 's.mrc', '--out', 'afile'], '--out'),

  c('kmc', 'a scenario file that does not exist', ['--scenario', 'none.yaml', '--out', 'k'], 'scenario'),
  c('kmc', 'a JSON scenario with a trailing comma (accepted as YAML before)', ['--scenario', 'comma.scenario.json', '--out', 'k'], /^comma\.scenario\.json:\d+:\d+/),
  c('kmc', 'a YAML alias bomb (a stack trace before)', ['--scenario', 'bomb.yaml', '--out', 'k'], /^bomb\.yaml/),
  c('kmc', 'a scenario that is not UTF-8 text', ['--scenario', 'binary.yaml', '--out', 'k'], 'scenario'),
  c('kmc', 'an unknown scenario key', ['--scenario', 'typo.yaml', '--out', 'k'], 'structure.widht'),
  c('kmc', 'a 700 × 700 × 800 Å lamella (passed the site limit, then > 6 GB)', ['--scenario', 'lamella.yaml', '--out', 'k'], 'structure.width × height × thickness'),
  c('kmc', 'an output folder that is a file', ['--scenario', 'tiny', '--out', 'afile'], '--out'),
  c('kmc', '--resume without a checkpoint', ['--scenario', 'tiny', '--out', 'fresh', '--resume'], '--resume'),
  c('kmc', 'a negative checkpoint interval', ['--scenario', 'tiny', '--out', 'k', '--checkpoint-every', '-1'], '--checkpoint-every'),
  c('kmc', 'a negative seed', ['--scenario', 'tiny', '--out', 'k', '--seed', '-1'], '--seed'),

  c('run', 'an output folder that is a file (a stack after the work before)', ['tiny', '--out', 'afile'], '--out'),
  c('run', 'a 2000 × 2000 Å field at 0.02 Å (refused after minutes of kinetics, as scan-step, before)', ['big.yaml', '--out', 'r'], 'imaging.sampling'),
  c('run', 'a pore wider than the cell (the radius as given)', ['pore.yaml', '--out', 'r'], 'structure.pore.radius'),
  c('run', 'an imaging mode outside the choices', ['tiny', '--imaging', 'fast', '--out', 'r'], '--imaging'),
  c('run', 'a non-integer seed', ['tiny', '--seed', '1.5', '--out', 'r'], '--seed'),
  c('run', 'zero workers', ['tiny', '--workers', '0', '--out', 'r'], '--workers'),
  c('run', 'an unknown built-in scenario', ['nonesuch', '--out', 'r'], 'scenario'),

  c('dataset', 'no --count', ['--out', 'd'], '--count'),
  c('dataset', 'a zero count', ['--count', '0', '--out', 'd'], '--count'),
  c('dataset', '10⁹ samples in one shard (Node died at 2.6 GB before)', ['--count', '1000000000', '--out', 'd'], '--count'),
  c('dataset', 'a shard index beyond the count', ['--count', '4', '--shard', '3/2', '--out', 'd'], '--shard'),
  c('dataset', 'an image size without px', ['--count', '4', '--size', 'big', '--out', 'd'], '--size'),
  c('dataset', 'an unknown zone axis', ['--count', '4', '--zones', '111', '--out', 'd'], '--zones'),
  c('dataset', 'a dose without a unit', ['--count', '4', '--dose', '5000', '--out', 'd'], '--dose'),
  c('dataset', 'a train/val/test split not summing to 1', ['--count', '4', '--split', '0.5,0.1,0.1', '--out', 'd'], '--split'),
  c('dataset', 'an output folder that is a file', ['--count', '4', '--out', 'afile'], '--out'),
  c('dataset', 'an empty --out (wrote into the working folder before)', ['--count', '4', '--out', ''], '--out'),
  c('dataset', '--merge with no shard summaries', ['--merge', '--out', 'empty'], '--out'),
  c('dataset', '--merge with a truncated shard summary (a stack trace before)', ['--merge', '--out', 'damaged'], /^damaged\/shard-0-of-1\.json:1:\d+/),

  c('fit', 'neither a series nor a timeline', ['--out', 'f'], '--series'),
  c('fit', 'a series and a timeline at once', ['--series', 's.tif', '--timeline', 'seed', '--out', 'f'], '--timeline'),
  c('fit', 'a parameter not in the table', ['--timeline', 'seed', '--params', 'o2Release,notAParameter', '--out', 'f'], '--params[1]'),
  c('fit', 'a parameter without a prior (held at its default)', ['--timeline', 'seed', '--params', 'bondLi', '--out', 'f'], '--params[0]'),
  c('fit', 'a prior that is not name=low:high', ['--timeline', 'seed', '--prior', 'o2Release', '--out', 'f'], '--prior[0]'),
  c('fit', 'a prior with a negative barrier', ['--timeline', 'seed', '--prior', 'o2Release=-0.2:1.5', '--out', 'f'], /^fit\.priors\.o2Release/),
  c('fit', 'a budget below what the method needs', ['--timeline', 'seed', '--budget', '12', '--out', 'f'], '--budget'),
  c('fit', 'a shard index beyond the count', ['--timeline', 'seed', '--shard', '3/3', '--out', 'f'], '--shard'),
  c('fit', '--shard with --merge', ['--timeline', 'seed', '--shard', '0/2', '--merge', '--out', 'f'], '--merge'),
  c('fit', 'more posterior-predictive runs than allowed', ['--timeline', 'seed', '--predictive', '100', '--out', 'f'], '--predictive'),
  c('fit', 'an unknown zone axis', ['--timeline', 'seed', '--zone', '123', '--out', 'f'], '--zone'),
  c('fit', 'a timeline file that does not exist', ['--timeline', 'none.yaml', '--out', 'f'], '--timeline'),
  c('fit', 'a timeline with an unknown stage', ['--timeline', 'stage.yaml', '--out', 'f'], '--timeline[0].stage'),
  c('fit', 'a scenario file that does not exist', ['--timeline', 'seed', '--scenario', 'none.yaml', '--out', 'f'], /scenario/),
  c('fit', 'a truncated series TIFF', ['--series', 'truncated.tif', '--out', 'f'], '--series'),
  c('fit', 'a series without temperatures', ['--series', 'notemp/frames.tif', '--scenario', 'fit.yaml', '--params', 'o2Release', '--out', 'f'], '--sidecar'),
  c('fit', 'a series hotter than the scenario\'s protocol', ['--series', 'hot/frames.tif', '--scenario', 'fit.yaml', '--params', 'o2Release', '--out', 'f'], 'scenario.protocol'),
  c('fit', 'an output folder that is a file', ['--timeline', 'seed', '--out', 'afile'], '--out'),

  c('dry', 'an unknown built-in recipe', ['nonesuch', '--out', 'd'], /recipe/),
  c('dry', 'a recipe with a misspelled key', ['typo.dry.yaml', '--out', 'd'], /drying\.temperaturs/),
  c('dry', 'a temperature above the validated range', ['--temperatures', '120,600 degC', '--out', 'd'], '--temperatures (drying.temperatures[1])'),
  c('dry', 'hold times without a unit', ['--times', '1,2', '--out', 'd'], '--times'),
  c('dry', 'hold times that do not increase', ['--times', '2,1 h', '--out', 'd'], /^--times/),
  c('dry', 'an atmosphere at zero pressure', ['--atmosphere', '{name: oven, gas: air, pressure: 0 Pa}', '--out', 'd'], '--atmosphere (drying.atmospheres[0].pressure)'),
  c('dry', 'an atmosphere that is not a mapping', ['--atmosphere', 'oven', '--out', 'd'], '--atmosphere[0]'),
  c('dry', 'zero draws', ['--draws', '0', '--out', 'd'], '--draws'),
  c('dry', 'a negative threshold', ['--threshold', '-5 Å', '--out', 'd'], /^--threshold/),
  c('dry', 'a shard index beyond the count', ['--shard', '3/2', '--out', 'd'], '--shard'),
  c('dry', '--merge with --shard', ['--shard', '0/2', '--merge', '--out', 'd'], '--merge'),
  c('dry', '--merge before any trajectory exists', ['--merge', '--out', 'd'], '--merge'),
  c('dry', 'a posterior that does not exist', ['--posterior', 'none.json', '--out', 'd'], '--posterior'),
  c('dry', 'a posterior without its samples CSV', ['--posterior', 'post/posterior.json', '--out', 'd'], '--posterior'),
  c('dry', 'a posterior parameter not in the table', ['--posterior', 'badpost/posterior.json', '--out', 'd'], /^--posterior parameters\.notAParameter/),
  c('dry', 'an output folder holding another study', ['--out', 'otherstudy'], '--out'),
  c('dry', 'an output folder of the same recipe with other inputs (a resume would mix two studies)', ['--out', 'otherinputs'], '--out'),
  c('dry', 'an output folder that is a file', ['--out', 'afile'], '--out'),

  c('bench', 'an area outside the choices', ['gpu'], 'area'),
  c('bench', 'no area', [], 'area'),
  c('bench', 'more sites than the benchmark takes', ['kmc', '--sites', '1e9'], '--sites'),
  c('bench', 'more NCM sites than memory holds', ['kmc', '--model', 'seed', '--sites', '1.5e8'], '--sites'),
  c('bench', 'zero events', ['kmc', '--events', '0'], '--events'),
  c('bench', 'a model outside the choices', ['kmc', '--model', 'ising'], '--model'),
];

let dir = '';
const cwd0 = process.cwd();
const env0 = process.env.CATHODE_TWIN_MEMORY;
const results = new Map<Case, { status: number; stderr: string; stdout: string; ms: number }>();

/** The fixtures the cases read, in the case folder. */
async function writeFixtures(d: string): Promise<void> {
  const st = sampleStructures();
  const w = (name: string, data: string | Uint8Array): void => writeFileSync(join(d, name), data);
  w('afile', 'a file, not a folder');
  mkdirSync(join(d, 'adir.cif'));
  mkdirSync(join(d, 'adir.tif'));
  w('s.xyz', st.xyz);
  w('s.pdb', 'ATOM');
  w('png.cif', samplePng());
  w('random.cif', Uint8Array.from({ length: 600 }, (_, i) => (i * 197 + 31) % 256));
  w('quote.cif', "data_x\n_cell_length_a 4\n_chemical_name 'unclosed\n");
  w('nocell.cif', 'data_x\nloop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\nNi1 0 0 0\n');
  w('trunc.xyz', st.xyz.split('\n').slice(0, 20).join('\n'));
  w('occ.xyz', '1\nLattice="5 0 0 0 5 0 0 0 5" Properties=species:S:1:pos:R:3:occupancy:R:1\nNi 0 0 0 2\n');
  const tif = sampleTiff();
  w('s.tif', tif);
  w('sim.tif', tif);
  w('truncated.tif', tif.subarray(0, Math.floor(tif.length * 0.7)));
  w('huge.tif', hugeHeaderTiff());
  w('cyclic.tif', cyclicTiff());
  w('random.png', Uint8Array.from({ length: 300 }, (_, i) => (i * 13 + 7) % 256));
  const dm = sampleDm3();
  w('trunc.dm3', dm.subarray(0, Math.floor(dm.length / 2)));
  const npy = sampleNpy();
  w('trunc.npy', npy.subarray(0, npy.length - 9));
  w('s.npz', sampleNpz());
  await writeSampleEmd(join(d, 'full.emd'));
  const emd = readFileSync(join(d, 'full.emd'));
  w('trunc.emd', emd.subarray(0, Math.floor(emd.length * 0.6)));
  rmSync(join(d, 'full.emd'));
  const mrc = sampleMrc();
  w('s.mrc', mrc);
  w('trunc.mrc', mrc.subarray(0, 1100));
  await writeSampleHspy(join(d, 's.hspy'));
  const hspy = readFileSync(join(d, 's.hspy'));
  w('trunc.hspy', hspy.subarray(0, Math.floor(hspy.length * 0.5)));
  w('comma.json', '{"pixelSize": "0.2 Å", "frames": [{"temperature": "25 degC"},]}');
  w('null.json', '[null]');
  const tinyYaml = readFileSync(join(ROOT, 'scenarios/tiny.yaml'), 'utf8');
  w('comma.scenario.json', '{\n  "name": "tiny",\n  "seed": 7,\n}\n');
  w('bomb.yaml', YAML_BOMB);
  w('binary.yaml', Uint8Array.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xff, 0xfe, 0x00, 0x0a]));
  w('typo.yaml', tinyYaml.replace('  width: 3 nm', '  widht: 3 nm'));
  w('lamella.yaml', tinyYaml.replace('width: 3 nm', 'width: 700 Å').replace('height: 2.5 nm', 'height: 700 Å').replace('thickness: 2 nm', 'thickness: 800 Å'));
  w('big.yaml', tinyYaml.replace('width: 3 nm', 'width: 2000 Å').replace('height: 2.5 nm', 'height: 2000 Å').replace('thickness: 2 nm', 'thickness: 0.5 nm').replace('sampling: 0.4 Å', 'sampling: 0.02 Å'));
  w('pore.yaml', tinyYaml.replace('radius: 0.7 nm', 'radius: 1.4 nm'));
  // fit and dry.
  w('fit.yaml', readFileSync(join(ROOT, 'test/twin/fit/fixtures/fit-ci.yaml'), 'utf8'));
  w('stage.yaml', 'timeline:\n  - { stage: meltdown, after: 160 degC, onset: 175 degC }\n');
  for (const [name, temps] of [['notemp', [null, null, null]], ['hot', [25, 125, 500]]] as const) {
    mkdirSync(join(d, name));
    w(`${name}/frames.tif`, encodeTiffFloat32([0, 1, 2].map((k) => Float32Array.from({ length: 48 * 40 }, (_v, i) => 0.01 * (1 + Math.sin(i + k)))), 48, 40, { pixelSize_A: 0.25, unit: 'A' }));
    w(`${name}/frames.json`, JSON.stringify({ pixelSize_A: 0.25, units: 'fraction of incident beam', frames: temps.map((t, i) => ({ index: i, ...(t === null ? {} : { temperature_K: t + 273.15 }), dose_ePerA2: 5000 })) }));
  }
  w('typo.dry.yaml', readFileSync(join(ROOT, 'scenarios/dry-ncm851005.yaml'), 'utf8').replace(/^  temperatures:/m, '  temperaturs:'));
  mkdirSync(join(d, 'post'));
  w('post/posterior.json', JSON.stringify({ schemaVersion: 1, parameters: { o2Release: { unit: 'eV', median: 1.5 } } }));
  mkdirSync(join(d, 'badpost'));
  w('badpost/posterior.json', JSON.stringify({ schemaVersion: 1, parameters: { notAParameter: { unit: 'eV', median: 1.5 } } }));
  w('badpost/posterior-samples.csv', 'notAParameter\n1.5\n');
  mkdirSync(join(d, 'otherstudy'));
  w('otherstudy/dry-run.json', JSON.stringify({ recipe: 'dry-other', seed: 3, draws: 'prior' }));
  mkdirSync(join(d, 'otherinputs'));
  w('otherinputs/dry-run.json', JSON.stringify({ recipe: 'dry-ncm851005', seed: 20251206, draws: 'prior', study: '0123456789abcdef' }));
  mkdirSync(join(d, 'empty'));
  mkdirSync(join(d, 'damaged'));
  w('damaged/shard-0-of-1.json', '{"format": "cathode-twin dataset", "version": 1, "seed": 0, "coun');
}

function listing(d: string): string[] {
  const out: string[] = [];
  const walk = (p: string, rel: string): void => {
    for (const n of readdirSync(p, { withFileTypes: true })) {
      out.push(`${rel}${n.name}`);
      if (n.isDirectory()) walk(join(p, n.name), `${rel}${n.name}/`);
    }
  };
  walk(d, '');
  return out.sort();
}

/** Capture everything written to stdout and stderr while `f` runs. */
async function capture<T>(f: () => Promise<T>): Promise<{ value: T; out: string; err: string }> {
  const o = process.stdout.write, e = process.stderr.write;
  let out = '', err = '';
  process.stdout.write = ((s: string | Uint8Array) => { out += String(s); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => { err += String(s); return true; }) as typeof process.stderr.write;
  try {
    const value = await f();
    return { value, out, err };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

/** A message with this run's folder and the package path taken out. */
const portable = (s: string): string => s.split(dir + '/').join('').split(dir).join('.').split(ROOT).join('<package>/');

/** The catalogue in Markdown. */
export function catalogue(): string {
  const verbs = [...new Set(CASES.map((k) => k.verb))];
  const cell = (s: string): string => {
    const t = s.replace(/\|/g, '\\|');
    return t.includes('`') ? `\`\` ${t} \`\`` : `\`${t}\``;
  };
  const quote = (a: string): string => (a === '' || /[\s"'|*&;<>()$`\\]/.test(a) ? `"${a.replace(/(["\\$`])/g, '\\$1')}"` : a);
  const lines = [
    '# Bad input: every case and its message',
    '',
    'Generated by `test/reliability/catalogue.test.ts` from the cases it runs through the CLI; the test fails when this',
    'file and the messages differ, so it cannot drift. To rewrite it after changing a message:',
    '`CATHODE_TWIN_UPDATE_ERRORS=1 npx vitest run test/reliability/catalogue.test.ts`.',
    '',
    'Every case exits with status 2 and prints one line on stderr, `cathode-twin: invalid input: <field>: got <value>;',
    'allowed: <what is allowed> (<hint>)`, before any work and without leaving a file behind. Size limits are shown as',
    'computed with `CATHODE_TWIN_MEMORY=4 GiB`; on your machine they follow its memory. Errors that are not bad input are',
    'one line too: `cathode-twin: file system: …` or `cathode-twin: internal error: … (this is a bug …)` with status 1',
    '(the stack with `CATHODE_TWIN_DEBUG=1`).',
    '',
    `${CASES.length} cases.`,
  ];
  let n = 0;
  for (const v of verbs) {
    lines.push('', `## ${v}`, '', '| # | case | command | message |', '|---|---|---|---|');
    for (const k of CASES.filter((x) => x.verb === v)) {
      const r = results.get(k)!;
      const msg = portable(r.stderr.trim()).replace(/^cathode-twin: invalid input: /, '');
      lines.push(`| ${++n} | ${k.what} | ${cell(['cathode-twin', ...k.args.map(quote)].join(' '))} | ${cell(msg)} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

describe('catalogue of bad inputs (docs/errors.md)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ct-catalogue-'));
    await writeFixtures(dir);
    process.env.CATHODE_TWIN_MEMORY = '4 GiB';
    process.chdir(dir);
  });
  afterAll(() => {
    process.chdir(cwd0);
    if (env0 === undefined) delete process.env.CATHODE_TWIN_MEMORY;
    else process.env.CATHODE_TWIN_MEMORY = env0;
    rmSync(dir, { recursive: true, force: true });
  });

  it(`has at least 60 cases across the verbs`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((k) => k.verb)).size).toBeGreaterThanOrEqual(7);
  });

  for (const k of CASES) {
    it(`${k.verb}: ${k.what}`, async () => {
      const before = listing(dir);
      const t0 = performance.now();
      let line = '';
      const { value: status, out, err } = await capture(() => runCli(k.args, (s) => (line += s)));
      const ms = performance.now() - t0;
      const stderr = err + line;
      results.set(k, { status, stderr, stdout: out, ms });
      expect(stderr.trim().split('\n'), stderr).toHaveLength(1);
      expect(stderr).toMatch(/^cathode-twin: invalid input: /);
      expect(stderr).not.toMatch(/\n\s+at |node:internal|HDF5-DIAG/);
      expect(status, stderr).toBe(2);
      const msg = portable(stderr).replace(/^cathode-twin: invalid input: /, '');
      if (typeof k.field === 'string') expect(msg.startsWith(`${k.field}: `), msg).toBe(true);
      else expect(msg, msg).toMatch(k.field);
      expect(listing(dir)).toEqual(before); // nothing written, no empty folder left behind
    });
  }

  it('docs/errors.md is the catalogue of the messages printed now', () => {
    expect(results.size).toBe(CASES.length);
    const text = catalogue();
    const path = join(ROOT, 'docs/errors.md');
    if (process.env.CATHODE_TWIN_UPDATE_ERRORS === '1') {
      mkdirSync(join(ROOT, 'docs'), { recursive: true });
      writeFileSync(path, text);
    }
    expect(existsSync(path), 'docs/errors.md is missing: run with CATHODE_TWIN_UPDATE_ERRORS=1').toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });
});
