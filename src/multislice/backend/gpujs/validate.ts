/** Input checks shared by the gpu.js backend's entry points (InputError naming the field). */
import { InputError } from '../../../core/index.js';
import type { ComplexField } from '../types.js';
import { nextFftSize } from '../../../core/fft/index.js';
import { isGpuFftSize } from './device-ops.js';

/** The backend's FFT has radix 2, 3, 4, 5 stages: both sides must be ≥ 2 with prime factors 2, 3, 5 only. */
export function checkGrid(field: string, nx: number, ny: number): void {
  if (!isGpuFftSize(nx) || !isGpuFftSize(ny)) {
    throw new InputError(
      field, `${nx}×${ny}`,
      'a grid whose sides are ≥ 2 with prime factors 2, 3 and 5 only (the FFT stages of the gpu.js backend)',
      `use ${nextFftSize(nx)}×${nextFftSize(ny)}`,
    );
  }
  if (nx * ny > 1 << 24) {
    throw new InputError(field, `${nx}×${ny}`, 'at most 2^24 pixels (float32 index arithmetic in the kernels)');
  }
}

export function checkField(field: string, f: ComplexField, nb = 1): void {
  checkGrid(`${field}.grid`, f.nx, f.ny);
  const n = f.nx * f.ny * nb;
  if (f.re.length !== n || f.im.length !== n) {
    throw new InputError(`${field}.re/im`, `${f.re.length}/${f.im.length} elements`, `${n} elements (${nb}×${f.ny}×${f.nx})`);
  }
}

export function checkSameGrid(field: string, f: ComplexField, ref: ComplexField): void {
  if (f.nx !== ref.nx || f.ny !== ref.ny) {
    throw new InputError(`${field}.grid`, `${f.nx}×${f.ny}`, `the wave's grid ${ref.nx}×${ref.ny}`);
  }
  checkField(field, f);
}

export function checkMasks(masks: readonly Float32Array[], nx: number, ny: number): void {
  masks.forEach((m, i) => {
    if (m.length !== nx * ny) throw new InputError(`masks[${i}]`, `${m.length} elements`, `${nx * ny} elements (${ny}×${nx})`);
  });
}
