/**
 * Structure files: `readStructure(path)` and `writeStructure(path, atoms)`, dispatching on the
 * extension: .cif (CIF, symmetry-expanded on read, P1 on write) and .xyz/.extxyz (extended XYZ).
 * Writes are atomic (temporary file, then rename); bad input throws InputError before writing.
 */
import { extname } from 'node:path';
import { InputError, guardedReadSync, readInputFile, writeFileAtomicSync } from '../core/index.js';
import type { Atoms } from './atoms.js';
import { readCif, writeCif } from './cif.js';
import { crystalToAtoms } from './crystal.js';
import { readExtxyz, writeExtxyz } from './extxyz.js';

/** Supported structure file extensions. */
export const STRUCTURE_EXTENSIONS = ['.cif', '.xyz', '.extxyz'] as const;

function kindOf(path: string, field: string): 'cif' | 'xyz' {
  const ext = extname(path).toLowerCase();
  if (ext === '.cif') return 'cif';
  if (ext === '.xyz' || ext === '.extxyz') return 'xyz';
  throw new InputError(field, path, `a file ending in ${STRUCTURE_EXTENSIONS.join(', ')}`);
}

/** Parse structure text of a given kind into Atoms (orthogonal box; hexagonal CIF cells are made rectangular). */
export function parseStructure(text: string, kind: 'cif' | 'xyz', field = 'structure'): Atoms {
  return kind === 'cif' ? crystalToAtoms(readCif(text, field), `${field} cell`) : readExtxyz(text, field);
}

/** Largest structure file read, bytes (≈ 4 million atoms of extended XYZ). */
export const MAX_STRUCTURE_FILE_BYTES = 256 * 1024 ** 2;

/**
 * Read a structure file (.cif, .xyz, .extxyz) → Atoms. Errors name the file and line; any failure of the parser is
 * an InputError naming the file (never a crash), and sizes are bounded before they are allocated.
 */
export function readStructure(path: string, field = '--structure'): Atoms {
  const kind = kindOf(path, field);
  const bytes = readInputFile(path, field, `${kind === 'cif' ? 'CIF' : 'extended XYZ'} structure file`, { maxBytes: MAX_STRUCTURE_FILE_BYTES });
  const text = new TextDecoder('utf-8').decode(bytes);
  if (text.includes('\0')) throw new InputError(field, path, `a ${kind === 'cif' ? 'CIF' : 'extended XYZ'} text file`, 'it holds binary data');
  return guardedReadSync(field, path, `a ${kind === 'cif' ? 'CIF' : 'extended XYZ'} structure file`, () => parseStructure(text, kind, path));
}

/** Structure text for a path's extension. */
export function formatStructure(atoms: Atoms, kind: 'cif' | 'xyz', opts: { name?: string; pbc?: readonly [boolean, boolean, boolean]; comment?: string } = {}): string {
  return kind === 'cif' ? writeCif(atoms, opts.name) : writeExtxyz(atoms, opts.pbc, opts.comment);
}

/** Write Atoms to .cif or .xyz/.extxyz atomically. */
export function writeStructure(path: string, atoms: Atoms, opts: { name?: string; pbc?: readonly [boolean, boolean, boolean]; comment?: string } = {}): void {
  const kind = kindOf(path, 'out');
  writeFileAtomicSync(path, formatStructure(atoms, kind, opts));
}

/** Check an output path's extension early (before any work), throwing InputError naming `field`. */
export function checkStructurePath(path: string, field = '--out'): 'cif' | 'xyz' {
  return kindOf(path, field);
}
