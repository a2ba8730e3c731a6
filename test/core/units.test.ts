import { describe, expect, it } from 'vitest';
import { InputError, parseQuantity, parseQuantityList, parseQuantityRange } from '../../src/core/index.js';

describe('parseQuantity converts unit strings once to canonical units', () => {
  it('lengths: Å, nm, bare A', () => {
    expect(parseQuantity('2.872 Å', 'length', 'a')).toBeCloseTo(2.872, 12);
    expect(parseQuantity('0.2872 nm', 'length', 'a')).toBeCloseTo(2.872, 12);
    expect(parseQuantity('50 A', 'length', 'a')).toBeCloseTo(50, 12);
  });
  it('temperatures: 175 degC = 448.15 K exactly; °C accepted', () => {
    expect(parseQuantity('175 degC', 'temperature', 'T')).toBeCloseTo(448.15, 10);
    expect(parseQuantity('175 °C', 'temperature', 'T')).toBeCloseTo(448.15, 10);
    expect(parseQuantity('448 K', 'temperature', 'T')).toBe(448);
  });
  it('pressures, times, angles, voltages, energies, doses, rates', () => {
    expect(parseQuantity('1.2e-5 Pa', 'pressure', 'p')).toBeCloseTo(1.2e-5, 17);
    expect(parseQuantity('1e-10 bar', 'pressure', 'p')).toBeCloseTo(1e-5, 15);
    expect(parseQuantity('5 min', 'time', 't')).toBe(300);
    expect(parseQuantity('15.07 mrad', 'angle', 'a')).toBeCloseTo(15.07, 12);
    expect(parseQuantity('200 kV', 'voltage', 'E')).toBeCloseTo(200e3, 6);
    expect(parseQuantity('1.45 eV', 'energy', 'E')).toBeCloseTo(1.45, 12);
    // 1 eV per particle = 96.485332 kJ/mol (CODATA 2018: N_A·e/1000).
    expect(parseQuantity('96.48533212 kJ/mol', 'energy', 'E')).toBeCloseTo(1, 9);
    expect(parseQuantity('5000 e/Å^2', 'dose', 'd')).toBe(5000);
    expect(parseQuantity('5e5 e/nm^2', 'dose', 'd')).toBe(5000);
    expect(parseQuantity('0.1 degC/s', 'heatingRate', 'r')).toBeCloseTo(0.1, 12);
    expect(parseQuantity('1e13 1/s', 'frequency', 'nu')).toBeCloseTo(1e13, 0);
  });
  it('a unit that does not fit the field is an InputError naming the field', () => {
    expect(() => parseQuantity('5 eV', 'length', '--size')).toThrow(InputError);
    expect(() => parseQuantity('5 eV', 'length', '--size')).toThrow(/--size/);
    expect(() => parseQuantity('12', 'temperature', 'protocol.start')).toThrow(/unit is missing/);
    expect(() => parseQuantity('abc', 'pressure', 'pO2')).toThrow(/pO2.*"abc"/);
  });
  it('lists and ranges share one unit', () => {
    expect(parseQuantityList('0,0,10,20 Å', 'length', 'r', 4)).toEqual([0, 0, 10, 20]);
    expect(parseQuantityRange('70-180 mrad', 'angle', 'det')).toEqual([70, 180]);
    expect(() => parseQuantityList('0,0,10 Å', 'length', 'r', 4)).toThrow(/r:/);
  });
});
