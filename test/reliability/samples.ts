/**
 * Small valid files of every format a user can give cathode-twin, built in the test itself (CI has no ../shared), for
 * the fuzz tests: each is then truncated, corrupted and replaced by random bytes. Not a test file.
 */
import { deflateRawSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng16, encodeTiffFloat32 } from '../../src/twin/imageio/index.js';
import { buildLamella, formatStructure, toAtoms } from '../../src/lattice/index.js';
import { sealCheckpoint } from '../../src/core/index.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const ramp = (n: number, k = 1): Float32Array => Float32Array.from({ length: n }, (_, i) => ((i * 7 + k) % 13) / 13);

/** A 2-page 12×10 float32 TIFF as the run writes them (ImageJ header, JSON description). */
export function sampleTiff(): Uint8Array {
  return encodeTiffFloat32([ramp(120), ramp(120, 3)], 12, 10, { pixelSize_A: 0.2, description: '{"temperatures_C":[25,175]}' });
}

/** A 16-bit greyscale PNG, 9×7. */
export function samplePng(): Uint8Array {
  return encodePng16(ramp(63), 9, 7).png;
}

/** A small lamella as CIF and extended XYZ text. */
export function sampleStructures(): { cif: string; xyz: string; vesta: string } {
  const lam = buildLamella({ size_A: 8, thickness_A: 6, pore: null, apb: null, seed: 2 });
  const atoms = toAtoms(lam.lattice);
  return {
    cif: formatStructure(atoms, 'cif', { name: 'fuzz' }),
    xyz: formatStructure(atoms, 'xyz', { comment: 'fuzz' }),
    vesta: readFileSync(join(ROOT, 'test/lattice/fixtures/LiCoO2_VESTA.cif'), 'utf8'),
  };
}

/** A .npy of shape (3, 4, 5) float32 (version 1 header, padded to 64 bytes as numpy does). */
export function sampleNpy(shape: number[] = [3, 4, 5]): Uint8Array {
  const n = shape.reduce((a, b) => a * b, 1);
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const out = new Uint8Array(10 + header.length + 4 * n);
  out.set([0x93, ...Buffer.from('NUMPY'), 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(Buffer.from(header, 'latin1'), 10);
  new Float32Array(out.buffer, 10 + header.length, n).set(ramp(n));
  return out;
}

/** A zip (.npz) of members, deflated. */
export function sampleNpz(members: Record<string, Uint8Array> = { 'arr_0.npy': sampleNpy([4, 5]), 'arr_1.npy': sampleNpy([2, 3, 3]) }): Uint8Array {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(members)) {
    const comp = deflateRawSync(data);
    const nameB = Buffer.from(name);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0); lh.writeUInt16LE(20, 4); lh.writeUInt16LE(8, 8);
    lh.writeUInt32LE(comp.length, 18); lh.writeUInt32LE(data.length, 22); lh.writeUInt16LE(nameB.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0); ch.writeUInt16LE(20, 4); ch.writeUInt16LE(20, 6); ch.writeUInt16LE(8, 10);
    ch.writeUInt32LE(comp.length, 20); ch.writeUInt32LE(data.length, 24); ch.writeUInt16LE(nameB.length, 28); ch.writeUInt32LE(offset, 42);
    local.push(lh, nameB, comp);
    central.push(ch, nameB);
    offset += 30 + nameB.length + comp.length;
  }
  const cd = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0); eocd.writeUInt16LE(Object.keys(members).length, 8); eocd.writeUInt16LE(Object.keys(members).length, 10);
  eocd.writeUInt32LE(cd.length, 12); eocd.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...local, cd, eocd]));
}

/**
 * A DM3 file (Gatan tag tree, big-endian headers, little-endian data) holding one 6×4 float32 image with a
 * calibration of 0.02 nm per pixel: ImageList/0/ImageData/{Data, DataType, Dimensions, Calibrations}.
 */
export function sampleDm3(): Uint8Array {
  const parts: Buffer[] = [];
  const u8 = (v: number) => Buffer.from([v]);
  const u16 = (v: number) => { const b = Buffer.alloc(2); b.writeUInt16BE(v); return b; };
  const u32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(v); return b; };
  type Node = { group: [string, Node][] } | { info: number[]; data: Buffer };
  const simple = (type: number, v: number): Node => {
    const b = Buffer.alloc(type === 6 ? 4 : type === 7 ? 8 : 4);
    if (type === 6) b.writeFloatLE(v); else if (type === 7) b.writeDoubleLE(v); else b.writeUInt32LE(v);
    return { info: [type], data: b };
  };
  const emit = (name: string, node: Node): void => {
    const label = Buffer.from(name, 'latin1');
    if ('group' in node) {
      parts.push(u8(20), u16(label.length), label, u8(0), u8(0), u32(node.group.length));
      for (const [n, c] of node.group) emit(n, c);
    } else {
      parts.push(u8(21), u16(label.length), label, Buffer.from('%%%%'), u32(node.info.length), ...node.info.map(u32), node.data);
    }
  };
  const W = 6, H = 4;
  const px = Buffer.from(ramp(W * H).buffer);
  const units = Buffer.alloc(4); units.writeUInt16LE('n'.charCodeAt(0), 0); units.writeUInt16LE('m'.charCodeAt(0), 2);
  const image: Node = { group: [
    ['ImageData', { group: [
      ['Calibrations', { group: [['Dimension', { group: [['', { group: [['Scale', simple(6, 0.02)], ['Units', { info: [20, 4, 2], data: units }]] }]] }]] }],
      ['Data', { info: [20, 6, W * H], data: px }],
      ['DataType', simple(3, 2)],
      ['Dimensions', { group: [['', simple(5, W)], ['', simple(5, H)]] }],
    ] }],
    ['ImageTags', { group: [['Microscope Info', { group: [['Voltage', simple(7, 200000)]] }]] }],
  ] };
  const root: [string, Node][] = [['ImageList', { group: [['', image]] }]];
  parts.push(u8(0), u8(0), u32(root.length));
  for (const [n, c] of root) emit(n, c);
  const body = Buffer.concat(parts);
  return new Uint8Array(Buffer.concat([u32(3), u32(body.length + 16), u32(1), body, Buffer.alloc(8)]));
}

/** A sealed checkpoint (inputs record + payload). */
export function sampleCheckpoint(): Uint8Array {
  return sealCheckpoint({ scenario: '0123456789abcdef', seed: 7, version: '0.1.0' }, Uint8Array.from({ length: 64 }, (_, i) => i));
}

/** A JSON sidecar and a CSV one. */
export function sampleSidecars(): { json: string; csv: string } {
  return {
    json: JSON.stringify({ pixelSize: '0.2 Å', frames: [{ temperature: '25 degC', time: '0 s', dose: '5000 e/Å^2' }, { temperature_K: 448.15, time_s: 600 }] }),
    csv: 'temperature [degC],time (min),dose_ePerA2\n25,0,5000\n175,10,5000\n',
  };
}

/** Writes a tiny Velox-like EMD (HDF5) with h5wasm: Data/Image/<id>/Data [H, W, F] and its Metadata. */
export async function writeSampleEmd(path: string): Promise<void> {
  const h5 = (await import('h5wasm/node')).default;
  await h5.ready;
  const f = new h5.File(path, 'w');
  try {
    f.create_group('Data');
    f.create_group('Data/Image');
    const g = f.create_group('Data/Image/a1b2');
    g.create_dataset({ name: 'Data', data: Int16Array.from({ length: 5 * 4 * 2 }, (_, i) => i), shape: [5, 4, 2], dtype: '<h' });
    const meta = Buffer.from(JSON.stringify({ BinaryResult: { Detector: 'HAADF', PixelSize: { width: '2e-11' } }, Optics: { AccelerationVoltage: '200000' } }));
    const m = new Uint8Array(meta.length * 2);
    for (let i = 0; i < meta.length; i++) { m[2 * i] = meta[i]!; m[2 * i + 1] = meta[i]!; }
    g.create_dataset({ name: 'Metadata', data: m, shape: [meta.length, 2], dtype: '<B' });
  } finally {
    f.close();
  }
}

/** A 364-byte classic TIFF whose one page claims 100000 × 100000 float32 pixels in one uncompressed strip. */
export function hugeHeaderTiff(): Uint8Array {
  const b = new Uint8Array(364);
  const dv = new DataView(b.buffer);
  b.set([0x49, 0x49]);
  dv.setUint16(2, 42, true);
  dv.setUint32(4, 8, true);
  const tags: [number, number, number, number][] = [
    [256, 4, 1, 100000], [257, 4, 1, 100000], [258, 3, 1, 32], [259, 3, 1, 1], [262, 3, 1, 1],
    [273, 4, 1, 300], [277, 3, 1, 1], [278, 4, 1, 100000], [279, 4, 1, 4e10 % 2 ** 32], [339, 3, 1, 3],
  ];
  dv.setUint16(8, tags.length, true);
  tags.forEach(([tag, type, count, value], k) => {
    const e = 10 + 12 * k;
    dv.setUint16(e, tag, true); dv.setUint16(e + 2, type, true); dv.setUint32(e + 4, count, true);
    if (type === 3) dv.setUint16(e + 8, value, true); else dv.setUint32(e + 8, value, true);
  });
  dv.setUint32(10 + 12 * tags.length, 0, true);
  return b;
}

/** A valid TIFF whose IFD chain is scrambled into a loop (the last IFD's next pointer leads back to the first). */
export function cyclicTiff(): Uint8Array {
  const b = sampleTiff();
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const first = dv.getUint32(4, true);
  let ifd = first;
  for (;;) {
    const n = dv.getUint16(ifd, true);
    const nextAt = ifd + 2 + 12 * n;
    const next = dv.getUint32(nextAt, true);
    if (next === 0) { dv.setUint32(nextAt, first, true); break; }
    ifd = next;
  }
  return b;
}

/** The classic "billion laughs" YAML: nine levels of nine aliases. */
export const YAML_BOMB = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`)].join('\n') + '\n';

/** An MRC2014 stack: 3 sections of 6 × 5 float32, little-endian stamp, cell 1.2 × 1.0 × 3 Å (0.2 Å per pixel). */
export function sampleMrc(): Uint8Array {
  const nx = 6, ny = 5, nz = 3;
  const b = new Uint8Array(1024 + 4 * nx * ny * nz);
  const dv = new DataView(b.buffer);
  [nx, ny, nz, 2].forEach((v, i) => dv.setInt32(4 * i, v, true));
  [nx, ny, nz].forEach((v, i) => dv.setInt32(28 + 4 * i, v, true));
  [1.2, 1.0, 3].forEach((v, i) => dv.setFloat32(40 + 4 * i, v, true));
  [90, 90, 90].forEach((v, i) => dv.setFloat32(52 + 4 * i, v, true));
  [1, 2, 3].forEach((v, i) => dv.setInt32(64 + 4 * i, v, true));
  dv.setInt32(108, 20140, true);
  b.set(Buffer.from('MAP '), 208);
  b.set([0x44, 0x44, 0, 0], 212);
  new Float32Array(b.buffer, 1024, nx * ny * nz).set(ramp(nx * ny * nz));
  return b;
}

/** Writes a HyperSpy HDF5 file with h5wasm: /Experiments/img/data of 2 frames of 5 × 6 float32, axes calibrated in nm. */
export async function writeSampleHspy(path: string): Promise<void> {
  const h5 = (await import('h5wasm/node')).default;
  await h5.ready;
  const f = new h5.File(path, 'w');
  try {
    f.create_attribute('file_format', 'HyperSpy');
    f.create_group('Experiments');
    const g = f.create_group('Experiments/img');
    g.create_dataset({ name: 'data', data: ramp(2 * 5 * 6), shape: [2, 5, 6], dtype: '<f' });
    const axes: [string, number, number, string, number][] = [['time', 2, 1, 's', 1], ['y', 5, 0.02, 'nm', 0], ['x', 6, 0.02, 'nm', 0]];
    axes.forEach(([name, size, scale, units, navigate], i) => {
      const a = g.create_group(`axis-${i}`);
      a.create_attribute('name', name);
      a.create_attribute('size', size);
      a.create_attribute('scale', scale);
      a.create_attribute('offset', 0);
      a.create_attribute('units', units);
      a.create_attribute('navigate', navigate);
    });
  } finally {
    f.close();
  }
}
