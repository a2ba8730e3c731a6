/**
 * Files of one sample, written atomically under `<out>/samples/`: `sNNNNNN.tif` (float32, page 1 the acquired
 * image, page 2 the noise-free image; fraction of the beam), `sNNNNNN.png` (16-bit preview), `sNNNNNN.columns.csv`,
 * `sNNNNNN.sublattice.png` and `sNNNNNN.phase.png` (8-bit class masks), and last `sNNNNNN.json` (metadata and the
 * SHA-256 of every other file), which marks the sample complete and lets a resumed run verify it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/index.js';
import { encodePng16, encodePng8, encodeTiffFloat32, jsonReplacer } from '../imageio/index.js';
import { columnsCsv } from './labels.js';
import type { DatasetConfig } from './params.js';
import type { Sample } from './sample.js';

/** One manifest row: the sample's index and its files with SHA-256. */
export interface SampleEntry {
  readonly index: number;
  /** File name (relative to the dataset root) → SHA-256 hex. */
  readonly files: Record<string, string>;
  readonly columns: number;
  readonly zone: string;
}

/** Sample file stem relative to the dataset root, e.g. samples/s000012. */
export function sampleStem(index: number): string {
  return `samples/s${String(index).padStart(6, '0')}`;
}

const sha256 = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

/** Encodes and writes the sample's files; returns its manifest entry. */
export async function writeSample(root: string, s: Sample): Promise<SampleEntry> {
  const stem = sampleStem(s.params.index);
  mkdirSync(join(root, 'samples'), { recursive: true });
  const files: [string, Uint8Array | string][] = [
    [`${stem}.tif`, encodeTiffFloat32([s.image, s.ideal], s.width, s.height, { pixelSize_A: s.pixel_A, unit: 'A', description: `cathode-twin dataset sample ${s.params.index}` })],
    [`${stem}.png`, encodePng16(s.image, s.width, s.height).png],
    [`${stem}.columns.csv`, columnsCsv(s.columns, s.pixel_A)],
    [`${stem}.sublattice.png`, encodePng8(s.sublatticeMask, s.width, s.height)],
    [`${stem}.phase.png`, encodePng8(s.phaseMask, s.width, s.height)],
  ];
  const hashes: Record<string, string> = {};
  for (const [name, data] of files) {
    await writeFileAtomic(join(root, name), data);
    hashes[name] = sha256(data);
  }
  const meta = { ...s.metadata, files: hashes };
  await writeFileAtomic(join(root, `${stem}.json`), JSON.stringify(meta, jsonReplacer, 1) + '\n');
  return { index: s.params.index, files: hashes, columns: s.columns.n, zone: s.params.zone };
}

/**
 * The entry of an already written sample when its metadata exists, was made with the same seed and config, and every listed file
 * exists with its recorded SHA-256; undefined otherwise (the sample must be (re)generated).
 */
export function verifySample(root: string, index: number, seed: number, config: DatasetConfig): SampleEntry | undefined {
  const path = join(root, `${sampleStem(index)}.json`);
  if (!existsSync(path)) return undefined;
  let meta: { seed?: number; index?: number; config?: unknown; files?: Record<string, string>; labels?: { columns?: number }; structure?: { zone?: string } };
  try {
    meta = JSON.parse(readFileSync(path, 'utf8')) as typeof meta;
  } catch {
    return undefined;
  }
  if (meta.seed !== seed || meta.index !== index || JSON.stringify(meta.config) !== JSON.stringify(config) || !meta.files || Object.keys(meta.files).length === 0) return undefined;
  for (const [name, hash] of Object.entries(meta.files)) {
    const f = join(root, name);
    if (!existsSync(f) || sha256(readFileSync(f)) !== hash) return undefined;
  }
  return { index, files: meta.files, columns: meta.labels?.columns ?? 0, zone: meta.structure?.zone ?? '' };
}
