/**
 * Fuzzing every reader of a user's file (fast-check, fixed seeds so CI is reproducible): random bytes, the valid
 * sample truncated at every tenth of its length, and single-byte corruptions of it. Each case must either read or
 * throw an InputError (never another exception), within a time and memory bound: a hang or a runaway allocation
 * fails the test. Readers: CIF, extended XYZ, scenario YAML and JSON, TIFF (and its description scan), PNG, DM3,
 * NPY, NPZ, Velox EMD (HDF5), MRC and HyperSpy HDF5 (through readSeries, as the CLI reads them), checkpoint inputs records, KMC engine checkpoints, sidecars (JSON, CSV), dataset
 * shard summaries. About 15–25 s on 2 cores.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, openCheckpoint } from '../../src/core/index.js';
import { readStructure } from '../../src/lattice/index.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/kinetics/checkpoint.js';
import { parse as parseYaml } from 'yaml';
import { decodePngGrey, decodeTiff } from '../../src/twin/imageio/index.js';
import { parseScenario } from '../../src/twin/scenario/index.js';
import { decodeDm } from '../../src/twin/series/dm.js';
import { readEmd } from '../../src/twin/series/emd.js';
import { decodeNpy, decodeNpz, npyFrames } from '../../src/twin/series/npy.js';
import { parseCsvSidecar, parseJsonSidecar } from '../../src/twin/series/sidecar.js';
import { tiffDescriptions } from '../../src/twin/series/tiffTags.js';
import { DEFAULT_DATASET_CONFIG, mergeDataset } from '../../src/twin/dataset/index.js';
import { ROOT, sampleCheckpoint, sampleDm3, sampleMrc, sampleNpy, sampleNpz, samplePng, sampleSidecars, sampleStructures, sampleTiff, writeSampleEmd, writeSampleHspy } from './samples.js';
import { readSeries } from '../../src/twin/series/read.js';

const dir = mkdtempSync(join(tmpdir(), 'ct-fuzz-'));
const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A reader under test: a valid sample and how to read bytes. */
interface Reader {
  readonly name: string;
  readonly sample: () => Uint8Array | Promise<Uint8Array>;
  readonly read: (b: Uint8Array) => unknown;
  /** Cases per property (fewer for readers that go through a file). */
  readonly runs?: number;
}

let fileNo = 0;
const viaFile = (ext: string, f: (p: string) => unknown) => (b: Uint8Array) => {
  const p = join(dir, `case-${fileNo++ % 8}${ext}`);
  writeFileSync(p, b);
  return f(p);
};

const structures = sampleStructures();
const tinyYaml = readFileSync(join(ROOT, 'scenarios/tiny.yaml'), 'utf8');
const sidecars = sampleSidecars();
const manifestDir = join(dir, 'manifests');
mkdirSync(join(manifestDir, 'bundles'), { recursive: true });
writeFileSync(join(manifestDir, 'bundles', 'b000000.json'), JSON.stringify({ sha256: 'ab'.repeat(32), rows: ['{"index":0}', '{"index":1}'] }));
const manifest = JSON.stringify({ format: 'cathode-twin dataset', version: 1, seed: 0, count: 2, configHash: '0123456789abcdef', config: DEFAULT_DATASET_CONFIG, shard: { index: 0, count: 1 }, bundles: [{ bundle: 0, file: 'bundles/b000000.npz', sha256: 'ab'.repeat(32), samples: 2, first: 0, split: 'train', files: [] }] });

const READERS: Reader[] = [
  { name: 'CIF (P1 lamella)', sample: () => utf8(structures.cif), read: viaFile('.cif', (p) => readStructure(p)) },
  { name: 'CIF (R-3m, symmetry operations)', sample: () => utf8(structures.vesta), read: viaFile('.cif', (p) => readStructure(p)) },
  { name: 'extended XYZ', sample: () => utf8(structures.xyz), read: viaFile('.xyz', (p) => readStructure(p)) },
  { name: 'scenario YAML', sample: () => utf8(tinyYaml), read: (b) => parseScenario(text(b), 'fuzz.yaml') },
  { name: 'scenario JSON', sample: () => utf8(JSON.stringify(parseYaml(tinyYaml), null, 1)), read: (b) => parseScenario(text(b), 'fuzz.json') },
  { name: 'TIFF', sample: sampleTiff, read: async (b) => { tiffDescriptions(b); return decodeTiff(b, 'fuzz.tif'); } },
  { name: 'PNG', sample: samplePng, read: (b) => decodePngGrey(b, 'fuzz.png') },
  { name: 'DM3', sample: sampleDm3, read: (b) => decodeDm(b, 'fuzz.dm3') },
  { name: 'NPY', sample: () => sampleNpy(), read: (b) => npyFrames(decodeNpy(b, 'fuzz.npy')) },
  { name: 'NPZ', sample: () => sampleNpz(), read: (b) => [...decodeNpz(b, 'fuzz.npz').values()].map((a) => (a.shape.length >= 2 ? npyFrames(a) : a)) },
  { name: 'Velox EMD (HDF5)', runs: 40, sample: async () => { const p = join(dir, 'sample.emd'); await writeSampleEmd(p); return new Uint8Array(readFileSync(p)); }, read: viaFile('.emd', (p) => readEmd(p)) },
  { name: 'MRC', sample: sampleMrc, read: viaFile('.mrc', (p) => readSeries(p)) },
  { name: 'HyperSpy HDF5', runs: 40, sample: async () => { const p = join(dir, 'sample.hspy'); await writeSampleHspy(p); return new Uint8Array(readFileSync(p)); }, read: viaFile('.hspy', (p) => readSeries(p)) },
  { name: 'checkpoint inputs record', sample: sampleCheckpoint, read: (b) => openCheckpoint(b, 'fuzz.ckpt', { seed: { value: 7, field: '--seed' } }) },
  { name: 'KMC engine checkpoint', sample: () => encodeCheckpoint({ version: 1, time_s: 12.5, boundaryIndex: 3, boundaryCount: 40, duration_s: 600, nextFrame: 1, events: 1234, candidates: 2000, rng: [1, 2, 3, 4] }, Uint8Array.from({ length: 32 }, (_, i) => i)), read: (b) => decodeCheckpoint(b) },
  { name: 'sidecar JSON', sample: () => utf8(sidecars.json), read: (b) => parseJsonSidecar(text(b), 'fuzz.json') },
  { name: 'sidecar CSV', sample: () => utf8(sidecars.csv), read: (b) => parseCsvSidecar(text(b), 'fuzz.csv') },
  { name: 'dataset shard summary', runs: 60, sample: () => utf8(manifest), read: (b) => { writeFileSync(join(manifestDir, 'shard-0-of-1.json'), b); return mergeDataset(manifestDir); } },
];

/** Hang detector, not a speed claim: a reader stuck in a loop takes minutes; the slowest fair case takes < 0.1 s. */
const CASE_LIMIT_MS = 5000;
/** Memory detector: a runaway allocation on a few-kB input reaches gigabytes. */
const MEMORY_LIMIT_B = 1.5 * 1024 ** 3;

async function check(r: Reader, b: Uint8Array): Promise<void> {
  const t0 = performance.now();
  try {
    await r.read(b);
  } catch (e) {
    if (!(e instanceof InputError)) throw new Error(`${r.name}: ${(e as Error)?.constructor?.name}: ${(e as Error)?.message} on ${b.length} bytes`);
    expect(e.message).not.toMatch(/\n/); // one line
  }
  const ms = performance.now() - t0;
  if (ms > CASE_LIMIT_MS) throw new Error(`${r.name}: ${ms.toFixed(0)} ms on ${b.length} bytes`);
  const m = process.memoryUsage();
  if (m.heapUsed + m.arrayBuffers > MEMORY_LIMIT_B) throw new Error(`${r.name}: ${(m.heapUsed + m.arrayBuffers) / 2 ** 20} MiB after a case of ${b.length} bytes`);
}

describe('fuzz: every reader reads or gives an InputError, bounded in time and memory', () => {
  for (const r of READERS) {
    it(r.name, async () => {
      const valid = await r.sample();
      await r.read(valid); // the sample itself is valid
      // Truncation at every tenth.
      for (let k = 0; k < 10; k++) await check(r, valid.subarray(0, Math.floor((valid.length * k) / 10)));
      const runs = r.runs ?? 150;
      // Single-byte corruption.
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 }), async (at, v) => {
          const b = Uint8Array.from(valid);
          b[at] = v === valid[at] ? (v + 1) & 255 : v;
          await check(r, b);
        }),
        { seed: 1717, numRuns: runs },
      );
      // Random bytes (and random bytes behind the valid file's first 16, to get past magic numbers).
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), fc.boolean(), async (bytes, keepHead) => {
          const b = keepHead ? Uint8Array.from([...valid.subarray(0, 16), ...bytes]) : bytes;
          await check(r, b);
        }),
        { seed: 1718, numRuns: runs },
      );
    });
  }

  it('CIF and XYZ: unusual white space anywhere (NBSP, form feed, vertical tab, NUL, U+2028) reads or is refused, never loops', async () => {
    const ws = ['\u00a0', '\f', '\v', '\u2028', '\u3000', '\ufeff', '\r', '\t'];
    for (const [ext, src] of [['.cif', structures.vesta], ['.xyz', structures.xyz]] as const) {
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: src.length }), fc.constantFrom(...ws), fc.boolean(), async (at, ch, replace) => {
          const t = src.slice(0, at) + ch + src.slice(at + (replace ? 1 : 0));
          await check({ name: `${ext} + U+${ch.charCodeAt(0).toString(16)}`, sample: () => utf8(t), read: viaFile(ext, (p) => readStructure(p)) }, utf8(t));
        }),
        { seed: 1719, numRuns: 150 },
      );
    }
  });
});

process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
