/**
 * NumPy .npy arrays and .npz archives (a zip of .npy members, stored or deflated; inflated with node:zlib). Format per
 * the NumPy NEP 1 ".npy format" description: magic "\x93NUMPY", version, little-endian header length (u16 in v1,
 * u32 in v2/3), an ASCII dict {'descr', 'fortran_order', 'shape'}, then the data.
 */
import { inflateRawSync } from 'node:zlib';
import { InputError } from '../../core/index.js';

/** A decoded array: values as Float64, its shape, and element strides (elements, not bytes). */
export interface NpyArray { readonly data: Float64Array; readonly shape: number[]; readonly strides: number[]; readonly dtype: string }

/** Decodes one .npy file (InputError naming `path` on anything else). */
export function decodeNpy(buf: Uint8Array, path = 'npy'): NpyArray {
  const bad = (why: string): never => { throw new InputError(path, `${buf.length} bytes`, 'a NumPy .npy array', why); };
  if (buf.length < 10 || buf[0] !== 0x93 || String.fromCharCode(...buf.subarray(1, 6)) !== 'NUMPY') bad('no \\x93NUMPY magic');
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const major = buf[6]!;
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const h0 = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(buf.subarray(h0, h0 + hlen));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*True/.test(header);
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shapeText === undefined) bad(`unreadable header ${header.slice(0, 80)}`);
  const shape = shapeText!.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const n = shape.reduce((a, b) => a * b, 1);
  const m = /^([<>|=])([fiub])(\d+)$/.exec(descr!);
  if (!m) bad(`dtype ${descr} (supported: float, int, uint, bool)`);
  const le = m![1] !== '>';
  const kind = m![2]!, size = Number(m![3]);
  const off = h0 + hlen;
  if (off + n * size > buf.length) bad('truncated data');
  const data = new Float64Array(n);
  for (let i = 0, o = off; i < n; i++, o += size) {
    if (kind === 'f') data[i] = size === 4 ? dv.getFloat32(o, le) : size === 8 ? dv.getFloat64(o, le) : size === 2 ? halfToFloat(dv.getUint16(o, le)) : bad(`float${8 * size}`);
    else if (kind === 'b') data[i] = buf[o]! ? 1 : 0;
    else if (kind === 'u') data[i] = size === 1 ? buf[o]! : size === 2 ? dv.getUint16(o, le) : size === 4 ? dv.getUint32(o, le) : Number(dv.getBigUint64(o, le));
    else data[i] = size === 1 ? dv.getInt8(o) : size === 2 ? dv.getInt16(o, le) : size === 4 ? dv.getInt32(o, le) : Number(dv.getBigInt64(o, le));
  }
  const strides = new Array<number>(shape.length);
  let s = 1;
  if (fortran) for (let a = 0; a < shape.length; a++) { strides[a] = s; s *= shape[a]!; }
  else for (let a = shape.length - 1; a >= 0; a--) { strides[a] = s; s *= shape[a]!; }
  return { data, shape, strides, dtype: descr! };
}

/** Value of IEEE 754 half-precision bits (NumPy float16). */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** The members of a zip archive (stored or deflated), by name. Sizes come from the central directory. */
export function unzip(buf: Uint8Array, path = 'zip'): Map<string, Uint8Array> {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) if (dv.getUint32(i, true) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) throw new InputError(path, `${buf.length} bytes`, 'a zip (.npz) archive', 'no end-of-central-directory record');
  const count = dv.getUint16(eocd + 10, true);
  let p = dv.getUint32(eocd + 16, true);
  const out = new Map<string, Uint8Array>();
  for (let k = 0; k < count; k++) {
    if (dv.getUint32(p, true) !== 0x02014b50) throw new InputError(path, `entry ${k}`, 'a zip central-directory entry');
    const method = dv.getUint16(p + 10, true);
    let csize = dv.getUint32(p + 20, true);
    const nlen = dv.getUint16(p + 28, true), xlen = dv.getUint16(p + 30, true), clen = dv.getUint16(p + 32, true);
    let local = dv.getUint32(p + 42, true);
    const name = new TextDecoder().decode(buf.subarray(p + 46, p + 46 + nlen));
    // ZIP64 extra field (numpy writes it for large members): sizes and offset as u64 where the 32-bit field is 0xFFFFFFFF.
    for (let e = p + 46 + nlen; e < p + 46 + nlen + xlen;) {
      const id = dv.getUint16(e, true), sz = dv.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        if (dv.getUint32(p + 24, true) === 0xffffffff) q += 8;
        if (csize === 0xffffffff) { csize = Number(dv.getBigUint64(q, true)); q += 8; }
        if (local === 0xffffffff) local = Number(dv.getBigUint64(q, true));
      }
      e += 4 + sz;
    }
    const lstart = local + 30 + dv.getUint16(local + 26, true) + dv.getUint16(local + 28, true);
    const raw = buf.subarray(lstart, lstart + csize);
    if (method === 0) out.set(name, raw);
    else if (method === 8) out.set(name, new Uint8Array(inflateRawSync(raw)));
    else throw new InputError(path, `member ${name} compression ${method}`, 'stored or deflated members');
    p += 46 + nlen + xlen + clen;
  }
  return out;
}

/** The arrays of an .npz archive by name without ".npy" (e.g. arr_0). */
export function decodeNpz(buf: Uint8Array, path = 'npz'): Map<string, NpyArray> {
  const out = new Map<string, NpyArray>();
  for (const [name, bytes] of unzip(buf, path)) if (name.endsWith('.npy')) out.set(name.slice(0, -4), decodeNpy(bytes, `${path}:${name}`));
  return out;
}

/**
 * Frames of a 2D (H × W) or 3D array. A 3D array's frame axis is the smallest of the first and last axes
 * ((N, H, W) or (H, W, N), as MATLAB-exported series are); pass `frameAxis` to override.
 */
export function npyFrames(a: NpyArray, frameAxis?: 0 | 2): { frames: Float32Array[]; width: number; height: number } {
  if (a.shape.length === 2) {
    const [H, W] = a.shape as [number, number];
    const f = new Float32Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) f[y * W + x] = a.data[y * a.strides[0]! + x * a.strides[1]!]!;
    return { frames: [f], width: W, height: H };
  }
  if (a.shape.length !== 3) throw new InputError('array shape', a.shape.join('×'), 'a 2D image or a 3D series');
  const ax = frameAxis ?? (a.shape[2]! < a.shape[0]! ? 2 : 0);
  const [ay, axx] = ax === 0 ? [1, 2] : [0, 1];
  const N = a.shape[ax]!, H = a.shape[ay]!, W = a.shape[axx]!;
  const frames: Float32Array[] = [];
  for (let k = 0; k < N; k++) {
    const f = new Float32Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) f[y * W + x] = a.data[k * a.strides[ax]! + y * a.strides[ay]! + x * a.strides[axx]!]!;
    frames.push(f);
  }
  return { frames, width: W, height: H };
}
