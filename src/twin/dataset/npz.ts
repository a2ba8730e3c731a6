/**
 * NumPy `.npz` writing without copies: `NpzLayout` lays out a zip archive (stored members, no compression) of `.npy`
 * arrays in one buffer, so the generator writes samples straight into the arrays' data regions (typed-array views);
 * `finish()` appends an optional last member whose size is known only at the end (a column table), then fills in the
 * CRC-32s and the central directory. Format: NumPy NEP 1 (magic "\x93NUMPY", version 1.0, a little-endian u16 header
 * length, a Python-literal dict {'descr', 'fortran_order', 'shape'} padded with spaces to a multiple of 64 bytes and
 * ending in '\n', then the C-order data) inside a PKWARE APPNOTE 6.3 zip. Each member's data starts 64-byte aligned
 * in the file (padding in the local header's extra field, as zipalign does). Dates are fixed (1980-01-01), so equal
 * arrays give equal bytes. Archives above 4 GiB would need ZIP64: refused with a clear error.
 */
import { crc32 } from 'node:zlib';

/** NumPy dtypes written here. */
export type NpyDtype = '<f4' | '<f2' | '|u1' | '<u2' | '<i4' | '<i8';

const ITEM: Record<NpyDtype, number> = { '<f4': 4, '<f2': 2, '|u1': 1, '<u2': 2, '<i4': 4, '<i8': 8 };

/** One array of the archive. */
export interface NpyMember {
  /** Name without ".npy" (the key of np.load(...)[name]). */
  readonly name: string;
  readonly dtype: NpyDtype;
  readonly shape: readonly number[];
}

/** The .npy header (magic, version, length, dict) for dtype and shape, padded to a multiple of 64 bytes. */
export function npyHeader(dtype: NpyDtype, shape: readonly number[]): Uint8Array {
  const shp = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shp}, }`;
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  dict = dict.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  out[8] = (total - 10) & 0xff;
  out[9] = (total - 10) >> 8;
  for (let i = 0; i < dict.length; i++) out[10 + i] = dict.charCodeAt(i);
  return out;
}

const LOCAL = 30, CENTRAL = 46, END = 22;
const ALIGN = 64;

interface Placed { member: NpyMember; name: Uint8Array; header: Uint8Array; local: number; extra: number; data: number; bytes: number }

function place(m: NpyMember, off: number): Placed {
  if (m.shape.some((d) => !Number.isInteger(d) || d < 0)) throw new RangeError(`npz: bad shape ${m.shape.join('×')} for ${m.name}`);
  const name = new TextEncoder().encode(`${m.name}.npy`);
  const header = npyHeader(m.dtype, m.shape);
  const bytes = m.shape.reduce((a, b) => a * b, 1) * ITEM[m.dtype];
  // Extra field (id 0xD935, "alignment", as Android's zipalign) pads so that the npy *data* start is aligned.
  const base = off + LOCAL + name.length + 4 + header.length;
  const extra = 4 + ((ALIGN - (base % ALIGN)) % ALIGN);
  const data = off + LOCAL + name.length + extra + header.length;
  return { member: m, name, header, local: off, extra, data, bytes };
}

/** A zip of .npy members laid out in one buffer (see module doc). */
export class NpzLayout {
  /** The buffer (its capacity may exceed the archive: see finish()). */
  buffer: Uint8Array;
  private readonly placed: Placed[] = [];
  private readonly fixedEnd: number;

  /**
   * Lays out `members`; `reuse` is a buffer to write into when it is large enough (e.g. the previous bundle's).
   * `zero`: clear the data regions (default); a caller that writes every byte of every member may skip it.
   * `alloc`: how a new buffer of n bytes is made (default a plain Uint8Array; e.g. one over a SharedArrayBuffer).
   */
  constructor(members: readonly NpyMember[], reuse?: Uint8Array, zero = true, private readonly alloc: (n: number) => Uint8Array = (n) => new Uint8Array(n)) {
    let off = 0;
    for (const m of members) {
      const p = place(m, off);
      this.placed.push(p);
      off = p.data + p.bytes;
    }
    this.fixedEnd = off;
    const need = off + 1024;
    this.buffer = reuse && reuse.length >= need ? reuse : alloc(Math.ceil(need * 1.25));
    for (const p of this.placed) {
      this.buffer.set(p.header, p.data - p.header.length);
      if (zero) this.buffer.fill(0, p.data, p.data + p.bytes);
    }
  }

  /** The data region of member `name` as a typed array of its dtype (write the array's values into it). */
  view(name: string): Float32Array | Uint16Array | Uint8Array | Int32Array | BigInt64Array {
    const p = this.placed.find((q) => q.member.name === name);
    if (!p) throw new Error(`npz: no member ${name}`);
    const b = this.buffer.buffer, o = this.buffer.byteOffset + p.data, n = p.bytes / ITEM[p.member.dtype];
    switch (p.member.dtype) {
      case '<f4': return new Float32Array(b, o, n);
      case '<f2': case '<u2': return new Uint16Array(b, o, n);
      case '|u1': return new Uint8Array(b, o, n);
      case '<i4': return new Int32Array(b, o, n);
      case '<i8': return new BigInt64Array(b, o, n);
    }
  }

  /**
   * Appends `tail` (one more member, its bytes given) after the laid-out members, writes the local headers with the
   * CRC-32s of the members as they are now, the central directory and the end record; returns the archive (a view of
   * `buffer`, which grows, copying once, when the tail does not fit).
   */
  finish(tail?: { member: NpyMember; data: Uint8Array }): Uint8Array {
    const all = [...this.placed];
    let end = this.fixedEnd;
    if (tail) {
      const p = place(tail.member, end);
      if (tail.data.length !== p.bytes) throw new RangeError(`npz: ${tail.member.name} has ${tail.data.length} bytes, its shape needs ${p.bytes}`);
      all.push(p);
      end = p.data + p.bytes;
    }
    const centralStart = end;
    let size = end + END;
    for (const p of all) size += CENTRAL + p.name.length;
    if (size > 0xffffffff) throw new RangeError(`npz: ${(size / 2 ** 30).toFixed(1)} GiB exceeds the 4 GiB of a zip without ZIP64 (use a smaller bundle)`);
    if (size > this.buffer.length) {
      const b = this.alloc(Math.ceil(size * 1.25));
      b.set(this.buffer.subarray(0, this.fixedEnd));
      this.buffer = b;
    }
    const buf = this.buffer;
    if (tail) {
      const p = all[all.length - 1]!;
      buf.set(p.header, p.data - p.header.length);
      buf.set(tail.data, p.data);
    }
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let c = centralStart;
    for (const p of all) {
      const start = p.data - p.header.length, len = p.header.length + p.bytes;
      const crc = crc32(buf.subarray(start, start + len)) >>> 0;
      // Fields common to the local header (at o = local) and the central entry (at o = central + 2).
      const put = (o: number, extra: number): void => {
        dv.setUint16(o + 4, 20, true); // version needed 2.0
        dv.setUint16(o + 6, 0, true); // flags
        dv.setUint16(o + 8, 0, true); // stored
        dv.setUint16(o + 10, 0, true); // time 00:00
        dv.setUint16(o + 12, 0x21, true); // date 1980-01-01
        dv.setUint32(o + 14, crc, true);
        dv.setUint32(o + 18, len, true);
        dv.setUint32(o + 22, len, true);
        dv.setUint16(o + 26, p.name.length, true);
        dv.setUint16(o + 28, extra, true);
      };
      dv.setUint32(p.local, 0x04034b50, true);
      put(p.local, p.extra);
      buf.set(p.name, p.local + LOCAL);
      const e = p.local + LOCAL + p.name.length;
      dv.setUint16(e, 0xd935, true);
      dv.setUint16(e + 2, p.extra - 4, true);
      buf.fill(0, e + 4, e + p.extra);
      dv.setUint32(c, 0x02014b50, true);
      dv.setUint16(c + 4, 20, true); // version made by
      put(c + 2, 0);
      dv.setUint16(c + 32, 0, true); // comment length
      dv.setUint16(c + 34, 0, true); // disk
      dv.setUint16(c + 36, 0, true); // internal attributes
      dv.setUint32(c + 38, 0, true); // external attributes
      dv.setUint32(c + 42, p.local, true);
      buf.set(p.name, c + CENTRAL);
      c += CENTRAL + p.name.length;
    }
    dv.setUint32(c, 0x06054b50, true);
    dv.setUint16(c + 4, 0, true);
    dv.setUint16(c + 6, 0, true);
    dv.setUint16(c + 8, all.length, true);
    dv.setUint16(c + 10, all.length, true);
    dv.setUint32(c + 12, c - centralStart, true);
    dv.setUint32(c + 16, centralStart, true);
    dv.setUint16(c + 20, 0, true);
    return buf.subarray(0, c + END);
  }
}
