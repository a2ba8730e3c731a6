/**
 * Shared fixtures of the dataset tests: a small configuration with one calibration set (zone [210], 15 Å, focus,
 * static lattice) whose column calibrations go to one disk cache per test run (the test files share it), and a
 * sub-pixel peak finder.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COLUMN_FIELD_COUNT, DEFAULT_DATASET_CONFIG, type DatasetConfig, type SampleTargets } from '../../src/twin/dataset/index.js';

/** Calibration cache shared by the dataset test files of this run (same bytes whoever writes first). */
export const CACHE_DIR = join(tmpdir(), `ct-dataset-test-cal-${process.ppid}`);

export const SMALL: DatasetConfig = {
  ...DEFAULT_DATASET_CONFIG, size_px: 32, pixel_A: [0.25, 0.35], zones: ['210'], thickness_A: [15, 15], defocus_A: [0, 0], phonons: 0,
  poreRadius_A: [3, 6], patchRadius_A: [3, 6], bundleSize: 2, samplesPerSpecimen: 1,
};

export const tmp = (): string => mkdtempSync(join(tmpdir(), 'ct-dataset-'));

/** Standalone sample targets of W × W pixels. */
export function targets(W: number, rows = 20000): SampleTargets {
  return {
    image: new Float32Array(W * W), ideal: new Float32Array(W * W), sublattice: new Uint8Array(W * W), phase: new Uint8Array(W * W),
    heatmaps: new Uint16Array(3 * W * W), columns: new Float32Array(rows * COLUMN_FIELD_COUNT), row0: 0,
  };
}

/**
 * Sub-pixel peak near (x0, y0): climb to the local maximum, then the vertex of the least-squares paraboloid through
 * the logarithm of its 3 × 3 neighbourhood (exact for a sampled Gaussian, whatever its width in pixels).
 */
export function peak(img: Float32Array, W: number, x0: number, y0: number): [number, number] {
  let bx = Math.round(x0), by = Math.round(y0);
  for (let it = 0; it < 4; it++) {
    let b = img[by * W + bx]!, nx = bx, ny = by;
    for (let j = -1; j <= 1; j++) for (let i = -1; i <= 1; i++) if (img[(by + j) * W + bx + i]! > b) { b = img[(by + j) * W + bx + i]!; nx = bx + i; ny = by + j; }
    if (nx === bx && ny === by) break;
    bx = nx; by = ny;
  }
  let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (let j = -1; j <= 1; j++) for (let i = -1; i <= 1; i++) {
    const f = Math.log(img[(by + j) * W + bx + i]!);
    sx += i * f; sy += j * f; sxx += (i * i - 2 / 3) * f; syy += (j * j - 2 / 3) * f; sxy += i * j * f;
  }
  const b = sx / 6, c = sy / 6, d = sxx / 2, f = syy / 2, e = sxy / 4, det = 4 * d * f - e * e;
  return [bx + (-2 * f * b + e * c) / det, by + (e * b - 2 * d * c) / det];
}
