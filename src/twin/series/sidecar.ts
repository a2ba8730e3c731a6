/**
 * Per-frame metadata sidecars (JSON or CSV) of an experimental series: temperature, time, dose, pixel size.
 * Values are numbers in the unit their name carries (temperature_K, time_s, dose_ePerA2, pixelSize_A) or unit strings
 * under the plain name ("175 degC", "2 min", "5000 e/Å^2", "0.2 Å"), parsed once here with src/core parseQuantity.
 * CSV headers may also carry the unit in brackets: "temperature [degC]", "time (min)".
 *
 * JSON: an array of frame objects, or { pixelSize?, frames: [...] }.
 */
import { InputError, parseJson, parseQuantity, readInputFile, type QuantityKind } from '../../core/index.js';

/** What is known about one frame. */
export interface FrameMeta {
  temperature_K?: number;
  time_s?: number;
  dose_ePerA2?: number;
}

/** A parsed sidecar. */
export interface Sidecar { frames: FrameMeta[]; pixelSize_A?: number }

const FIELDS: [keyof FrameMeta | 'pixelSize_A', string, QuantityKind][] = [
  ['temperature_K', 'temperature', 'temperature'], ['time_s', 'time', 'time'], ['dose_ePerA2', 'dose', 'dose'], ['pixelSize_A', 'pixelSize', 'length'],
];

function quantity(v: unknown, kind: QuantityKind, field: string, unit?: string): number {
  if (typeof v === 'number') {
    if (unit) return parseQuantity(`${v} ${unit}`, kind, field);
    throw new InputError(field, v, `a unit string such as "175 degC", or the value under the unit-named key (temperature_K, time_s, dose_ePerA2, pixelSize_A)`);
  }
  if (typeof v !== 'string') throw new InputError(field, v, 'a number or a unit string');
  const t = v.trim();
  return parseQuantity(unit && /^[-+0-9.eE]+$/.test(t) ? `${t} ${unit}` : t, kind, field);
}

/** One record (object with field names as above) → FrameMeta (+ pixel size). `where` names the record in errors. */
function record(o: Record<string, unknown>, where: string, units: Record<string, string> = {}): FrameMeta & { pixelSize_A?: number } {
  const m: FrameMeta & { pixelSize_A?: number } = {};
  for (const [key, plain, kind] of FIELDS) {
    if (o[key] !== undefined && o[key] !== '') {
      const v = typeof o[key] === 'string' ? Number(o[key]) : o[key];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`${where}.${key}`, o[key], 'a finite number');
      m[key] = v;
    } else if (o[plain] !== undefined && o[plain] !== '') m[key] = quantity(o[plain], kind, `${where}.${plain}`, units[plain]);
  }
  return m;
}

/** Parses JSON sidecar text. */
export function parseJsonSidecar(text: string, path = 'sidecar'): Sidecar {
  const j = parseJson(text, path, 'a JSON sidecar: well-formed JSON');
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  const list = Array.isArray(j) ? j : isObject(j) ? j.frames : undefined;
  if (!Array.isArray(list)) throw new InputError(path, j === null ? 'null' : typeof j, 'a JSON array of frames or { frames: [...] }');
  const frames = list.map((o, i) => {
    if (!isObject(o)) throw new InputError(`${path} frames[${i}]`, o, 'an object with temperature, time, dose (and pixelSize)');
    return record(o, `${path} frames[${i}]`);
  });
  const top = Array.isArray(j) ? {} : record(j as Record<string, unknown>, path);
  const pixelSize_A = top.pixelSize_A ?? frames.find((f) => f.pixelSize_A !== undefined)?.pixelSize_A;
  return { frames: frames.map(({ temperature_K, time_s, dose_ePerA2 }) => ({ ...(temperature_K !== undefined ? { temperature_K } : {}), ...(time_s !== undefined ? { time_s } : {}), ...(dose_ePerA2 !== undefined ? { dose_ePerA2 } : {}) })), ...(pixelSize_A !== undefined ? { pixelSize_A } : {}) };
}

/** Parses CSV sidecar text: a header row, then one row per frame (in frame order). */
export function parseCsvSidecar(text: string, path = 'sidecar'): Sidecar {
  const rows = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (rows.length < 2) throw new InputError(path, `${rows.length} rows`, 'a header row and one row per frame');
  const units: Record<string, string> = {};
  const names = rows[0]!.split(',').map((h) => {
    const m = /^\s*([A-Za-z_]+)\s*(?:[[(]\s*([^\])]+)\s*[\])])?\s*$/.exec(h);
    if (!m) return h.trim();
    if (m[2]) units[m[1]!] = m[2];
    return m[1]!;
  });
  const json = rows.slice(1).map((r) => Object.fromEntries(r.split(',').map((v, i) => [names[i] ?? `col${i}`, v.trim()])));
  const frames = json.map((o, i) => record(o, `${path} row ${i + 2}`, units));
  const px = frames.find((f) => f.pixelSize_A !== undefined)?.pixelSize_A;
  return { frames: frames.map(({ temperature_K, time_s, dose_ePerA2 }) => ({ ...(temperature_K !== undefined ? { temperature_K } : {}), ...(time_s !== undefined ? { time_s } : {}), ...(dose_ePerA2 !== undefined ? { dose_ePerA2 } : {}) })), ...(px !== undefined ? { pixelSize_A: px } : {}) };
}

/** Largest sidecar read, bytes (a sidecar holds a few numbers per frame). */
export const MAX_SIDECAR_BYTES = 64 * 1024 ** 2;

/** Reads a .json or .csv sidecar file. */
export function readSidecar(path: string): Sidecar {
  const text = new TextDecoder().decode(readInputFile(path, '--sidecar', '.json or .csv sidecar file', { maxBytes: MAX_SIDECAR_BYTES }));
  return /\.csv$/i.test(path) ? parseCsvSidecar(text, path) : parseJsonSidecar(text, path);
}
