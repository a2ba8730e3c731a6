/**
 * Extended XYZ (ASE / OVITO convention), write and read.
 *
 *   N
 *   Lattice="Lx 0 0 0 Ly 0 0 0 Lz" Properties=species:S:1:pos:R:3:occupancy:R:1:sublattice:S:1 pbc="T T F"
 *   Li 0.00000000 1.18333333 0.00000000 1.0000 Li-layer
 *
 * Positions in Å. `B:R:1` (Debye–Waller B, Å²) is written when present. Reading accepts any column
 * order and extra properties (ignored), `species` or `Z`, and requires an orthogonal Lattice.
 */
import { InputError } from '../core/index.js';
import { ELEMENT_SYMBOLS, atomicNumber, type Atoms } from './atoms.js';

/** Extended XYZ text of Atoms (one frame). */
export function writeExtxyz(atoms: Atoms, pbc: readonly [boolean, boolean, boolean] = [true, true, false], comment = ''): string {
  const [a, b, c] = atoms.cell_A;
  const hasLabel = atoms.label !== undefined && atoms.labels !== undefined;
  const hasB = atoms.debyeWallerB_A2 !== undefined;
  const props = ['species:S:1', 'pos:R:3', 'occupancy:R:1', ...(hasLabel ? ['sublattice:S:1'] : []), ...(hasB ? ['B:R:1'] : [])].join(':');
  const tf = (x: boolean) => (x ? 'T' : 'F');
  const extra = comment ? ` comment="${comment.replace(/"/g, "'")}"` : '';
  const head = `Lattice="${a} 0 0 0 ${b} 0 0 0 ${c}" Properties=${props} pbc="${pbc.map(tf).join(' ')}"${extra}`;
  const lines = [String(atoms.n), head];
  for (let i = 0; i < atoms.n; i++) {
    const p = atoms.positions_A;
    const cols = [
      ELEMENT_SYMBOLS[atoms.Z[i]!] ?? 'X',
      p[3 * i]!.toFixed(8),
      p[3 * i + 1]!.toFixed(8),
      p[3 * i + 2]!.toFixed(8),
      atoms.occupancy[i]!.toFixed(4),
    ];
    if (hasLabel) cols.push((atoms.labels![atoms.label![i]!] ?? 'none').replace(/\s+/g, '_'));
    if (hasB) cols.push(atoms.debyeWallerB_A2![i]!.toFixed(4));
    lines.push(cols.join(' '));
  }
  return `${lines.join('\n')}\n`;
}

/** Parse key=value pairs of the comment line (values may be "quoted"). */
function parseInfo(line: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([A-Za-z_][\w-]*)\s*=\s*("([^"]*)"|'([^']*)'|(\S+))/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.set(m[1]!.toLowerCase(), m[3] ?? m[4] ?? m[5] ?? '');
  return out;
}

/** Read the first frame of an extended XYZ text → Atoms (orthogonal Lattice required). */
export function readExtxyz(text: string, field = 'xyz'): Atoms & { pbc: [boolean, boolean, boolean] } {
  const lines = text.split(/\r\n|\r|\n/);
  const first = (lines[0] ?? '').trim();
  const n = /^\d{1,15}$/.test(first) ? Number(first) : Number.NaN;
  if (!Number.isInteger(n) || n < 0) throw new InputError(`${field} line 1`, first.slice(0, 40), 'the atom count (a non-negative integer)');
  // The count is a header: the file must hold that many atom lines (checked before anything is allocated).
  if (n > lines.length - 2) throw new InputError(`${field} line 1`, n, `at most the ${Math.max(0, lines.length - 2)} atom lines the file holds`, 'the file is truncated or the count is wrong');
  const info = parseInfo(lines[1] ?? '');
  const lat = (info.get('lattice') ?? '').trim().split(/\s+/).map(Number);
  if (lat.length !== 9 || lat.some((x) => !Number.isFinite(x))) throw new InputError(`${field} line 2 Lattice`, info.get('lattice') ?? '(missing)', 'Lattice="ax ay az bx by bz cx cy cz" in Å');
  const off = [lat[1], lat[2], lat[3], lat[5], lat[6], lat[7]];
  if (off.some((x) => Math.abs(x!) > 1e-8) || lat[0]! <= 0 || lat[4]! <= 0 || lat[8]! <= 0) {
    throw new InputError(`${field} line 2 Lattice`, info.get('lattice'), 'an orthogonal lattice with positive diagonal (multislice needs an orthogonal box)');
  }
  const cell: [number, number, number] = [lat[0]!, lat[4]!, lat[8]!];
  const pbcText = (info.get('pbc') ?? 'T T T').trim().split(/\s+/);
  const pbc = [0, 1, 2].map((k) => /^(t|true|1)$/i.test(pbcText[k] ?? 'T')) as [boolean, boolean, boolean];
  const propText = info.get('properties') ?? 'species:S:1:pos:R:3';
  const parts = propText.split(':');
  if (parts.length % 3 !== 0) throw new InputError(`${field} line 2 Properties`, propText, 'name:type:count triples');
  const cols = new Map<string, { start: number; count: number }>();
  let start = 0;
  for (let p = 0; p < parts.length; p += 3) {
    const count = Number(parts[p + 2]);
    if (!Number.isInteger(count) || count < 1 || count > 64 || !/^[SRIL]$/i.test(parts[p + 1]!)) {
      throw new InputError(`${field} line 2 Properties`, propText, 'name:type:count triples (type S, R, I or L; count 1–64)');
    }
    cols.set(parts[p]!.toLowerCase(), { start, count });
    start += count;
  }
  const pos = cols.get('pos');
  const spec = cols.get('species') ?? cols.get('z');
  if (!pos || pos.count !== 3 || !spec) throw new InputError(`${field} line 2 Properties`, propText, 'at least species:S:1 (or Z:I:1) and pos:R:3');
  const occC = cols.get('occupancy') ?? cols.get('occ');
  const subC = cols.get('sublattice');
  const bC = cols.get('b');
  const Z = new Uint8Array(n);
  const positions = new Float64Array(3 * n);
  const occupancy = new Float32Array(n).fill(1);
  const B = bC ? new Float32Array(n) : undefined;
  const labelNames: string[] = [];
  const label = subC ? new Uint8Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const ln = i + 3;
    const w = (lines[i + 2] ?? '').trim().split(/\s+/);
    if (w.length < start) throw new InputError(`${field} line ${ln}`, lines[i + 2] ?? '(missing)', `${start} columns (${propText})`);
    const s = w[spec.start]!;
    const z = /^\d+$/.test(s) ? Number(s) : atomicNumber(s);
    if (z === undefined || z < 1 || z > 92) throw new InputError(`${field} line ${ln}`, s, 'an element symbol or atomic number 1–92');
    Z[i] = z;
    for (let d = 0; d < 3; d++) {
      let x = Number(w[pos.start + d]);
      if (!Number.isFinite(x)) throw new InputError(`${field} line ${ln}`, lines[i + 2], 'numeric positions in Å');
      if (pbc[d]) x -= Math.floor(x / cell[d]!) * cell[d]!;
      positions[3 * i + d] = x;
    }
    if (occC) {
      const o = Number(w[occC.start]);
      if (!(o >= 0 && o <= 1)) throw new InputError(`${field} line ${ln} occupancy`, w[occC.start], 'an occupancy in [0, 1]');
      occupancy[i] = o;
    }
    if (B && bC) {
      const b = Number(w[bC.start]);
      if (!(b >= 0 && Number.isFinite(b))) throw new InputError(`${field} line ${ln} B`, w[bC.start], 'a Debye–Waller B ≥ 0 Å²');
      B[i] = b;
    }
    if (label && subC) {
      const name = w[subC.start]!;
      let k = labelNames.indexOf(name);
      if (k < 0) {
        if (labelNames.length >= 255) throw new InputError(`${field} line ${ln} sublattice`, name, 'at most 255 different sublattice names');
        k = labelNames.push(name) - 1;
      }
      label[i] = k;
    }
  }
  const atoms = { n, Z, positions_A: positions, cell_A: cell, occupancy, pbc };
  return {
    ...atoms,
    ...(label ? { label, labels: labelNames } : {}),
    ...(B ? { debyeWallerB_A2: B } : {}),
  };
}
