/**
 * Readers added for issue 11: HyperSpy HDF5 (float16 decoded from its bits), MRC (FEI extended header, movies),
 * float16 .npy, the pixel-size precedence, and the intensity normalisation (detector scan, counts). Files from
 * ../shared/data where present (skipped with a message otherwise); MRC and .npy edge cases are built here. ≈ 2 s.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/index.js';
import { writeTiffFloat32 } from '../../src/twin/imageio/index.js';
import { decodeMrc, decodeNpy, detectorResponse, halfToFloat, normaliseIntensity, readSeries } from '../../src/twin/series/index.js';

const data = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const noData = !existsSync(join(data, 'experimental/atomap'));
if (noData) console.warn(`series-formats: ../shared/data is absent (${data}): tests on its files skipped`);
const tmp = (): string => mkdtempSync(join(tmpdir(), 'ct-formats-'));
const fieldOf = async (f: () => unknown): Promise<string> => {
  try { await f(); } catch (e) { if (e instanceof InputError) return e.field; throw e; }
  return 'no error';
};

/** An MRC file: header fields, optional FEI2 extended header with pixel size (m) and HT (V), then data. */
function mrc(o: { nx: number; ny: number; nz: number; mode: number; values: number[]; cell?: [number, number]; fei?: { pixel_m: number; ht_V: number }; bigEndian?: boolean; truncate?: number; nsymbt?: number }): Uint8Array {
  const bpv = { 0: 1, 1: 2, 2: 4, 6: 2, 12: 2 }[o.mode as 0 | 1 | 2 | 6 | 12];
  const ext = o.fei ? 888 : 0;
  const buf = new Uint8Array(1024 + ext + o.values.length * bpv);
  const dv = new DataView(buf.buffer);
  const le = !o.bigEndian;
  [o.nx, o.ny, o.nz, o.mode].forEach((v, i) => dv.setInt32(4 * i, v, le));
  [o.nx, o.ny, o.nz].forEach((v, i) => dv.setInt32(28 + 4 * i, v, le));
  dv.setFloat32(40, o.cell?.[0] ?? 0, le); dv.setFloat32(44, o.cell?.[1] ?? 0, le);
  dv.setInt32(92, o.nsymbt ?? ext, le);
  buf.set(o.bigEndian ? [0x11, 0x11, 0, 0] : [0x44, 0x44, 0, 0], 212);
  buf.set([...Buffer.from('MAP ')], 208);
  if (o.fei) {
    buf.set([...Buffer.from('FEI2')], 104);
    dv.setInt32(1024, 888, true);
    dv.setFloat64(1024 + 84, o.fei.ht_V, true); // HT
    dv.setFloat64(1024 + 156, o.fei.pixel_m, true); // Pixel size X
    dv.setFloat64(1024 + 164, o.fei.pixel_m, true); // Pixel size Y
  }
  o.values.forEach((v, i) => {
    const p = 1024 + ext + i * bpv;
    if (o.mode === 2) dv.setFloat32(p, v, le); else if (o.mode === 1) dv.setInt16(p, v, le); else if (o.mode === 6 || o.mode === 12) dv.setUint16(p, v, le); else dv.setInt8(p, v);
  });
  return o.truncate ? buf.subarray(0, buf.length - o.truncate) : buf;
}

describe('float16 (IEEE 754 binary16)', () => {
  it('decodes normal, subnormal, signed, infinite and NaN bit patterns', () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x7bff)).toBe(65504); // largest half
    expect(halfToFloat(0x0001)).toBe(2 ** -24); // smallest subnormal
    expect(halfToFloat(0x3555)).toBeCloseTo(1 / 3, 3);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0xfc00)).toBe(-Infinity);
    expect(halfToFloat(0x7e00)).toBeNaN();
  });

  it('reads a float16 .npy (descr <f2)', () => {
    let h = "{'descr': '<f2', 'fortran_order': False, 'shape': (2, 3), }";
    while ((10 + h.length + 1) % 64 !== 0) h += ' ';
    h += '\n';
    const bits = [0x3c00, 0xc000, 0x3800, 0x0000, 0x7bff, 0x3555];
    const out = new Uint8Array(10 + h.length + 12);
    out.set([0x93, ...Buffer.from('NUMPY'), 1, 0], 0);
    new DataView(out.buffer).setUint16(8, h.length, true);
    out.set(Buffer.from(h, 'latin1'), 10);
    bits.forEach((b, i) => new DataView(out.buffer).setUint16(10 + h.length + 2 * i, b, true));
    const a = decodeNpy(out);
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data.subarray(0, 5))).toEqual([1, -2, 0.5, 0, 65504]);
  });
});

describe('HyperSpy HDF5', () => {
  it.skipIf(noData)('reads atomap\'s SrTiO3 ADF (float16, gzip + shuffle) with its axis scale as the pixel size, saying the unit was assumed', async () => {
    const s = await readSeries(join(data, 'experimental/atomap/test_ADF_cropped.hdf5'));
    expect([s.width, s.height, s.frames.length, s.source.format]).toEqual([380, 400, 1, 'hspy']);
    expect(s.pixelSize_A).toBeCloseTo(0.09326270238, 9);
    expect(s.pixelSource).toBe('file');
    expect(s.warnings?.[0]).toMatch(/no unit: read as nm/);
    // Reference values decoded independently (numpy: zlib stream → byte unshuffle → '<f2').
    const f = s.frames[0]!;
    expect(Array.from(f.subarray(0, 4))).toEqual([2538, 2618, 2596, 2356]);
    expect(f[200 * 380 + 100]).toBe(2552);
    expect(f.reduce((a, b) => a + b, 0) / f.length).toBeCloseTo(1698.509967105263, 6);
  });

  it.skipIf(noData)('reads axis units (microns → Å) and treats HyperSpy\'s default axis (scale 1, no unit) as uncalibrated', async () => {
    const det = await readSeries(join(data, 'experimental/atomap/example_detector_image.hspy'));
    expect(det.pixelSize_A).toBeCloseTo(0.031036470055905062 * 1e4, 6);
    expect(det.warnings).toEqual([]);
    const sim = await readSeries(join(data, 'experimental/atomap/simulated_nanoparticle.hspy'));
    expect(sim.pixelSize_A).toBeUndefined();
    // An explicit pixel size wins, with a warning when the file says otherwise.
    const over = await readSeries(join(data, 'experimental/atomap/example_detector_image.hspy'), { pixelSize_A: 0.2 });
    expect(over.pixelSize_A).toBe(0.2);
    expect(over.pixelSource).toBe('flag');
    expect(over.warnings?.join()).toMatch(/--pixel-size 0.2 Å overrides the pixel size of the file/);
  });

  it.skipIf(noData)('detector scan (atomap example): black level from the hole and outside, white from the active annulus; frames become a fraction of the beam', async () => {
    const det = await readSeries(join(data, 'experimental/atomap/example_detector_image.hspy'));
    const r = detectorResponse(det.frames[0]!);
    expect(r.black).toBeGreaterThan(1000);
    expect(r.black).toBeLessThan(2000);
    expect(r.white).toBeGreaterThan(30 * r.black);
    expect(r.activeFraction).toBeGreaterThan(0.2);
    expect(r.activeFraction).toBeLessThan(0.6);
    // The scan itself, normalised by its own response: black → 0, the mean of the active area → 1.
    const n = normaliseIntensity({ ...det, meta: [{}] }, { mode: 'detector', detector: r });
    expect(n.intensity).toBe('fraction');
    expect(n.notes.join()).toMatch(/scan's detector gain and offset/);
    let hi = 0, k = 0;
    det.frames[0]!.forEach((v, i) => { if (v > (r.black + r.white) / 2) { hi += n.frames[0]![i]!; k++; } });
    expect(hi / k).toBeCloseTo(1, 1);
  });

  it('refuses a non-HyperSpy HDF5 and a non-HDF5 file by naming the option', async () => {
    const d = tmp();
    writeFileSync(join(d, 'junk.hspy'), 'not hdf5 at all');
    expect(await fieldOf(() => readSeries(join(d, 'junk.hspy'), { field: '--series' }))).toBe('--series');
    if (!noData) {
      // A Velox EMD is HDF5 but not HyperSpy: no /Experiments group.
      writeFileSync(join(d, 'velox.hdf5'), readFileSync(join(data, 'formats/emd/fei_example_tem_stack.emd')));
      expect(await fieldOf(() => readSeries(join(d, 'velox.hdf5'), { field: '--series' }))).toBe('--series');
    }
  });
});

describe('MRC', () => {
  it.skipIf(noData)('reads a Velox HAADF scan with an FEI2 extended header (pixel size, high tension) and a 348-frame movie without calibration', async () => {
    const s = await readSeries(join(data, 'formats/mrc/HAADFscan.mrc'));
    expect([s.width, s.height, s.frames.length]).toEqual([16, 16, 1]);
    expect(s.pixelSize_A).toBeCloseTo(56.79131290012676, 9); // FEI "Pixel size X" 5.679e-9 m
    expect(s.source.voltage_V).toBe(300000);
    expect(Array.from(s.frames[0]!.subarray(0, 3))).toEqual([5715, 6654, 7842]); // numpy '<u2' after 1024 + 909312 B
    const m = await readSeries(join(data, 'formats/mrc/ROI_Random_Scan_movie.mrc'));
    expect(m.frames.length).toBe(348);
    expect(m.pixelSize_A).toBeUndefined(); // its cell is −160 Å: no calibration, said so
    expect(m.warnings?.join()).toMatch(/no pixel size/);
  });

  it('reads float32, int16, float16 and big-endian files; the FEI header wins over the cell', () => {
    const f32 = decodeMrc(mrc({ nx: 3, ny: 2, nz: 2, mode: 2, values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], cell: [6, 4] }));
    expect(f32.frames.length).toBe(2);
    expect(Array.from(f32.frames[1]!)).toEqual([6, 7, 8, 9, 10, 11]);
    expect(f32.pixelSize_A).toBe(2);
    const be = decodeMrc(mrc({ nx: 2, ny: 2, nz: 1, mode: 1, values: [-3, 2, 1, 300], bigEndian: true, cell: [2, 2] }));
    expect(Array.from(be.frames[0]!)).toEqual([-3, 2, 1, 300]);
    const f16 = decodeMrc(mrc({ nx: 2, ny: 1, nz: 1, mode: 12, values: [0x3c00, 0xc000] }));
    expect(Array.from(f16.frames[0]!)).toEqual([1, -2]);
    expect(f16.pixelSize_A).toBeUndefined();
    const fei = decodeMrc(mrc({ nx: 2, ny: 2, nz: 1, mode: 6, values: [1, 2, 3, 4], cell: [20, 20], fei: { pixel_m: 1.5e-11, ht_V: 2e5 } }));
    expect(fei.pixelSize_A).toBeCloseTo(0.15, 12);
    expect(fei.voltage_V).toBe(2e5);
    expect(fei.warnings.join()).toMatch(/differs from the FEI header/);
  });

  it('checks every declared size against the file before allocating: truncated data, huge dimensions, bad extended header, unknown mode', () => {
    const bad = (b: Uint8Array): string => { try { decodeMrc(b, 'x.mrc', '--series'); return 'no error'; } catch (e) { return e instanceof InputError ? `${e.field}: ${e.hint}` : String(e); } };
    expect(bad(mrc({ nx: 4, ny: 4, nz: 1, mode: 2, values: new Array(16).fill(1), truncate: 4 }))).toMatch(/--series: truncated/);
    const huge = mrc({ nx: 4, ny: 4, nz: 1, mode: 2, values: new Array(16).fill(1) });
    new DataView(huge.buffer).setInt32(8, 1 << 23, true); // nz = 8 M sections in a 1 kB file
    expect(bad(huge)).toMatch(/--series: /);
    expect(bad(mrc({ nx: 2, ny: 2, nz: 1, mode: 2, values: [1, 2, 3, 4], nsymbt: 1 << 30 }))).toMatch(/extended header/);
    const complex = mrc({ nx: 2, ny: 2, nz: 1, mode: 2, values: [1, 2, 3, 4] });
    new DataView(complex.buffer).setInt32(12, 4, true); // complex float32
    expect(bad(complex)).toMatch(/mode 4/);
    expect(bad(new Uint8Array(100))).toMatch(/1024-byte header/);
  });
});

describe('a cathode-twin run\'s frames.tif', () => {
  it('carries its units and per-frame temperatures, times and doses in the TIFF description: read without a sidecar', async () => {
    const d = tmp();
    const desc = JSON.stringify({ temperatures_C: [25, 175], times_s: [0, 600], dose_ePerA2: [5000, 5000], units: 'fraction of incident beam' });
    await writeTiffFloat32(join(d, 'frames.tif'), [new Float32Array(4), new Float32Array(4)], 2, 2, { pixelSize_A: 0.25, description: desc });
    const s = await readSeries(join(d, 'frames.tif'));
    expect(s.intensity).toBe('fraction');
    expect(s.meta[1]).toEqual({ temperature_K: 175 + 273.15, time_s: 600, dose_ePerA2: 5000 });
    expect(normaliseIntensity(s, { mode: 'auto' }).mode).toBe('fraction');
  });
});

describe('intensity normalisation', () => {
  it('counts → fraction with the dose per frame; never takes values in [0, 1] as a fraction silently', async () => {
    const d = tmp();
    await writeTiffFloat32(join(d, 's.tif'), [Float32Array.from([10, 20, 30, 40]), Float32Array.from([5, 5, 5, 5])], 2, 2, { pixelSize_A: 0.5, unit: 'A' });
    writeFileSync(join(d, 's.csv'), 'temperature [degC],dose_ePerA2\n25,400\n40,200\n');
    const s = await readSeries(join(d, 's.tif'), { sidecar: join(d, 's.csv') });
    const n = normaliseIntensity(s, { mode: 'auto' });
    expect(n.mode).toBe('counts');
    expect(n.frames[0]![0]).toBeCloseTo(10 / (400 * 0.25), 6); // counts / (dose · pixel area)
    expect(n.frames[1]![0]).toBeCloseTo(5 / (200 * 0.25), 6);
    await writeTiffFloat32(join(d, 'u.tif'), [Float32Array.from([0.1, 0.2, 0.3, 0.9])], 2, 2, { pixelSize_A: 0.5, unit: 'A' });
    const u = normaliseIntensity(await readSeries(join(d, 'u.tif')), { mode: 'auto' });
    expect(u.mode).toBe('relative');
    expect(u.notes.join()).toMatch(/unknown/);
    expect(await fieldOf(() => normaliseIntensity(s, { mode: 'detector' }))).toBe('--detector-scan');
    expect(await fieldOf(() => normaliseIntensity(s, { mode: 'bogus' as never }))).toBe('--normalise');
  });
});
