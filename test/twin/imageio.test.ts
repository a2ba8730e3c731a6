import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decode as decodePng } from 'fast-png';
import { decode as tiffDecode } from 'tiff';
import {
  writeTiffFloat32,
  readTiff,
  encodeTiffFloat32,
  writePng16,
  writeJsonSidecar,
  writeContactSheet,
  renderContactSheet,
  encodeGif,
  writeGif,
  quantile,
  drawText,
} from '../../src/twin/imageio/index.js';
import { InputError } from '../../src/core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'imageio-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ramp(w: number, h: number, k: number): Float32Array {
  const a = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) a[y * w + x] = k * 1000 + y * w + x + 0.125 - (x % 3) * 1e-3;
  return a;
}

describe('float32 multi-page TIFF', () => {
  const W = 7;
  const H = 5; // odd sizes catch row/column mix-ups
  const pages = [ramp(W, H, 0), ramp(W, H, 1), ramp(W, H, 2)];
  pages[1]![3] = -2.5e-7; // tiny and negative values survive float32 exactly
  pages[2]![0] = 1e30;

  it('round-trips every page bit-exactly through geotiff, with the ImageJ header and pixel size', async () => {
    const p = join(dir, 'stack.tif');
    await writeTiffFloat32(p, pages, W, H, { pixelSize_A: 0.25, description: 'temperatures_C=25,40,55' });
    const s = await readTiff(p);
    expect(s.width).toBe(W);
    expect(s.height).toBe(H);
    expect(s.pages.length).toBe(3);
    for (let i = 0; i < 3; i++) expect(Array.from(s.pages[i]!)).toEqual(Array.from(pages[i]!));
    expect(s.description).toMatch(/^ImageJ=1\.\d+\w?\nimages=3\nslices=3\n/);
    expect(s.description).toContain('unit=nm');
    expect(s.description).toContain('temperatures_C=25,40,55');
    expect(s.pixelSize_A).toBeCloseTo(0.25, 6);
  });

  it('is read by the independent `tiff` decoder as 32-bit IEEE float pages with 40 px/nm resolution', () => {
    const bytes = encodeTiffFloat32(pages, W, H, { pixelSize_A: 0.25 });
    const ifds = tiffDecode(bytes);
    expect(ifds.length).toBe(3);
    ifds.forEach((ifd, i) => {
      expect(ifd.width).toBe(W);
      expect(ifd.height).toBe(H);
      expect(ifd.bitsPerSample).toBe(32);
      expect(ifd.sampleFormat).toBe(3);
      expect(ifd.xResolution).toBeCloseTo(40, 6); // 10 Å/nm ÷ 0.25 Å/px
      expect(Array.from(ifd.data as Float32Array)).toEqual(Array.from(pages[i]!));
    });
  });

  it('stores pixel data contiguously in page order, as ImageJ reads "images=N" stacks', () => {
    const bytes = encodeTiffFloat32(pages, W, H);
    const dv = new DataView(bytes.buffer, bytes.byteOffset);
    for (let p = 0; p < 3; p++) for (const i of [0, 17, W * H - 1]) expect(dv.getFloat32(8 + 4 * (p * W * H + i), true)).toBe(pages[p]![i]);
  });

  it('rejects pages of the wrong length and a non-positive pixel size, writing nothing', async () => {
    const p = join(dir, 'bad.tif');
    await expect(writeTiffFloat32(p, [new Float32Array(3)], W, H)).rejects.toThrow(/pages\[0\]/);
    await expect(writeTiffFloat32(p, pages, W, H, { pixelSize_A: -1 })).rejects.toBeInstanceOf(InputError);
    expect(existsSync(p)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('reading a non-TIFF file is an InputError naming the path', async () => {
    const p = join(dir, 'not.tif');
    await writeJsonSidecar(p, { a: 1 });
    await expect(readTiff(p)).rejects.toThrow(/not\.tif/);
  });
});

describe('16-bit PNG previews', () => {
  it('auto-contrast maps the 0.5 % and 99.5 % percentiles to black and white, monotonically', async () => {
    const W = 20;
    const H = 10;
    const data = new Float32Array(W * H).map((_, i) => i * 0.01);
    const p = join(dir, 'a.png');
    const [lo, hi] = await writePng16(p, data, W, H);
    expect(lo).toBeCloseTo(quantile(data, 0.005), 6);
    expect(hi).toBeCloseTo(quantile(data, 0.995), 6);
    const png = decodePng(readFileSync(p));
    expect(png.depth).toBe(16);
    expect(png.channels).toBe(1);
    expect(png.width).toBe(W);
    const px = png.data as Uint16Array;
    expect(px[0]).toBe(0);
    expect(px[W * H - 1]).toBe(65535);
    for (let i = 1; i < W * H; i++) expect(px[i]!).toBeGreaterThanOrEqual(px[i - 1]!);
  });

  it('a fixed window maps min → 0, max → 65535 and the midpoint → 32768 ± 1', async () => {
    const data = Float32Array.from([0, 5, 10, 20]);
    const p = join(dir, 'b.png');
    await writePng16(p, data, 2, 2, { min: 0, max: 10 });
    const px = decodePng(readFileSync(p)).data as Uint16Array;
    expect(px[0]).toBe(0);
    expect(Math.abs(px[1]! - 32768)).toBeLessThanOrEqual(1);
    expect(px[2]).toBe(65535);
    expect(px[3]).toBe(65535);
  });
});

describe('contact sheet and GIF', () => {
  const W = 16;
  const H = 12;
  const frames = [0, 1, 2, 3, 4].map((k) => ({ data: new Float32Array(W * H).fill(k), caption: `${25 + 15 * k} °C` }));

  it('tiles frames in rows with a shared window (brighter frame → brighter tile) and captions below', () => {
    const s = renderContactSheet(frames, W, H, { columns: 3, gap: 2, fontScale: 1 });
    const band = 7 + 4;
    expect(s.width).toBe(3 * W + 4 * 2);
    expect(s.height).toBe(2 * (H + band) + 2);
    const tileValue = (i: number) => s.pixels[(2 + Math.floor(i / 3) * (H + band) + 3) * s.width + 2 + (i % 3) * (W + 2) + 3]!;
    for (let i = 1; i < 5; i++) expect(tileValue(i)).toBeGreaterThan(tileValue(i - 1));
    // The caption band holds ink (255) under the first tile.
    const bandRow = s.pixels.subarray((2 + H + 2) * s.width, (2 + H + 2 + 7) * s.width);
    expect(bandRow.some((v) => v === 255)).toBe(true);
  });

  it('writes a decodable 8-bit PNG contact sheet', async () => {
    const p = join(dir, 'sheet.png');
    await writeContactSheet(p, frames, W, H);
    const png = decodePng(readFileSync(p));
    expect(png.depth).toBe(8);
    expect(png.width).toBeGreaterThan(W);
  });

  it('encodes an animated GIF89a with one image descriptor per frame', async () => {
    const gif = encodeGif(frames, W, H);
    expect(Buffer.from(gif.subarray(0, 6)).toString('latin1')).toBe('GIF89a');
    // Count graphic control extensions (0x21 0xF9), one per frame.
    let gce = 0;
    for (let i = 0; i + 1 < gif.length; i++) if (gif[i] === 0x21 && gif[i + 1] === 0xf9) gce++;
    expect(gce).toBe(frames.length);
    await writeGif(join(dir, 'a.gif'), frames, W, H);
    expect(readFileSync(join(dir, 'a.gif')).length).toBe(gif.length);
  });

  it('the caption font draws digits as distinct glyphs', () => {
    const a = new Uint8Array(6 * 7);
    const b = new Uint8Array(6 * 7);
    drawText(a, 6, 0, 0, '1');
    drawText(b, 6, 0, 0, '7');
    expect(a.some((v) => v > 0)).toBe(true);
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });
});

describe('JSON sidecars', () => {
  it('write typed arrays as arrays and non-finite numbers as null', async () => {
    const p = join(dir, 's.json');
    await writeJsonSidecar(p, { t: Float32Array.from([1.5, 2]), x: NaN, pixelSize_A: 0.2 });
    expect(JSON.parse(readFileSync(p, 'utf8'))).toEqual({ t: [1.5, 2], x: null, pixelSize_A: 0.2 });
  });
});
