/**
 * MRC / MRC2014 (CCP-EM, https://www.ccpem.ac.uk/mrc_format/mrc2014.php): a 1024-byte header (nx, ny, nz, mode,
 * cell size in Å, the extended-header length nsymbt, its type exttyp, the machine stamp), an optional extended header,
 * then nz sections of ny rows of nx values; the sections of a STEM movie or image stack are its frames. Modes read:
 * 0 int8, 1 int16, 2 float32, 6 uint16, 12 float16; complex modes (3, 4) and packed 4-bit (101) are refused.
 * Byte order from the machine stamp (0x44 0x44 / 0x44 0x41 little-endian, 0x11 0x11 big-endian).
 *
 * Calibration: the FEI extended header (exttyp FEI1/FEI2, Thermo Fisher's "MRC 2014 specification": one packed record
 * per frame of `Metadata size` bytes) gives the pixel size in metres (Pixel size X/Y), the high tension,
 * the dwell time and the STEM detector; else the cell: cella.x / mx Å per pixel when positive. A non-positive cell is
 * no calibration (with a warning). Every size the header declares is checked against the file length before any
 * allocation.
 */
import { InputError, checkDeclared } from '../../core/index.js';
import { decodeHalf } from './half.js';

/** An MRC file as frames. */
export interface MrcImage {
  readonly frames: Float32Array[];
  readonly width: number;
  readonly height: number;
  readonly mode: number;
  /** Pixel size (x, y), Å, when calibrated. */
  readonly pixelSize_A?: number;
  readonly pixelSizeY_A?: number;
  /** From the FEI extended header, when present. */
  readonly voltage_V?: number;
  readonly dwell_s?: number;
  readonly detector?: string;
  readonly extendedHeader: string;
  readonly warnings: string[];
}

/** Bytes per value of the supported modes. */
const MODE_BYTES: Record<number, number> = { 0: 1, 1: 2, 2: 4, 6: 2, 12: 2 };

/** Largest decoded file accepted, values. */
const MAX_VALUES = 2 ** 28;

/**
 * Fields of the FEI extended-header record up to those read, in order, with their sizes in bytes (packed, no
 * alignment): i4/u4 4, f8 8, ? (bool) 1, Sn n. Offsets are summed from this table.
 */
const FEI_FIELDS: readonly [string, number][] = ([
  'Metadata size:4', 'Metadata version:4', 'Bitmask 1:4', 'Timestamp:8', 'Microscope type:16', 'D-Number:16', 'Application:16', 'Application version:16',
  'HT:8', 'Dose:8', 'Alpha tilt:8', 'Beta tilt:8', 'X-Stage:8', 'Y-Stage:8', 'Z-Stage:8', 'Tilt axis angle:8', 'Dual axis rotation:8', 'Pixel size X:8', 'Pixel size Y:8',
  'Unused range:48', 'Defocus:8', 'STEM Defocus:8', 'Applied defocus:8', 'Instrument mode:4', 'Projection mode:4', 'Objective lens mode:16', 'High magnification mode:16',
  'Probe mode:4', 'EFTEM On:1', 'Magnification:8', 'Bitmask 2:4', 'Camera length:8', 'Spot index:4', 'Illuminated area:8', 'Intensity:8', 'Convergence angle:8',
  'Illumination mode:16', 'Wide convergence angle range:1', 'Slit inserted:1', 'Slit width:8', 'Acceleration voltage offset:8', 'Drift tube voltage:8', 'Energy shift:8',
  'Shift offset X:8', 'Shift offset Y:8', 'Shift X:8', 'Shift Y:8', 'Integration time:8', 'Binning Width:4', 'Binning Height:4', 'Camera name:16',
  'Readout area left:4', 'Readout area top:4', 'Readout area right:4', 'Readout area bottom:4', 'Ceta noise reduction:1', 'Ceta frames summed:4',
  'Direct detector electron counting:1', 'Direct detector align frames:1', 'Camera param reserved 0:4', 'Camera param reserved 1:4', 'Camera param reserved 2:4',
  'Camera param reserved 3:4', 'Bitmask 3:4', 'Camera param reserved 4:4', 'Camera param reserved 5:4', 'Camera param reserved 6:4', 'Camera param reserved 7:4',
  'Camera param reserved 8:4', 'Camera param reserved 9:4', 'Phase Plate:1', 'STEM Detector name:16', 'Gain:8', 'Offset:8', 'STEM param reserved 0:4',
  'STEM param reserved 1:4', 'STEM param reserved 2:4', 'STEM param reserved 3:4', 'STEM param reserved 4:4', 'Dwell time:8',
] as const).map((s) => { const i = s.lastIndexOf(':'); return [s.slice(0, i), Number(s.slice(i + 1))] as [string, number]; });
const FEI_OFFSET: Record<string, number> = {};
{
  let o = 0;
  for (const [name, size] of FEI_FIELDS) { FEI_OFFSET[name] = o; o += size; }
  FEI_OFFSET.__end = o;
}

/** Decodes an MRC file (InputError naming `field` on anything else). */
export function decodeMrc(buf: Uint8Array, path = 'mrc', field = '--series'): MrcImage {
  const bad = (why: string): never => { throw new InputError(field, `${path} (${buf.length} B)`, 'an MRC/MRC2014 image or image stack', why); };
  if (buf.length < 1024) bad('shorter than the 1024-byte header');
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const stamp = [buf[212]!, buf[213]!];
  let le: boolean;
  if (stamp[0] === 0x44 && (stamp[1] === 0x44 || stamp[1] === 0x41)) le = true;
  else if (stamp[0] === 0x11 && stamp[1] === 0x11) le = false;
  else {
    // Old files without a stamp: the byte order in which nx, ny, nz and mode look sane.
    const sane = (l: boolean): boolean => [0, 4, 8].every((o) => { const v = dv.getInt32(o, l); return v > 0 && v < 1 << 20; }) && MODE_BYTES[dv.getInt32(12, l)] !== undefined;
    le = sane(true) || !sane(false);
  }
  const i32 = (o: number): number => dv.getInt32(o, le);
  const f32 = (o: number): number => dv.getFloat32(o, le);
  const nx = i32(0), ny = i32(4), nz = i32(8), mode = i32(12);
  const warnings: string[] = [];
  if (!(nx > 0 && ny > 0 && nz > 0) || nx > 1 << 20 || ny > 1 << 20 || nz > 1 << 24) bad(`dimensions ${nx}×${ny}×${nz}`);
  const bpv = MODE_BYTES[mode];
  if (bpv === undefined) bad(`mode ${mode} (supported: 0 int8, 1 int16, 2 float32, 6 uint16, 12 float16)`);
  const n = nx * ny * nz;
  if (n > MAX_VALUES) bad(`${n} values (at most ${MAX_VALUES})`);
  const nsymbt = i32(92);
  if (nsymbt < 0 || 1024 + nsymbt > buf.length) bad(`extended header of ${nsymbt} B`);
  const data0 = 1024 + nsymbt;
  if (data0 + n * bpv! > buf.length) bad(`truncated: ${nx}×${ny}×${nz} × ${bpv} B needs ${data0 + n * bpv!} B`);
  checkDeclared(field, n * bpv!, buf.length - data0, `${path}: MRC data`);
  const exttyp = String.fromCharCode(buf[104]!, buf[105]!, buf[106]!, buf[107]!).replace(/\0/g, '');
  // Values.
  const frames: Float32Array[] = [];
  const plane = nx * ny;
  for (let k = 0; k < nz; k++) {
    const o = data0 + k * plane * bpv!;
    let fr: Float32Array;
    if (mode === 12) fr = decodeHalf(buf, o, plane, le);
    else {
      fr = new Float32Array(plane);
      for (let i = 0, p = o; i < plane; i++, p += bpv!) {
        fr[i] = mode === 0 ? dv.getInt8(p) : mode === 1 ? dv.getInt16(p, le) : mode === 2 ? dv.getFloat32(p, le) : dv.getUint16(p, le);
      }
    }
    frames.push(fr);
  }
  // Calibration: FEI extended header, else the cell.
  const extra: { voltage_V?: number; dwell_s?: number; detector?: string } = {};
  let px: number | undefined, py: number | undefined;
  if ((exttyp === 'FEI1' || exttyp === 'FEI2') && nsymbt >= FEI_OFFSET['Pixel size Y']! + 8) {
    const e = 1024;
    const fle = true; // the FEI records are little-endian (Thermo Fisher's specification)
    const f8 = (name: string): number => { const o = FEI_OFFSET[name]!; return e + o + 8 <= data0 ? dv.getFloat64(e + o, fle) : NaN; };
    const str = (name: string, len: number): string => { const o = e + FEI_OFFSET[name]!; return o + len <= data0 ? String.fromCharCode(...buf.subarray(o, o + len)).replace(/\0.*$/s, '').trim() : ''; };
    const sx = f8('Pixel size X'), sy = f8('Pixel size Y');
    if (sx > 1e-13 && sx < 1e-5 && sy > 1e-13 && sy < 1e-5) { px = sx * 1e10; py = sy * 1e10; }
    else warnings.push(`FEI extended header pixel size (${sx}, ${sy} m) is not a plausible length: ignored`);
    const ht = f8('HT');
    if (ht > 1e3 && ht < 1e7) extra.voltage_V = ht;
    if (nsymbt >= FEI_OFFSET.__end!) {
      const dw = f8('Dwell time');
      if (dw > 0 && dw < 1) extra.dwell_s = dw;
      const det = str('STEM Detector name', 16);
      if (det) extra.detector = det;
    }
  }
  if (px === undefined) {
    const mx = i32(28), my = i32(32), cx = f32(40), cy = f32(44);
    if (cx > 0 && cy > 0 && mx > 0 && my > 0 && Number.isFinite(cx) && Number.isFinite(cy)) { px = cx / mx; py = cy / my; }
    else warnings.push(`MRC cell (${cx}, ${cy} Å over ${mx}×${my}) gives no pixel size: the pixel size is unknown`);
  } else {
    const mx = i32(28), cx = f32(40);
    if (cx > 0 && mx > 0 && Math.abs(cx / mx - px) > 0.01 * px) warnings.push(`MRC cell pixel size ${(cx / mx).toFixed(4)} Å differs from the FEI header's ${px.toFixed(4)} Å: the FEI header's is used`);
  }
  return {
    frames, width: nx, height: ny, mode, extendedHeader: exttyp, warnings,
    ...(px !== undefined && py !== undefined ? { pixelSize_A: px, pixelSizeY_A: py } : {}), ...extra,
  };
}
