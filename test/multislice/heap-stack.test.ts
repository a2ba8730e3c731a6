/**
 * The transmission stack copied once into the FFT heap (resident.ts `heapStack`) gives the same numbers as the
 * per-slice copies it replaces: the SIMD multiply of interleaved and of planar factors is the same float32
 * arithmetic, so the signals are equal to the bit. A stack above the size cap is not copied (undefined), and a
 * handle whose size does not match the job is refused. ~1 s.
 */
import { describe, expect, it } from 'vitest';
import { type HaadfOptions, prepareMultislice } from '../../src/multislice/index.js';
import { heapStack, runProbeResident } from '../../src/multislice/resident.js';
import { lno210 } from './structures.js';

const OPTS: HaadfOptions = { energy_eV: 200e3, semiangle_mrad: 15.07, detector: { inner_mrad: 70, outer_mrad: 180 }, sampling_A: 0.045, sliceThickness_A: 2.5, thicknessSeries_A: [5] };

describe('heap-resident transmission stack', () => {
  it('gives the same signals to the bit as per-slice copies (thickness series included), and is refused where it does not fit or match', () => {
    const prep = prepareMultislice(lno210(2, 2), OPTS);
    const stack = prep.buildStack(0);
    const { setup } = prep;
    const heap = heapStack(setup.grid, stack);
    expect(heap).toBeDefined();
    try {
      for (const [x, y] of [[2.878, 4.73], [1.1, 2.2], [0.3, 0.9]] as const) {
        const a = runProbeResident(setup, stack, x, y);
        const b = runProbeResident(setup, stack, x, y, heap);
        expect(a.length).toBeGreaterThan(1);
        expect(Array.from(b)).toEqual(Array.from(a));
        expect(a[0]).toBeGreaterThan(0);
      }
    } finally {
      heap!.free();
    }
    const n = setup.grid.nx * setup.grid.ny;
    expect(heapStack(setup.grid, stack, 8 * n * setup.nSlices - 1)).toBeUndefined();
    const small = heapStack(setup.grid, { re: stack.re.subarray(0, n), im: stack.im.subarray(0, n) });
    expect(small?.slices).toBe(1);
    expect(() => runProbeResident(setup, stack, 1, 1, small)).toThrow(RangeError);
    small!.free();
  });
});
