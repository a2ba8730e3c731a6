/**
 * CIF read (P1 or symmetry-expanded with the file's own operations, partial occupancies,
 * duplicates at special positions merged) and write (P1, one line per atom).
 *
 * Read: cell from `_cell_length_*`/`_cell_angle_*` (uncertainties such as 4.1771(2) accepted);
 * operations from `_space_group_symop_operation_xyz` or `_symmetry_equiv_pos_as_xyz` (identity
 * when absent only if the space group is P1 or unnamed); sites from the `_atom_site_*` loop
 * (`type_symbol` or the element prefix of `label`, `fract_x/y/z`, `occupancy`, `B_iso_or_equiv`
 * or `U_iso_or_equiv` (B = 8π²U)). Images of one site closer than 0.01 Å are merged; different
 * sites sharing a position (partial occupancy, e.g. Li/Ni mixing) are all kept.
 */
import { InputError, guardSize } from '../core/index.js';
import { ELEMENT_SYMBOLS, atomicNumber, type Atoms } from './atoms.js';
import { cifNumber, findLoop, parseCifBlock } from './cifParse.js';
import { cellMatrix, type CellParameters, type Crystal } from './crystal.js';
import { applySymOp, parseSymOp, type SymOp } from './symop.js';

/** Merge tolerance for symmetry images of one site, Å. */
export const CIF_MERGE_TOL_A = 0.01;
/** Most symmetry operations a CIF may list: 192, the order of Fm-3m (the largest in a conventional setting). */
export const CIF_MAX_SYMOPS = 192;
/** Heap bytes per atom while reading (plain arrays of Z, 3 coordinates, occupancy, label, B; measured ≈ 120). */
const CIF_HEAP_BYTES_PER_ATOM = 160;
/** Largest sites × operations² of the image merge (≈ 1 s of work). */
const CIF_MAX_MERGE_WORK = 2e8;

function required(block: ReturnType<typeof parseCifBlock>, tag: string, field: string, min = 0): number {
  const v = block.values.get(tag);
  const x = cifNumber(v?.value);
  if (!Number.isFinite(x) || x <= min) {
    throw new InputError(`${field}${v ? ` line ${v.line}` : ''} ${tag}`, v?.value ?? '(missing)', `a number > ${min}`);
  }
  return x;
}

/** Parse CIF text → Crystal. `field` names the file in errors (e.g. its path). */
export function readCif(text: string, field = 'cif'): Crystal {
  const block = parseCifBlock(text, field);
  const cell: CellParameters = {
    a_A: required(block, '_cell_length_a', field),
    b_A: required(block, '_cell_length_b', field),
    c_A: required(block, '_cell_length_c', field),
    alpha_deg: block.values.has('_cell_angle_alpha') ? required(block, '_cell_angle_alpha', field) : 90,
    beta_deg: block.values.has('_cell_angle_beta') ? required(block, '_cell_angle_beta', field) : 90,
    gamma_deg: block.values.has('_cell_angle_gamma') ? required(block, '_cell_angle_gamma', field) : 90,
  };
  const ops = readOps(block, field);
  const site = findLoop(block, '_atom_site_fract_x');
  if (!site) throw new InputError(`${field} _atom_site_fract_x`, '(missing)', 'an _atom_site_ loop with fract_x, fract_y, fract_z');
  const { loop } = site;
  // Bounded before expanding: atoms in memory, and the pairwise merge of each site's images (ops² per site).
  const expand = { field: `${field} _atom_site`, value: `${loop.rows.length} sites × ${ops.length} operations`, what: 'atoms after symmetry expansion' };
  guardSize({ ...expand, count: loop.rows.length * ops.length, heapBytesEach: CIF_HEAP_BYTES_PER_ATOM });
  guardSize({ ...expand, count: loop.rows.length * ops.length, maxCount: Math.floor(CIF_MAX_MERGE_WORK / ops.length), maxReason: 'the time to merge symmetry images' });
  const col = (t: string) => loop.tags.indexOf(t);
  const [cx, cy, cz] = [col('_atom_site_fract_x'), col('_atom_site_fract_y'), col('_atom_site_fract_z')];
  if (cy < 0 || cz < 0) throw new InputError(`${field} line ${loop.line}`, loop.tags.join(' '), 'fract_x, fract_y and fract_z columns');
  const [cSym, cLab, cOcc, cB, cU] = ['_atom_site_type_symbol', '_atom_site_label', '_atom_site_occupancy', '_atom_site_b_iso_or_equiv', '_atom_site_u_iso_or_equiv'].map(col);
  const M = cellMatrix(cell);
  const Z: number[] = [];
  const frac: number[] = [];
  const occ: number[] = [];
  const labels: string[] = [];
  const Bs: number[] = [];
  loop.rows.forEach((row, r) => {
    const where = `${field} _atom_site row ${r + 1}`;
    const symText = (cSym! >= 0 ? row[cSym!] : undefined) ?? (cLab! >= 0 ? row[cLab!] : undefined) ?? '';
    const sym = /^[A-Za-z]{1,2}/.exec(symText)?.[0] ?? '';
    let z = atomicNumber(sym);
    if (z === undefined && sym.length === 2) z = atomicNumber(sym[0]!);
    if (z === undefined) throw new InputError(where, symText, 'an element symbol (H…U) in _atom_site_type_symbol or _atom_site_label');
    const f = [row[cx]!, row[cy]!, row[cz]!].map(cifNumber);
    if (f.some((x) => !Number.isFinite(x))) throw new InputError(where, [row[cx], row[cy], row[cz]], 'numeric fractional coordinates');
    const o = cOcc! >= 0 ? cifNumber(row[cOcc!]) : 1;
    const occupancy = Number.isFinite(o) ? o : 1;
    if (occupancy < 0 || occupancy > 1 + 1e-6) throw new InputError(where, row[cOcc!], 'an occupancy in [0, 1]');
    let B = cB! >= 0 ? cifNumber(row[cB!]) : Number.NaN;
    if (!Number.isFinite(B) && cU! >= 0) B = 8 * Math.PI * Math.PI * cifNumber(row[cU!]);
    const label = (cLab! >= 0 ? row[cLab!] : undefined) ?? `${ELEMENT_SYMBOLS[z]}${r + 1}`;
    // Expand by symmetry; keep the images of this site that are distinct (special positions merge).
    const images: number[][] = [];
    for (const op of ops) {
      const g = applySymOp(op, f[0]!, f[1]!, f[2]!);
      if (images.some((h) => fracDistance_A(M, g, h) < CIF_MERGE_TOL_A)) continue;
      images.push(g);
    }
    for (const g of images) {
      Z.push(z);
      frac.push(...g);
      occ.push(occupancy);
      labels.push(label);
      Bs.push(B);
    }
  });
  return {
    name: block.name,
    cell,
    n: Z.length,
    Z: Uint8Array.from(Z),
    frac: Float64Array.from(frac),
    occupancy: Float32Array.from(occ),
    siteLabel: labels,
    B_A2: Float32Array.from(Bs),
  };
}

function readOps(block: ReturnType<typeof parseCifBlock>, field: string): SymOp[] {
  for (const tag of ['_space_group_symop_operation_xyz', '_symmetry_equiv_pos_as_xyz']) {
    const found = findLoop(block, tag);
    if (found && found.loop.rows.length > CIF_MAX_SYMOPS) {
      throw new InputError(`${field} line ${found.loop.line} ${tag}`, `${found.loop.rows.length} operations`, `at most ${CIF_MAX_SYMOPS} (the largest space group order in any setting)`);
    }
    if (found) return found.loop.rows.map((r, i) => parseSymOp(r[found.col]!, `${field} ${tag} row ${i + 1}`));
    const single = block.values.get(tag);
    if (single) return [parseSymOp(single.value, `${field} line ${single.line} ${tag}`)];
  }
  const hm = block.values.get('_symmetry_space_group_name_h-m') ?? block.values.get('_space_group_name_h-m_alt');
  if (hm && hm.value.replace(/\s+/g, '').toUpperCase() !== 'P1') {
    throw new InputError(
      `${field} line ${hm.line} _space_group_symop_operation_xyz`,
      '(missing)',
      `the symmetry operations of space group ${hm.value} (a _space_group_symop_operation_xyz or _symmetry_equiv_pos_as_xyz loop), or a P1 file`,
    );
  }
  return [{ R: [1, 0, 0, 0, 1, 0, 0, 0, 1], t: [0, 0, 0] }];
}

/** Minimum-image distance between two fractional points, Å. */
function fracDistance_A(M: readonly number[], f: readonly number[], g: readonly number[]): number {
  const d = [0, 1, 2].map((k) => {
    const x = f[k]! - g[k]!;
    return x - Math.round(x);
  });
  let s = 0;
  for (let c = 0; c < 3; c++) {
    const x = d[0]! * M[c]! + d[1]! * M[3 + c]! + d[2]! * M[6 + c]!;
    s += x * x;
  }
  return Math.sqrt(s);
}

/**
 * CIF text (P1, orthogonal cell) of Atoms: one `_atom_site_` row per atom with type symbol,
 * fractional coordinates (8 decimals: < 1e-6 Å at 100 Å cells), occupancy, B (when present) and
 * the sublattice label in `_atom_site_label` (element + running number + sublattice name).
 */
export function writeCif(atoms: Atoms, name = 'cathode_twin'): string {
  const [a, b, c] = atoms.cell_A;
  const hasB = atoms.debyeWallerB_A2 !== undefined;
  const lines = [
    '# written by cathode-twin (P1, orthogonal box; beam along c)',
    `data_${name.replace(/\s+/g, '_')}`,
    "_symmetry_space_group_name_H-M   'P 1'",
    '_symmetry_Int_Tables_number   1',
    `_cell_length_a   ${a.toFixed(8)}`,
    `_cell_length_b   ${b.toFixed(8)}`,
    `_cell_length_c   ${c.toFixed(8)}`,
    '_cell_angle_alpha   90.00000000',
    '_cell_angle_beta   90.00000000',
    '_cell_angle_gamma   90.00000000',
    `_cell_volume   ${(a * b * c).toFixed(6)}`,
    'loop_',
    ' _space_group_symop_operation_xyz',
    "  'x, y, z'",
    'loop_',
    ' _atom_site_label',
    ' _atom_site_type_symbol',
    ' _atom_site_fract_x',
    ' _atom_site_fract_y',
    ' _atom_site_fract_z',
    ' _atom_site_occupancy',
    ...(hasB ? [' _atom_site_B_iso_or_equiv'] : []),
  ];
  for (let i = 0; i < atoms.n; i++) {
    const sym = ELEMENT_SYMBOLS[atoms.Z[i]!] ?? 'X';
    const sub = atoms.label !== undefined && atoms.labels !== undefined ? atoms.labels[atoms.label[i]!] : undefined;
    const label = `${sym}${i + 1}${sub ? `_${sub.replace(/[^A-Za-z0-9-]+/g, '')}` : ''}`;
    const f = [0, 1, 2].map((d) => (atoms.positions_A[3 * i + d]! / atoms.cell_A[d]!).toFixed(8));
    const B = hasB ? ` ${atoms.debyeWallerB_A2![i]!.toFixed(4)}` : '';
    lines.push(`  ${label} ${sym} ${f.join(' ')} ${atoms.occupancy[i]!.toFixed(4)}${B}`);
  }
  return `${lines.join('\n')}\n`;
}
