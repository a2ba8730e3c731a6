import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/index.js';
import { TemperatureProgram } from '../../src/kinetics/index.js';

const seed = () => TemperatureProgram.staircase({ start_K: 298.15, end_K: 773.15, step_K: 15, rate_KPerS: 0.1, hold_s: 300 });

describe('TemperatureProgram', () => {
  it('builds the seed staircase: 15 K ramps at 0.1 K/s, 300 s holds, 25 → 500 °C (last step shortened to 10 K)', () => {
    const p = seed();
    expect(p.pieces.length).toBe(64); // 32 ramps + 32 holds
    expect(p.temperature_K(0)).toBe(298.15);
    expect(p.temperature_K(75)).toBeCloseTo(305.65, 10);
    expect(p.temperature_K(150)).toBeCloseTo(313.15, 10);
    expect(p.temperature_K(300)).toBeCloseTo(313.15, 10);
    expect(p.temperature_K(460)).toBeCloseTo(314.15, 10);
    expect(p.duration_s).toBeCloseTo(31 * 450 + 100 + 300, 6);
    expect(p.temperature_K(p.duration_s)).toBe(773.15);
    const holds = p.holdEndTimes_s();
    expect(holds.length).toBe(32);
    expect(holds[0]).toBeCloseTo(450, 9);
    expect(p.acquisitionTimes_s()[0]).toBe(0);
  });

  it('gives the exact window maximum (monotone pieces) and windows of at most window_K on ramps, one per hold', () => {
    const p = seed();
    expect(p.maxTemperature_K(10, 100)).toBeCloseTo(308.15, 10);
    expect(p.maxTemperature_K(140, 400)).toBeCloseTo(313.15, 10);
    const b = p.windowBoundaries_s(1);
    // 15 windows per 15 K ramp + 1 per hold; the last ramp 10 K → 10 windows
    expect(b.length - 1).toBe(31 * 16 + 11);
    for (let k = 0; k + 1 < b.length; k++) {
      const { min_K, max_K } = p.temperatureRange_K(b[k]!, b[k + 1]!);
      expect(max_K - min_K).toBeLessThanOrEqual(1 + 1e-9);
      expect(b[k + 1]!).toBeGreaterThan(b[k]!);
    }
  });

  it('evaluates a user expression in t ("25 + 0.1*t" °C) and splits it into ≤ 1 K windows; a cooling ramp has its max at the start', () => {
    const e = TemperatureProgram.expression({ expression: '25 + 0.1*t', unit: 'degC', duration_s: 100 });
    expect(e.temperature_K(50)).toBeCloseTo(303.15, 10);
    const b = e.windowBoundaries_s(1);
    expect(b.length - 1).toBeGreaterThanOrEqual(10);
    const cool = TemperatureProgram.ramp({ start_K: 500, end_K: 400, rate_KPerS: 2 });
    expect(cool.duration_s).toBe(50);
    expect(cool.maxTemperature_K(10, 20)).toBe(480);
    const both = TemperatureProgram.concat(TemperatureProgram.hold({ temperature_K: 300, duration_s: 10 }), cool);
    expect(both.temperature_K(10)).toBe(500); // the later piece at a boundary
    expect(both.maxTemperature_K(0, 10)).toBe(300); // the hold's window does not see the jump
  });

  it('rejects programs going below 0 K, non-finite values, zero rates and non-monotone expressions with an InputError naming the field', () => {
    expect(() => TemperatureProgram.hold({ temperature_K: -1, duration_s: 5 })).toThrow(/program\.temperature_K/);
    expect(() => TemperatureProgram.hold({ temperature_K: NaN, duration_s: 5 })).toThrow(InputError);
    expect(() => TemperatureProgram.hold({ temperature_K: 300, duration_s: 0 })).toThrow(/program\.duration_s/);
    expect(() => TemperatureProgram.ramp({ start_K: 300, end_K: Infinity, rate_KPerS: 1 })).toThrow(/program\.end_K/);
    expect(() => TemperatureProgram.ramp({ start_K: 300, end_K: 400, rate_KPerS: 0 })).toThrow(/program\.rate_KPerS/);
    expect(() => TemperatureProgram.staircase({ start_K: 300, end_K: 200, step_K: 15, rate_KPerS: 0.1, hold_s: 300 })).toThrow(/program\.end_K/);
    expect(() => TemperatureProgram.staircase({ start_K: 300, end_K: 400, step_K: -1, rate_KPerS: 0.1, hold_s: 300 })).toThrow(/program\.step_K/);
    expect(() => TemperatureProgram.expression({ expression: '25 - t', unit: 'degC', duration_s: 1000 })).toThrow(/program\.expression.*0 K/);
    expect(() => TemperatureProgram.expression({ expression: '300 + 10*sin(t)', unit: 'K', duration_s: 100 })).toThrow(/monotone/);
    expect(() => TemperatureProgram.expression({ expression: '300 + ', unit: 'K', duration_s: 100 })).toThrow(/program\.expression/);
    expect(() => TemperatureProgram.expression({ expression: '1/(t-5)', unit: 'K', duration_s: 10 }, 'protocol')).toThrow(/protocol\.expression/);
  });
});
