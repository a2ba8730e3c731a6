import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode as encodePng } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/index.js';
import { writeTiffFloat32 } from '../../src/twin/imageio/index.js';
import { decodeDm, decodeNpy, naturalCompare, parseCsvSidecar, parseJsonSidecar, readSeries } from '../../src/twin/series/index.js';

const data = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const dmDir = join(data, 'formats/dm');
const exp = join(data, 'experimental');
const noData = !existsSync(dmDir);
const tmp = (): string => mkdtempSync(join(tmpdir(), 'ct-series-'));
const fieldOf = async (f: () => unknown): Promise<string> => {
  try { await f(); } catch (e) { if (e instanceof InputError) return e.field; throw e; }
  return 'no error';
};

/** A .npy file: v1 header, little-endian float64. */
function npy(values: number[], shape: number[], fortran: boolean): Uint8Array {
  let h = `{'descr': '<f8', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  while ((10 + h.length + 1) % 64 !== 0) h += ' ';
  h += '\n';
  const out = new Uint8Array(10 + h.length + 8 * values.length);
  out.set([0x93, ...Buffer.from('NUMPY'), 1, 0], 0);
  new DataView(out.buffer).setUint16(8, h.length, true);
  out.set(Buffer.from(h, 'latin1'), 10);
  values.forEach((v, i) => new DataView(out.buffer).setFloat64(10 + h.length + 8 * i, v, true));
  return out;
}

describe('experimental series: DM3/DM4 (rosettasciio fixtures)', () => {
  it.skipIf(noData)('reads every 2D fixture (all data types, DM3 big-endian 32-bit and DM4 64-bit tag lengths) as the 2×2 array 1..4 (bool: all true)', () => {
    const files = readdirSync(join(dmDir, '2D'));
    expect(files.length).toBe(30);
    for (const f of files) {
      const im = decodeDm(readFileSync(join(dmDir, '2D', f)), f);
      expect([im.width, im.height, im.frames.length], f).toEqual([2, 2, 1]);
      expect(Array.from(im.frames[0]!), f).toEqual(f.startsWith('test-14.') ? [1, 1, 1, 1] : [1, 2, 3, 4]);
    }
  });

  it.skipIf(noData)('reads the 3D fixtures as two 2×2 frames holding 1..8 (x fastest, then y, then frame)', () => {
    for (const f of readdirSync(join(dmDir, '3D'))) {
      const im = decodeDm(readFileSync(join(dmDir, '3D', f)), f);
      expect(im.frames.map((x) => Array.from(x)), f).toEqual([[1, 2, 3, 4], [5, 6, 7, 8]]);
    }
  });

  it.skipIf(noData)('reads the FEI Titan STEM image tags: 200 kV, 3.5 µs dwell, and a pixel size equal to field of view / scan width', async () => {
    const s = await readSeries(join(dmDir, 'test_STEM_image.dm3'));
    expect(s.source.voltage_V).toBe(200e3);
    expect(s.source.dwell_s).toBeCloseTo(3.5e-6, 12);
    const im = decodeDm(readFileSync(join(dmDir, 'test_STEM_image.dm3')));
    const mi = im.tags['Microscope Info'] as Record<string, number>, ds = im.tags.DigiScan as Record<string, number>;
    // Independent check from the file's own tags: FOV (µm) × 10⁴ Å/µm / scan width (px) = Å per pixel (0.509 µm / 2048 px).
    expect(s.pixelSize_A!).toBeCloseTo((mi['Field of View (µm)']! * 1e4) / ds['Image Width']!, 4);
    expect([s.width, s.height, s.frames.length]).toEqual([68, 68, 1]);
  });

  it.skipIf(noData)('reads a DM image stack as frames', async () => {
    const s = await readSeries(join(dmDir, 'test_stackbuilder_imagestack.dm3'));
    expect([s.width, s.height, s.frames.length]).toEqual([16, 2, 3]);
    expect(s.pixelSize_A).toBeGreaterThan(0);
  });

  it('rejects a file that is not DM, naming it', () => {
    expect(() => decodeDm(new Uint8Array(64), 'x.dm3')).toThrow(/x\.dm3/);
  });
});

describe('experimental series: Velox EMD (rosettasciio fixtures, h5wasm)', () => {
  const emd = join(data, 'formats/emd');
  it.skipIf(noData)('reads the TEM stack [3, 3, 2] int16 (frames last, C order: frame k holds the values ≡ k mod 2 of 0..17) with its 300 kV and pixel size', async () => {
    const s = await readSeries(join(emd, 'fei_example_tem_stack.emd'));
    expect([s.width, s.height, s.frames.length]).toEqual([3, 3, 2]);
    expect(s.frames.map((f) => Array.from(f))).toEqual([[0, 2, 4, 6, 8, 10, 12, 14, 16], [1, 3, 5, 7, 9, 11, 13, 15, 17]]);
    expect(s.source.voltage_V).toBe(300e3);
    expect(s.pixelSize_A).toBeCloseTo(8.1728831922978511e-12 * 1e10, 12);
  });

  it.skipIf(noData)('picks the HAADF image of a v11 spectrum-image file (16×16×2 uint16) among its EDX maps, or a detector by name', async () => {
    const s = await readSeries(join(emd, 'velox_v11_Test_SI_16x16_215kx.emd'));
    expect(s.source.detector).toBe('HAADF');
    expect([s.width, s.height, s.frames.length]).toEqual([16, 16, 2]);
    expect(s.frames[0]![0]).toBe(7236);
    expect(s.pixelSize_A).toBeCloseTo(35.992492559614689, 9);
    expect(s.source.dwell_s).toBe(0.001);
    expect(await fieldOf(() => readSeries(join(emd, 'velox_v11_Test_SI_16x16_215kx.emd'), { detector: 'BF' }))).toBe('--detector');
    expect(await fieldOf(() => readSeries(join(emd, 'example_image.emd')))).toBe('--experiment'); // Berkeley EMD: no Data/Image
  });
});

describe('experimental series: real data', () => {
  it.skipIf(noData)('kemstem registered TIFF: one 963 (wide) × 898 (high) float32 frame whose description holds a 48-frame drift trajectory, dominated by steady drift', async () => {
    const s = await readSeries(join(exp, 'kemstem/Cryo_NSMO110_5-1Mx_0p5us_1024px_REGISTERED.tif'));
    expect([s.width, s.height, s.frames.length]).toEqual([963, 898, 1]);
    const d = s.source.driftShifts_px!;
    expect(d.length).toBe(48);
    // Thermal/stage drift is close to linear in time over a fast-frame series: a straight line explains > 90 % of the
    // variance of the x and of the y shifts (R² of a least-squares line against frame number).
    for (const axis of [0, 1]) {
      const v = d.map((p) => p[axis]!), n = v.length, tm = (n - 1) / 2, vm = v.reduce((a, b) => a + b) / n;
      let sxy = 0, sxx = 0, syy = 0;
      v.forEach((x, t) => { sxy += (t - tm) * (x - vm); sxx += (t - tm) ** 2; syy += (x - vm) ** 2; });
      expect((sxy * sxy) / (sxx * syy)).toBeGreaterThan(0.9);
    }
  });

  it.skipIf(noData)('StatSTEM HMM series (.npz, MATLAB column-major): 5 frames of 361×361 in fraction of the beam, quantised in steps of 0.064 (15.625 e⁻ per pixel per frame)', async () => {
    const s = await readSeries(join(exp, 'statstem/example_HMM_input_extracted_arrays.npz'));
    expect([s.width, s.height, s.frames.length]).toEqual([361, 361, 5]);
    let maxDev = 0, sum = 0;
    for (const f of s.frames) for (const v of f) { maxDev = Math.max(maxDev, Math.abs(v / 0.064 - Math.round(v / 0.064))); sum += v; }
    expect(maxDev).toBeLessThan(1e-4); // float32 rounding of k·0.064
    expect(sum).toBeGreaterThan(0);
  });

  it.skipIf(noData)('StatSTEM Pt/Ir image (.npz arr_0): a 512² image in fraction of the beam (I < 1; background-corrected, so noise dips just below 0)', async () => {
    const s = await readSeries(join(exp, 'statstem/Example_PtIr_extracted_arrays.npz'));
    expect([s.width, s.height, s.frames.length]).toEqual([512, 512, 1]);
    let mn = Infinity, mx = -Infinity;
    for (const v of s.frames[0]!) { mn = Math.min(mn, v); mx = Math.max(mx, v); }
    expect(mn).toBeGreaterThan(-0.02);
    expect(mx).toBeLessThan(1);
    expect(mx).toBeGreaterThan(0);
  });

  it.skipIf(noData)('reads an 8-bit experimental PNG (AtomSegNet Si[110])', async () => {
    const s = await readSeries(join(exp, 'atomsegnet/Si110_5nmX25us_03_none_none.png'));
    expect(s.frames.length).toBe(1);
    let mx = 0;
    for (const v of s.frames[0]!) mx = Math.max(mx, v);
    expect(mx).toBeLessThanOrEqual(255);
    expect(mx).toBeGreaterThan(100);
  });
});

describe('experimental series: sequences, NumPy layouts and sidecars', () => {
  it('sorts a PNG sequence naturally (f2 before f10) and keeps 16-bit values', async () => {
    const d = tmp();
    for (const k of [10, 2, 1]) writeFileSync(join(d, `f${k}.png`), encodePng({ width: 3, height: 2, data: new Uint16Array(6).fill(1000 * k), depth: 16, channels: 1 }));
    const s = await readSeries(d);
    expect(s.frames.map((f) => f[0])).toEqual([1000, 2000, 10000]);
    expect(s.source.files.map((f) => f.slice(-7))).toEqual(['/f1.png', '/f2.png', 'f10.png']);
    expect(['a10', 'a2', 'a1'].sort(naturalCompare)).toEqual(['a1', 'a2', 'a10']);
  });

  it('reads back a float32 TIFF stack with its pixel size, and a JSON sidecar with unit strings overrides nothing it does not name', async () => {
    const d = tmp();
    const pages = [Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]), Float32Array.from([1, 2, 3, 4, 5, 6])];
    await writeTiffFloat32(join(d, 's.tif'), pages, 3, 2, { pixelSize_A: 0.25, unit: 'A' });
    writeFileSync(join(d, 's.json'), JSON.stringify({ frames: [{ temperature: '175 degC', time: '2 min', dose: '5000 e/Å^2' }, { temperature_K: 500, time_s: 130 }] }));
    const s = await readSeries(join(d, 's.tif'), { sidecar: join(d, 's.json') });
    expect(s.frames.map((f) => Array.from(f))).toEqual(pages.map((f) => Array.from(f)));
    expect(s.pixelSize_A).toBeCloseTo(0.25, 6);
    expect(s.meta[0]!.temperature_K).toBeCloseTo(448.15, 9);
    expect(s.meta[0]!.time_s).toBe(120);
    expect(s.meta[0]!.dose_ePerA2).toBe(5000);
    expect(s.meta[1]).toEqual({ temperature_K: 500, time_s: 130 });
  });

  it('parses CSV sidecars with units in the header, and rejects a sidecar whose frame count differs, naming --sidecar', async () => {
    const c = parseCsvSidecar('frame,temperature [degC],time (min),dose_ePerA2,pixelSize [nm]\n0,25,0,1000,0.02\n1,300,1.5,,0.02\n');
    expect(c.frames[1]!.temperature_K).toBeCloseTo(573.15, 9);
    expect(c.frames[1]!.time_s).toBe(90);
    expect(c.frames[0]!.dose_ePerA2).toBe(1000);
    expect(c.pixelSize_A).toBeCloseTo(0.2, 12);
    expect(parseJsonSidecar('[{"temperature_K": 300}]').frames).toEqual([{ temperature_K: 300 }]);
    expect(() => parseJsonSidecar('[{"temperature": 300}]', 'sc.json')).toThrow(/sc\.json frames\[0\]\.temperature/);
    const d = tmp();
    await writeTiffFloat32(join(d, 's.tif'), [new Float32Array(4)], 2, 2);
    writeFileSync(join(d, 's.csv'), 'temperature_K\n300\n400\n');
    expect(await fieldOf(() => readSeries(join(d, 's.tif'), { sidecar: join(d, 's.csv') }))).toBe('--sidecar');
    expect(await fieldOf(() => readSeries(join(d, 'missing.tif')))).toBe('--experiment');
    expect(await fieldOf(() => readSeries(join(d, 'x.emd')))).toBe('--experiment');
  });

  it('decodes C-order and Fortran-order .npy arrays to the same image (element (y, x) = 10y + x)', () => {
    const c = decodeNpy(npy([0, 1, 2, 10, 11, 12], [2, 3], false));
    const f = decodeNpy(npy([0, 10, 1, 11, 2, 12], [2, 3], true));
    for (const a of [c, f]) {
      expect(a.shape).toEqual([2, 3]);
      for (let y = 0; y < 2; y++) for (let x = 0; x < 3; x++) expect(a.data[y * a.strides[0]! + x * a.strides[1]!]).toBe(10 * y + x);
    }
  });
});
