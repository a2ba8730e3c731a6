/**
 * Unit strings → numbers in the project's canonical units, converted once at the boundary.
 *
 * Canonical units (the suffix every boundary name carries):
 *   length `_A` (Å) · temperature `_K` · pressure `_Pa` · time `_s` · angle `_mrad` ·
 *   voltage `_V` · energy `_eV` · frequency `_Hz` (1/s) · dose `_ePerA2` (e⁻/Å²) · heating rate `_KPerS`.
 *
 * mathjs parses the strings (imported lazily: it costs ~0.4 s to load). Physics never uses
 * mathjs constants: see constants.ts.
 *
 * @example
 *   parseQuantity('175 degC', 'temperature', 'protocol.start')  // 448.15
 *   parseQuantity('0.2872 nm', 'length', '--size')              // 2.872
 *   parseQuantity('5 eV', 'length', '--size')                   // throws InputError naming --size
 */
import { createRequire } from 'node:module';
import { InputError } from './errors.js';
import { AVOGADRO_PER_MOL, ELEMENTARY_CHARGE_C } from './constants.js';

export type QuantityKind =
  | 'length'
  | 'temperature'
  | 'pressure'
  | 'time'
  | 'angle'
  | 'voltage'
  | 'energy'
  | 'frequency'
  | 'dose'
  | 'heatingRate';

interface KindSpec {
  /** mathjs unit name of the canonical unit. */
  target: string;
  /** Canonical unit as shown to users. */
  label: string;
  /** Examples for error messages. */
  examples: string;
}

const KINDS: Record<QuantityKind, KindSpec> = {
  length: { target: 'angstrom', label: 'Å', examples: '"2.872 Å", "0.2872 nm", "50 A"' },
  temperature: { target: 'K', label: 'K', examples: '"175 degC", "448 K"' },
  pressure: { target: 'Pa', label: 'Pa', examples: '"1.2e-5 Pa", "1e-10 bar", "100 Pa"' },
  time: { target: 's', label: 's', examples: '"5 min", "300 s", "12 h"' },
  angle: { target: 'mrad', label: 'mrad', examples: '"15.07 mrad", "0.01507 rad"' },
  voltage: { target: 'V', label: 'V', examples: '"200 kV", "300000 V"' },
  energy: { target: 'eV', label: 'eV', examples: '"1.45 eV", "140 kJ/mol"' },
  frequency: { target: 'Hz', label: '1/s', examples: '"1e13 Hz", "1e13 1/s"' },
  dose: { target: 'e/Å²', label: 'e⁻/Å²', examples: '"5000 e/Å^2", "5e5 e/nm^2"' },
  heatingRate: { target: 'K/s', label: 'K/s', examples: '"0.1 degC/s", "6 K/min"' },
};

/** Examples of lists, for error messages. */
const LIST_EXAMPLES: Partial<Record<QuantityKind, string>> = { length: '"0,0,10,10 Å"', dose: '"2000,100000 e/Å^2"', temperature: '"25,175 degC"', time: '"0,5,10 min"' };

type MathJs = typeof import('mathjs');
let mathjs: MathJs | undefined;
/** The lazily loaded mathjs instance (shared with expression parsing elsewhere). */
export function getMathJs(): MathJs {
  if (!mathjs) mathjs = createRequire(import.meta.url)('mathjs') as MathJs;
  return mathjs;
}

const NUMBER_ONLY = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
const DOSE = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(?:e-?|e⁻|electrons?)\s*\/\s*(Å|A|angstrom|nm)\s*(?:\^?2|²)\s*$/;

function normalise(text: string, kind: QuantityKind): string {
  let s = text.trim().replace(/Å/g, 'angstrom').replace(/µ|μ/g, 'u').replace(/°C/g, 'degC').replace(/°F/g, 'degF');
  s = s.replace(/(^|[^a-zA-Z])1\s*\/\s*s\b/g, '$1Hz').replace(/\bs\^-1\b/g, 'Hz');
  // Bare "A" means Å for lengths (ampere makes no sense there).
  if (kind === 'length') s = s.replace(/(\d|\s)A\b/g, '$1angstrom');
  // A heating rate is a temperature difference per time: degC and K have the same size.
  if (kind === 'heatingRate') s = s.replace(/degC/g, 'K').replace(/degF/g, 'degR');
  return s;
}

/**
 * Parse a quantity string into the canonical unit of `kind`.
 * A JS number is taken as already canonical. Throws InputError naming `field` on any mismatch.
 */
export function parseQuantity(text: string | number, kind: QuantityKind, field: string): number {
  const spec = KINDS[kind];
  const allowed = `a ${kind} with a unit, e.g. ${spec.examples}`;
  if (typeof text === 'number') {
    if (!Number.isFinite(text)) throw new InputError(field, text, allowed);
    return text;
  }
  if (typeof text !== 'string' || text.trim() === '') throw new InputError(field, text, allowed);
  // No quantity needs 200 characters; the patterns below must never see megabyte-long values.
  if (text.length > 200) throw new InputError(field, `${text.slice(0, 40)}…`, allowed, `${text.length} characters is not a quantity`);
  if (NUMBER_ONLY.test(text)) throw new InputError(field, text, allowed, `the unit is missing; canonical unit is ${spec.label}`);
  if (kind === 'dose') {
    const m = DOSE.exec(text);
    if (!m) throw new InputError(field, text, allowed);
    const v = Number(m[1]);
    const per = m[2] === 'nm' ? 100 : 1;
    if (!Number.isFinite(v)) throw new InputError(field, text, allowed);
    return v / per;
  }
  const math = getMathJs();
  let value: number;
  try {
    const u = math.unit(normalise(text, kind));
    // Molar energies ("140 kJ/mol") → eV per particle with exact CODATA constants.
    value = kind === 'energy' && /\/\s*mol\b/.test(text) ? u.toNumber('J/mol') / (AVOGADRO_PER_MOL * ELEMENTARY_CHARGE_C) : u.toNumber(spec.target);
  } catch {
    throw new InputError(field, text, allowed);
  }
  if (!Number.isFinite(value)) throw new InputError(field, text, allowed);
  return value;
}

/** The canonical unit label of a kind (for --help and messages). */
export function canonicalUnit(kind: QuantityKind): string {
  return KINDS[kind].label;
}

/**
 * Parse a list sharing one trailing unit: "x0,y0,x1,y1 Å" or "1,2,3 Å" → numbers in canonical units.
 * Each element may also carry its own unit ("1 nm, 20 Å").
 */
export function parseQuantityList(text: string, kind: QuantityKind, field: string, count?: number): number[] {
  return splitQuantityList(text, kind, field, count).map((p) => parseQuantity(p, kind, field));
}

/**
 * The elements of a quantity list as the user wrote them, each with its unit ("120,180 degC" → ["120 degC",
 * "180 degC"]), checked as {@link parseQuantityList} checks them: for passing a list on with the values as given (so
 * that later messages show them, not a converted value).
 */
export function splitQuantityList(text: string, kind: QuantityKind, field: string, count?: number): string[] {
  const allowed = `${count ?? 'a list of'} comma-separated ${kind}s with a unit, e.g. ${LIST_EXAMPLES[kind] ?? `"1,2 ${KINDS[kind].label}"`}`;
  if (typeof text !== 'string' || text.length > 4096) throw new InputError(field, typeof text === 'string' ? `${text.slice(0, 40)}…` : text, allowed);
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw new InputError(field, text, allowed);
  const last = parts[parts.length - 1]!;
  const unitMatch = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*(.+)$/.exec(last);
  const sharedUnit = unitMatch ? unitMatch[1]! : '';
  const items = parts.map((p) => (NUMBER_ONLY.test(p) && sharedUnit ? `${p} ${sharedUnit}` : p));
  for (const p of items) parseQuantity(p, kind, field);
  if (count !== undefined && items.length !== count) throw new InputError(field, text, allowed);
  return items;
}

/** Parse a range "70-180 mrad" or "70 mrad - 180 mrad" → [lo, hi] in canonical units (lo < hi enforced by the caller). */
export function parseQuantityRange(text: string, kind: QuantityKind, field: string): [number, number] {
  const allowed = `a ${kind} range "LO-HI unit", e.g. "70-180 mrad"`;
  if (typeof text !== 'string' || text.length > 200) throw new InputError(field, typeof text === 'string' ? `${text.slice(0, 40)}…` : text, allowed);
  const m = /^\s*((?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([^\d\s-][^-]*)?\s*(?:-|–|to)\s*((?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*)$/.exec(text);
  if (!m) throw new InputError(field, text, allowed);
  const unitHi = (m[4] ?? '').trim();
  const unitLo = (m[2] ?? '').trim() || unitHi;
  if (!unitHi) throw new InputError(field, text, allowed, 'the unit is missing');
  return [parseQuantity(`${m[1]} ${unitLo}`, kind, field), parseQuantity(`${m[3]} ${unitHi}`, kind, field)];
}
