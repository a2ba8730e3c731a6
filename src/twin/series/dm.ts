/**
 * Images out of a parsed DM3/DM4 file (dmTags.ts): the image list's main image (entry 0 is the thumbnail when there
 * are several), its data type (DataType: 1 i16, 2 f32, 3 complex64, 5 packed complex64, 6 u8, 7 i32, 8/23 RGB(A),
 * 9 i8, 10 u16, 11 u32, 12 f64, 13 complex128, 14 bool, 27/28 packed complex), dimensions (x fastest; a third
 * dimension = frames), the spatial calibration (Dimension/0 Scale and Units → Å per pixel) and microscope tags.
 * Complex pixels become their modulus; RGB pixels their mean of R, G, B.
 */
import { InputError, guardedReadSync } from '../../core/index.js';
import { type DmArray, type DmGroup, type DmValue, DM_TYPE_SIZE, dmGet, dmString, parseDm } from './dmTags.js';

/** A DM image as frames of Float32 (row-major, width × height each). */
export interface DmImage {
  readonly frames: Float32Array[];
  readonly width: number;
  readonly height: number;
  /** DM DataType code of the image. */
  readonly dataType: number;
  /** Pixel size, Å (from a length calibration in nm, µm or Å), when calibrated. */
  readonly pixelSize_A?: number;
  /** Accelerating voltage, V (ImageTags/Microscope Info/Voltage), when present. */
  readonly voltage_V?: number;
  /** Pixel dwell time, s (ImageTags/DigiScan/Sample Time, µs), when present. */
  readonly dwell_s?: number;
  /** All image tags (ImageTags group), for provenance. */
  readonly tags: DmGroup;
}

const LENGTH_TO_A: Record<string, number> = { nm: 10, 'µm': 1e4, um: 1e4, 'Å': 1, A: 1, pm: 0.01, m: 1e10 };

function simpleValues(a: DmArray): Float64Array {
  const dv = new DataView(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength);
  const s = DM_TYPE_SIZE[a.type]!;
  const out = new Float64Array(a.count);
  const le = a.littleEndian;
  for (let i = 0, o = 0; i < a.count; i++, o += s) {
    switch (a.type) {
      case 2: out[i] = dv.getInt16(o, le); break;
      case 3: out[i] = dv.getInt32(o, le); break;
      case 4: out[i] = dv.getUint16(o, le); break;
      case 5: out[i] = dv.getUint32(o, le); break;
      case 6: out[i] = dv.getFloat32(o, le); break;
      case 7: out[i] = dv.getFloat64(o, le); break;
      case 8: case 10: out[i] = dv.getUint8(o); break;
      case 9: out[i] = dv.getInt8(o); break;
      case 11: out[i] = Number(dv.getBigInt64(o, le)); break;
      default: out[i] = Number(dv.getBigUint64(o, le));
    }
  }
  return out;
}

/** Pixel values of the image's Data tag per its DataType. */
function pixels(data: DmValue, dataType: number, n: number, path: string): Float64Array {
  const out = new Float64Array(n);
  if (Array.isArray(data)) {
    // Array of structs: complex (re, im) or RGBA fields.
    if (data.length !== n) throw new InputError(path, data.length, `${n} pixels (the image dimensions)`);
    data.forEach((v, i) => {
      const f = (v as number[]).map(Number);
      out[i] = f.length === 2 ? Math.hypot(f[0]!, f[1]!) : (f[0]! + f[1]! + f[2]!) / 3;
    });
    return out;
  }
  const a = data as DmArray;
  const raw = simpleValues(a);
  const complex = dataType === 3 || dataType === 5 || dataType === 13 || dataType === 27 || dataType === 28;
  if (complex && raw.length === 2 * n) {
    for (let i = 0; i < n; i++) out[i] = Math.hypot(raw[2 * i]!, raw[2 * i + 1]!);
  } else if ((dataType === 8 || dataType === 23) && raw.length === n) {
    for (let i = 0; i < n; i++) { const v = raw[i]! >>> 0; out[i] = ((v & 0xff) + ((v >>> 8) & 0xff) + ((v >>> 16) & 0xff)) / 3; }
  } else if ((dataType === 8 || dataType === 23) && raw.length === 4 * n) {
    for (let i = 0; i < n; i++) out[i] = (raw[4 * i]! + raw[4 * i + 1]! + raw[4 * i + 2]!) / 3;
  } else if (raw.length === n) {
    out.set(raw);
  } else {
    throw new InputError(path, `${raw.length} values of DM type ${a.type}`, `${n} pixels of DataType ${dataType}`);
  }
  return out;
}

/** Decodes the main image of a DM3/DM4 file held in memory (InputError naming `path` when it is not one, or is malformed). */
export function decodeDm(buf: Uint8Array, path = 'dm'): DmImage {
  return guardedReadSync(path, `${buf.length} bytes`, 'a Digital Micrograph DM3/DM4 image', () => decodeParsed(buf, path));
}

/** Number of values a Data tag holds (elements of an array, or entries of an array of structs). */
function valueCount(data: DmValue): number {
  if (Array.isArray(data)) return data.length;
  if (data && typeof data === 'object' && (data as DmArray).kind === 'array') return (data as DmArray).count;
  return 1;
}

function decodeParsed(buf: Uint8Array, path: string): DmImage {
  const dm = parseDm(buf, path);
  const list = dmGet(dm.root, 'ImageList') as DmGroup | undefined;
  const keys = list ? Object.keys(list) : [];
  if (keys.length === 0) throw new InputError(path, 'no ImageList', 'a DM file holding an image');
  const entry = list![keys[keys.length > 1 ? keys.length - 1 : 0]!] as DmGroup;
  const dataType = Number(dmGet(entry, 'ImageData/DataType'));
  const dimsG = dmGet(entry, 'ImageData/Dimensions') as DmGroup | undefined;
  const dims = dimsG ? Object.values(dimsG).map(Number) : [];
  const data = dmGet(entry, 'ImageData/Data');
  if (dims.length < 1 || data === undefined) throw new InputError(path, `dimensions ${JSON.stringify(dims)}`, 'an image with Dimensions and Data');
  if (dims.some((d) => !Number.isInteger(d) || d < 1)) throw new InputError(`${path} ImageData/Dimensions`, dims.join('×'), 'positive integer dimensions');
  const width = dims[0]!, height = dims[1] ?? 1, nFrames = dims.slice(2).reduce((a, b) => a * b, 1);
  const plane = width * height;
  // The dimensions are a header: the Data tag must hold at least that many values (≤ 4 per pixel: RGBA, complex).
  const held = valueCount(data);
  if (plane * nFrames > held) throw new InputError(`${path} ImageData/Dimensions`, dims.join('×'), `at most the ${held} values its Data tag holds`, 'the file is truncated or corrupt');
  const all = pixels(data, dataType, plane * nFrames, path);
  const frames = Array.from({ length: nFrames }, (_, f) => Float32Array.from(all.subarray(f * plane, (f + 1) * plane)));
  const scale = Number(dmGet(entry, 'ImageData/Calibrations/Dimension/0/Scale'));
  const units = dmString(dmGet(entry, 'ImageData/Calibrations/Dimension/0/Units'))?.trim() ?? '';
  const perA = LENGTH_TO_A[units];
  const tags = (dmGet(entry, 'ImageTags') as DmGroup | undefined) ?? {};
  const volt = Number(dmGet(tags, 'Microscope Info/Voltage'));
  const dwell_us = Number(dmGet(tags, 'DigiScan/Sample Time'));
  return {
    frames, width, height, dataType, tags,
    ...(perA !== undefined && scale > 0 ? { pixelSize_A: scale * perA } : {}),
    ...(volt > 0 ? { voltage_V: volt } : {}),
    ...(dwell_us > 0 ? { dwell_s: dwell_us * 1e-6 } : {}),
  };
}
