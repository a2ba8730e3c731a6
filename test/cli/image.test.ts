import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fromArrayBuffer } from 'geotiff';
import { FileSet, InputError, lockOutDir } from '../../src/core/index.js';
import { type ImageArgs, runImage } from '../../src/cli/commands/image.js';
import type { Atoms } from '../../src/lattice/atoms.js';
import { ELEMENT_SYMBOLS } from '../../src/lattice/atoms.js';
import { lno210 } from '../multislice/structures.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bufferOf = (p: string): ArrayBuffer => { const b = readFileSync(p); return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer; };
const tmp = (): string => mkdtempSync(join(tmpdir(), 'ct-image-'));

function writeXyz(path: string, a: Atoms, symbolOf = (Z: number) => ELEMENT_SYMBOLS[Z]!): void {
  const [x, y, z] = a.cell_A;
  const lines = [String(a.n), `Lattice="${x} 0 0 0 ${y} 0 0 0 ${z}" Properties=species:S:1:pos:R:3 pbc="T T T"`];
  for (let i = 0; i < a.n; i++) lines.push(`${symbolOf(a.Z[i]!)} ${a.positions_A[3 * i]} ${a.positions_A[3 * i + 1]} ${a.positions_A[3 * i + 2]}`);
  writeFileSync(path, lines.join('\n') + '\n');
}

const args = (structure: string, out: string, extra: Partial<ImageArgs> = {}): ImageArgs => ({
  structure, energy: '200 kV', semiangle: '15.07 mrad', detector: '70-180 mrad', sampling: '0.045 Å', slice: '2.5 Å', 'scan-step': '0.4 Å',
  phonons: 0, frames: 1, defocus: '0 Å', cs: '0 Å', 'source-size': '0 Å', 'focal-spread': '0 Å', parametrization: 'lobato', mode: 'multislice', algorithm: 'multislice',
  backend: 'cpu', workers: 1, seed: 0, out, json: true, quiet: true, ...extra,
});

describe('cathode-twin image', () => {
  it('writes a float32 TIFF, a 16-bit PNG and a JSON sidecar whose numbers match the printed JSON (multislice, scan region, --probe-at)', async () => {
    const d = tmp();
    writeXyz(join(d, 'lno.xyz'), lno210(2, 1));
    let printed = '';
    await runImage(args(join(d, 'lno.xyz'), join(d, 'img.tif'), { 'scan-region': '1.2,3.6,2.4,6 Å', 'probe-at': '2.878,4.73 Å' }), (s) => (printed += s));
    const j = JSON.parse(printed) as { width: number; height: number; pixelSize_A: number[]; signal: { min: number; mean: number; max: number }; probeSignal: number };
    expect([j.width, j.height]).toEqual([3, 6]);
    expect(j.pixelSize_A[0]).toBeCloseTo(0.4, 9);
    const tif = await fromArrayBuffer(bufferOf(join(d, 'img.tif')));
    const page = await tif.getImage(0);
    const data = (await page.readRasters())[0] as Float32Array;
    expect(page.getWidth()).toBe(3);
    expect(Math.max(...data)).toBeCloseTo(j.signal.max, 6);
    expect(j.probeSignal).toBeGreaterThan(0.002); // probe on a Ni column one atom (5 Å) long: ≈ a single Ni atom (0.0026)
    expect(j.probeSignal).toBeGreaterThan(j.signal.max); // no scan position sits exactly on the column (nearest 0.17 Å away)
    const png = readFileSync(join(d, 'img.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png[24]).toBe(16); // bit depth
    const side = JSON.parse(readFileSync(join(d, 'img.json'), 'utf8')) as { optics: { wavelength_A: number; detector_mrad: number[] }; signal: { mean: number } };
    expect(side.optics.wavelength_A).toBeCloseTo(0.025079, 5);
    expect(side.optics.detector_mrad).toEqual([70, 180]);
    expect(side.signal.mean).toBeCloseTo(j.signal.mean, 12);
  });

  it('--probe-at without --scan-region computes only that probe, writes no image and says so; the sidecar names the device', async () => {
    const d = tmp();
    writeXyz(join(d, 'lno.xyz'), lno210(2, 1));
    let printed = '';
    await runImage(args(join(d, 'lno.xyz'), join(d, 'p.tif'), { 'probe-at': '2.878,4.73 Å' }), (s) => (printed += s));
    const j = JSON.parse(printed) as { probeSignal: number; computed: string; sidecar: string };
    expect(j.computed).toMatch(/one probe position only/);
    expect(existsSync(join(d, 'p.tif'))).toBe(false);
    const side = JSON.parse(readFileSync(join(d, 'p.json'), 'utf8')) as { probeSignal: number; optics: { backend: { device: string; requested: string } } };
    expect(side.probeSignal).toBe(j.probeSignal);
    expect(side.optics.backend.requested).toBe('cpu');
    expect(side.optics.backend.device).toMatch(/^CPU/);
    expect(j.probeSignal).toBeGreaterThan(0.002);
  });

  it('writes tif, png and json as one set under a lock named after the output: a second writer is refused naming the holder; a later probe-only run replaces the whole set (issue 17)', async () => {
    const d = tmp();
    writeXyz(join(d, 'lno.xyz'), lno210(2, 1));
    const a = args(join(d, 'lno.xyz'), join(d, 'img.tif'), { 'scan-region': '1.2,3.6,2.4,6 Å' });
    await runImage(a, () => {});
    const record = '.cathode-twin.image-img_tif.files';
    expect(readdirSync(d).sort()).toEqual([record, 'img.json', 'img.png', 'img.tif', 'lno.xyz']);
    const lock = lockOutDir(d, 'image (another writer)', '--out', { name: FileSet.nameFor('image', 'img.tif'), sweep: false });
    try {
      const e = await runImage(a, () => {}).then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).message).toMatch(new RegExp(`^--out: .*locked by pid ${process.pid} .*\\(image \\(another writer\\)\\)`));
    } finally {
      lock.release();
    }
    // Only the sidecar this time: the earlier image and preview go with it (a folder never mixes two results).
    await runImage({ ...a, 'scan-region': undefined, 'probe-at': '2.878,4.73 Å' }, () => {});
    expect(readdirSync(d).sort()).toEqual([record, 'img.json', 'lno.xyz']);
  });

  it('--backend gpu on a machine where gpu.js reaches no GPU is refused naming --backend and why, before any file is written (no silent CPU fallback)', async () => {
    const { gpuRoute } = await import('../../src/multislice/backend/gpujs/index.js');
    if (gpuRoute().ok) return; // a GPU machine: nothing to refuse
    const d = tmp();
    writeXyz(join(d, 'lno.xyz'), lno210(2, 1));
    await expect(runImage(args(join(d, 'lno.xyz'), join(d, 'g.tif'), { backend: 'gpu', 'probe-at': '2.878,4.73 Å' }), () => {})).rejects.toThrow(/^--backend: .*no GPU route/s);
    expect(readdirSync(d)).toEqual(['lno.xyz']);
  });

  it('--algorithm prism at --interpolation 1 reproduces the plain multislice image (PRISM is exact at f = 1: Ophus 2017), within 1e-4 of the maximum', async () => {
    const d = tmp();
    writeXyz(join(d, 'lno.xyz'), lno210(2, 1));
    const read = async (p: string): Promise<Float32Array> => (await (await (await fromArrayBuffer(bufferOf(p))).getImage(0)).readRasters())[0] as Float32Array;
    await runImage(args(join(d, 'lno.xyz'), join(d, 'ms.tif')), () => {});
    await runImage(args(join(d, 'lno.xyz'), join(d, 'prism.tif'), { algorithm: 'prism', interpolation: 1 }), () => {});
    const ms = await read(join(d, 'ms.tif')), pr = await read(join(d, 'prism.tif'));
    expect(pr.length).toBe(ms.length);
    const max = Math.max(...ms);
    for (let i = 0; i < ms.length; i++) expect(Math.abs(pr[i]! - ms[i]!)).toBeLessThan(1e-4 * max);
    await expect(runImage(args(join(d, 'lno.xyz'), join(d, 'bad.tif'), { algorithm: 'prism', interpolation: 0 }), () => {})).rejects.toThrow(/^--interpolation/);
    expect(existsSync(join(d, 'bad.tif'))).toBe(false);
  });

  it('--mode incoherent with --dose writes the noisy image first and the ideal image second', async () => {
    const d = tmp();
    writeXyz(join(d, 'lno.xyz'), lno210(2, 2));
    let printed = '';
    await runImage(args(join(d, 'lno.xyz'), join(d, 'inc.tif'), { mode: 'incoherent', dose: '200000 e/Å^2', frames: 2, 'scan-step': '0.2 Å' }), (s) => (printed += s));
    const j = JSON.parse(printed) as { width: number; height: number; pages: string[]; signal: { mean: number } };
    expect(j.pages).toEqual(['image (with acquisition noise)', 'ideal image']);
    const tif = await fromArrayBuffer(bufferOf(join(d, 'inc.tif')));
    expect(await tif.getImageCount()).toBe(2);
    const noisy = (await (await tif.getImage(0)).readRasters())[0] as Float32Array;
    const ideal = (await (await tif.getImage(1)).readRasters())[0] as Float32Array;
    const mean = (v: Float32Array): number => v.reduce((s, x) => s + x, 0) / v.length;
    // Poisson noise is unbiased: ~8e4 electrons in all (2e5 e/Å² × 0.04 Å² × ~2000 px × ~0.005 of the beam), so the
    // relative standard error of the mean is ≈ 0.35 % and 5 % is > 10σ (at 5000 e/Å² it was 2.2σ: seed-dependent).
    expect(Math.abs(mean(noisy) / mean(ideal) - 1)).toBeLessThan(0.05);
    expect(noisy).not.toEqual(ideal);
  });

  it('rejects a sampling too coarse for the 180 mrad outer angle naming --sampling and the sampling that would do; writes nothing', async () => {
    const d = tmp();
    writeXyz(join(d, 'lno.xyz'), lno210(1, 1));
    await expect(runImage(args(join(d, 'lno.xyz'), join(d, 'x.tif'), { sampling: '0.08 Å' }), () => {})).rejects.toThrow(/^--sampling: .*≤ 0\.0464 Å/);
    await expect(runImage(args(join(d, 'lno.xyz'), join(d, 'x.tif'), { detector: '180-70 mrad' }), () => {})).rejects.toThrow(/--detector/);
    await expect(runImage(args(join(d, 'lno.xyz'), join(d, 'x.tif'), { slice: '-1 Å' }), () => {})).rejects.toThrow(/--slice/);
    expect(readdirSync(d)).toEqual(['lno.xyz']);
  });

  it('exits 2 with a one-line error naming --structure for an unknown element, and writes nothing (spawned CLI)', () => {
    const d = tmp();
    writeXyz(join(d, 'bad.xyz'), lno210(1, 1), (Z) => (Z === 3 ? 'Xx' : ELEMENT_SYMBOLS[Z]!));
    const r = spawnSync(process.execPath, [join(root, 'bin/cathode-twin.js'), 'image', '--structure', join(d, 'bad.xyz'), '--out', join(d, 'o.tif'), '--scan-region', '0,0,0.4,0.4 Å'], { encoding: 'utf8', cwd: root });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/invalid input: .*(bad\.xyz|structure)/);
    expect(existsSync(join(d, 'o.tif'))).toBe(false);
    expect(readdirSync(d)).toEqual(['bad.xyz']);
    void InputError;
  });
});
