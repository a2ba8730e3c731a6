import { describe, expect, it } from 'vitest';
import { fourierShift, registerPhaseCorrelation } from '../../src/twin/register/index.js';
import { randomColumns } from '../core/image/fixtures.js';

describe('twin registration API (src/core/image with src/multislice\'s mixed-radix FFT)', () => {
  it('registers a 90×75 image whole (2·3²·5 × 3·5², no power of two) to 0.05 px and Fourier-shifts sizes fft.js cannot take', () => {
    const a = randomColumns(90, 75, 7);
    const b = fourierShift(a, 90, 75, -2.35, 1.6);
    const r = registerPhaseCorrelation(a, b, 90, 75, { window: false });
    expect(Math.abs(r.dx_px + 2.35)).toBeLessThanOrEqual(0.05);
    expect(Math.abs(r.dy_px - 1.6)).toBeLessThanOrEqual(0.05);
    expect(r.peak).toBeGreaterThan(0.99);
  });
});
