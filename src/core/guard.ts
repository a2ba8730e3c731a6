/**
 * Size guards: computed from the inputs before anything is allocated or computed, so that a request too large for
 * this machine (or for any reasonable run time) is refused at once with an InputError naming the option or scenario
 * field the user gave, the count it implies (sites, pixels, probes, samples, bytes) and what would fit here.
 *
 * The memory budget is 80 % of the machine's (or the container's) memory, and at most 90 % of what is free now;
 * `CATHODE_TWIN_MEMORY` ("8 GiB", "500 MB", a byte count) overrides it (for batch schedulers that give a job a
 * fixed share, and for reproducible messages in tests).
 *
 * @example
 *   guardSize({ field: '--scan-step', value: a['scan-step'], what: 'probe positions', count: nx * ny,
 *               bytesEach: 4, maxCount: MAX_PROBES, maxReason: 'run time', fit: (n) => `a step ≥ ${minStep(n)} Å` });
 */
import { constants as bufferConstants } from 'node:buffer';
import { freemem, totalmem } from 'node:os';
import { InputError } from './errors.js';

/** The memory a job may use here. */
export interface MemoryBudget {
  /** Bytes a job may allocate. */
  readonly usable_B: number;
  /** The machine's (or container's) memory, bytes. */
  readonly total_B: number;
  /** Where the budget comes from, for messages. */
  readonly source: string;
}

const UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** Parses a byte size: "8 GiB", "500MB", "2e9" (bytes). NaN when unreadable. */
export function parseByteSize(text: string): number {
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!m) return Number.NaN;
  const f = m[2] === '' ? 1 : UNITS[m[2]!.toLowerCase()];
  return f === undefined ? Number.NaN : Number(m[1]) * f;
}

/** Bytes as text with a binary prefix: 1.5 GiB. */
export function formatBytes(b: number): string {
  if (!Number.isFinite(b)) return `${b} B`;
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let i = 0;
  let x = b;
  while (Math.abs(x) >= 1024 && i < u.length - 1) {
    x /= 1024;
    i++;
  }
  return `${i === 0 ? x.toFixed(0) : x.toPrecision(3)} ${u[i]}`;
}

/** A count as text: exact below 1e6, else 3 significant digits with an exponent (1.00e8). */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Math.abs(n) < 1e6 ? String(Math.round(n)) : n.toExponential(2).replace('e+', 'e');
}

/** The memory budget of a job on this machine (see module doc). */
export function memoryBudget(): MemoryBudget {
  const env = process.env.CATHODE_TWIN_MEMORY;
  if (env !== undefined && env.trim() !== '') {
    const b = parseByteSize(env);
    if (!(b > 0)) throw new InputError('CATHODE_TWIN_MEMORY', env, 'a byte size such as "8 GiB" or "500 MB"');
    return { usable_B: b, total_B: b, source: 'CATHODE_TWIN_MEMORY' };
  }
  const total = totalmem();
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
  const limit = constrained && constrained > 0 && constrained < total ? constrained : total;
  const usable = Math.min(0.8 * limit, 0.9 * freemem());
  return { usable_B: usable, total_B: limit, source: `${formatBytes(limit)} ${limit < total ? 'container limit' : 'RAM'}, ${formatBytes(freemem())} free` };
}

/** Largest single typed array, bytes (a Node/V8 limit). */
export const MAX_ARRAY_BYTES = bufferConstants.MAX_LENGTH;

/** A size request to check. */
export interface SizeRequest {
  /** The option or scenario field the user gave (named in the error). */
  readonly field: string;
  /** The value as the user gave it ("0.001 Å", 2000, "1e6 Å"). */
  readonly value: unknown;
  /** What is counted: "probe positions", "lattice sites", "pixels", "samples". */
  readonly what: string;
  /** How many the input asks for. */
  readonly count: number;
  /** Peak bytes per item (memory guard); omit for a pure count cap. */
  readonly bytesEach?: number;
  /** Bytes needed regardless of the count. */
  readonly fixedBytes?: number;
  /** Largest item in one allocation, bytes per item (default none): also bounded by MAX_ARRAY_BYTES. */
  readonly bytesPerArrayItem?: number;
  /** A hard cap independent of memory (run time, format limits). */
  readonly maxCount?: number;
  /** Why maxCount (for the message): "run time", "the TIFF format". */
  readonly maxReason?: string;
  /** The largest acceptable request in the user's terms, given the largest count that fits: "a step ≥ 0.0024 Å". */
  readonly fit?: (maxCount: number) => string;
}

/** The largest count that fits a request's limits on this machine. */
export function maxCountFor(r: Omit<SizeRequest, 'count' | 'field' | 'value' | 'what'>): { max: number; by: 'memory' | 'array' | 'cap' } {
  let max = Number.POSITIVE_INFINITY;
  let by: 'memory' | 'array' | 'cap' = 'cap';
  if (r.bytesEach !== undefined && r.bytesEach > 0) {
    const b = memoryBudget();
    max = Math.max(0, Math.floor((b.usable_B - (r.fixedBytes ?? 0)) / r.bytesEach));
    by = 'memory';
  }
  if (r.bytesPerArrayItem !== undefined && r.bytesPerArrayItem > 0) {
    const a = Math.floor(MAX_ARRAY_BYTES / r.bytesPerArrayItem);
    if (a < max) {
      max = a;
      by = 'array';
    }
  }
  if (r.maxCount !== undefined && r.maxCount < max) {
    max = r.maxCount;
    by = 'cap';
  }
  return { max, by };
}

/**
 * Refuses (InputError naming `field`) a request whose count exceeds what fits: the memory budget (count × bytesEach
 * + fixedBytes), the largest typed array, or a hard cap. A NaN or negative count is refused too.
 */
export function guardSize(r: SizeRequest): void {
  const { max, by } = maxCountFor(r);
  if (Number.isFinite(r.count) && r.count >= 0 && r.count <= max) return;
  const need = r.bytesEach !== undefined ? r.count * r.bytesEach + (r.fixedBytes ?? 0) : undefined;
  let why: string;
  if (by === 'memory') {
    const b = memoryBudget();
    why = `≈ ${formatBytes(need!)} of memory; this machine can give a job ~${formatBytes(b.usable_B)} (${b.source})`;
  } else if (by === 'array') {
    why = `an array of ${formatBytes(r.count * r.bytesPerArrayItem!)}, over the ${formatBytes(MAX_ARRAY_BYTES)} limit of one array`;
  } else {
    why = `over the limit of ${formatCount(max)} ${r.what}${r.maxReason ? ` (${r.maxReason})` : ''}`;
  }
  const fit = r.fit && max >= 1 ? `; ${r.fit(max)}` : '';
  throw new InputError(
    r.field,
    r.value,
    `at most ${formatCount(max)} ${r.what} on this machine${fit}`,
    `this asks for ${formatCount(r.count)} ${r.what}, ${why}`,
  );
}
