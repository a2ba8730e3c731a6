/**
 * Digital Micrograph DM3/DM4 tag-tree parser (Gatan's format as documented by the community readers: Chris Boothroyd's
 * DM3 notes, Bernard Heymann's DM format page, hyperspy/rosettasciio digital_micrograph.py; read for the format,
 * not copied). Header: version (u32 BE, 3 or 4), file length (DM3 u32 / DM4 u64, BE), byte order of the data
 * (u32 BE, 1 = little-endian). Then the root group: sorted (u8), open (u8), tag count (DM3 u32 / DM4 u64, BE). Each tag:
 * kind (u8: 20 group, 21 data, 0 end), label length (u16 BE), label; DM4 adds the tag's byte size (u64 BE). A data
 * tag holds "%%%%", the info count and info words (DM3 u32 / DM4 u64, BE; info[0] the encoded type) and its values in
 * the file's data byte order. Arrays of simple types are kept as byte ranges (views), not decoded, until asked for.
 */
import { InputError } from '../../core/index.js';

/** A tag group: named entries (unnamed ones get their position as a name: "0", "1", …). */
export interface DmGroup { [name: string]: DmValue }
/** A raw array of simple elements: element type code, count and where its bytes lie. */
export interface DmArray { readonly kind: 'array'; readonly type: number; readonly count: number; readonly offset: number; readonly bytes: Uint8Array; readonly littleEndian: boolean }
/** A tag value. */
export type DmValue = number | bigint | boolean | string | DmGroup | DmArray | DmValue[];

/** Size in bytes of the simple DM types (2 i16, 3 i32, 4 u16, 5 u32, 6 f32, 7 f64, 8 bool, 9 i8/char, 10 u8, 11 i64, 12 u64). */
export const DM_TYPE_SIZE: Readonly<Record<number, number>> = { 2: 2, 3: 4, 4: 2, 5: 4, 6: 4, 7: 8, 8: 1, 9: 1, 10: 1, 11: 8, 12: 8 };

/** A parsed DM file: version, byte order, and the root tag group. */
export interface DmFile { readonly version: 3 | 4; readonly littleEndian: boolean; readonly root: DmGroup }

/** Parses a DM3/DM4 file held in memory (InputError on malformed input, field `path`). */
export function parseDm(buf: Uint8Array, path = 'dm'): DmFile {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const bad = (why: string, at: number): never => { throw new InputError(path, `${buf.length} bytes`, 'a Digital Micrograph DM3/DM4 file', `${why} at byte ${at}`); };
  if (buf.length < 16) bad('too short', 0);
  const version = dv.getUint32(0, false);
  if (version !== 3 && version !== 4) bad(`version ${version} (expected 3 or 4)`, 0);
  const dm4 = version === 4;
  let p = dm4 ? 12 : 8;
  const le = dv.getUint32(p, false) === 1;
  p += 4;
  const need = (n: number): void => { if (p + n > buf.length) bad('truncated', p); };
  const len = (): number => {
    need(dm4 ? 8 : 4);
    const v = dm4 ? Number(dv.getBigUint64(p, false)) : dv.getUint32(p, false);
    if (v > buf.length) bad(`a length of ${v} in a file of ${buf.length} bytes`, p);
    p += dm4 ? 8 : 4;
    return v;
  };
  const simple = (type: number): DmValue => {
    const n = DM_TYPE_SIZE[type];
    if (n === undefined) bad(`unknown type ${type}`, p);
    need(n!);
    let v: DmValue;
    switch (type) {
      case 2: v = dv.getInt16(p, le); break;
      case 3: v = dv.getInt32(p, le); break;
      case 4: v = dv.getUint16(p, le); break;
      case 5: v = dv.getUint32(p, le); break;
      case 6: v = dv.getFloat32(p, le); break;
      case 7: v = dv.getFloat64(p, le); break;
      case 8: v = dv.getUint8(p) !== 0; break;
      case 9: v = dv.getInt8(p); break;
      case 10: v = dv.getUint8(p); break;
      case 11: v = dv.getBigInt64(p, le); break;
      default: v = dv.getBigUint64(p, le);
    }
    p += n!;
    return v;
  };
  const data = (): DmValue => {
    need(4);
    if (String.fromCharCode(buf[p]!, buf[p + 1]!, buf[p + 2]!, buf[p + 3]!) !== '%%%%') bad('missing %%%% data marker', p);
    p += 4;
    const nInfo = len();
    const info: number[] = [];
    for (let i = 0; i < nInfo; i++) info.push(len());
    const t = info[0];
    if (t === undefined) bad('a data tag without type information', p);
    if (t === 15) {
      const nf = info[2]!;
      if (!(nf >= 0) || info.length < 3 + 2 * nf) bad(`a struct of ${nf} fields with ${info.length} info words`, p);
      const fields: DmValue[] = [];
      for (let f = 0; f < nf; f++) fields.push(simple(info[4 + 2 * f]!));
      return fields;
    }
    if (t === 18) {
      const n = info[1]!;
      need(2 * n);
      let s = '';
      for (let i = 0; i < n; i++) s += String.fromCharCode(dv.getUint16(p + 2 * i, le));
      p += 2 * n;
      return s;
    }
    if (t === 20) {
      const et = info[1]!;
      if (et === 15) {
        const nf = info[3]!;
        if (!(nf >= 1) || info.length < 5 + 2 * nf) bad(`an array of structs of ${nf} fields with ${info.length} info words`, p);
        const types = Array.from({ length: nf }, (_, f) => info[5 + 2 * f]!);
        const count = info[info.length - 1]!;
        // Sizes come from the header: check them against the bytes left before building anything.
        const structBytes = types.reduce((a, ty) => a + (DM_TYPE_SIZE[ty] ?? bad(`struct field of unknown type ${ty}`, p)), 0);
        need(structBytes * count);
        const out: DmValue[] = [];
        for (let k = 0; k < count; k++) out.push(types.map((ty) => simple(ty)));
        return out;
      }
      const size = DM_TYPE_SIZE[et];
      if (size === undefined) bad(`array of unknown type ${et}`, p);
      const count = info[2]!;
      need(size! * count);
      const arr: DmArray = { kind: 'array', type: et, count, offset: p, bytes: buf.subarray(p, p + size! * count), littleEndian: le };
      p += size! * count;
      return arr;
    }
    return simple(t!);
  };
  let depth = 0;
  const group = (): DmGroup => {
    if (++depth > 64) bad('tag groups nested deeper than 64', p);
    need(2);
    p += 2; // sorted, open
    const n = len();
    const g: DmGroup = {};
    for (let i = 0; i < n; i++) {
      need(3);
      const kind = buf[p]!;
      const ll = dv.getUint16(p + 1, false);
      p += 3;
      need(ll);
      let label = '';
      for (let c = 0; c < ll; c++) label += String.fromCharCode(buf[p + c]!);
      p += ll;
      if (dm4) len(); // tag byte size
      const name = label === '' ? String(i) : label;
      if (kind === 20) g[name] = group();
      else if (kind === 21) g[name] = data();
      else if (kind === 0) break;
      else bad(`unknown tag kind ${kind}`, p - 3 - ll);
    }
    depth--;
    return g;
  };
  try {
    return { version: version as 3 | 4, littleEndian: le, root: group() };
  } catch (e) {
    if (e instanceof InputError) throw e;
    // Anything else (a DataView read past the end, a value no DM file holds) is a malformed file too.
    return bad((e as Error).message, p);
  }
}

/** The value at a path of names ("ImageList/1/ImageData/Data"), or undefined. */
export function dmGet(g: DmValue | undefined, path: string): DmValue | undefined {
  let v: DmValue | undefined = g;
  for (const k of path.split('/')) {
    if (v === undefined || typeof v !== 'object' || Array.isArray(v) || (v as DmArray).kind === 'array') return undefined;
    v = (v as DmGroup)[k];
  }
  return v;
}

/** A DM string stored as an array of u16 characters (or a plain string). */
export function dmString(v: DmValue | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && !Array.isArray(v) && (v as DmArray).kind === 'array') {
    const a = v as DmArray;
    const dv = new DataView(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength);
    const size = DM_TYPE_SIZE[a.type]!;
    let s = '';
    for (let i = 0; i < a.count; i++) s += String.fromCharCode(size === 2 ? dv.getUint16(2 * i, a.littleEndian) : a.bytes[i]!);
    return s;
  }
  return undefined;
}
