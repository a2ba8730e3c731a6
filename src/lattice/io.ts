/**
 * Structure files: `readStructure(path)` and `writeStructure(path, atoms)`, dispatching on the
 * extension: .cif (CIF, symmetry-expanded on read, P1 on write) and .xyz/.extxyz (extended XYZ).
 * Writes are atomic (temporary file, then rename); bad input throws InputError before writing.
 */
import { extname } from 'node:path';
import { constants as bufferConstants } from 'node:buffer';
import { InputError, guardSize, guardedReadSync, readInputFile, writeFileAtomicSync } from '../core/index.js';

const MAX_STRING_LENGTH = bufferConstants.MAX_STRING_LENGTH;
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

/** Characters per atom of structure text (CIF P1 rows and extended XYZ lines measure 55–60; with margin). */
const TEXT_CHARS_PER_ATOM = 80;
/** Peak JavaScript-heap bytes per atom while formatting (line strings and the joined text; measured ≈ 430). */
const TEXT_HEAP_BYTES_PER_ATOM = 480;

/**
 * Refuses (InputError naming `field` with the user's `value`) a structure too large to write as text: the file is
 * built as one string, and Node's largest string is 512 MiB. Call before building the structure.
 */
export function guardStructureText(atoms: number, field: string, value: unknown): void {
  guardSize({
    field, value, what: 'atoms in a structure file', count: atoms, heapBytesEach: TEXT_HEAP_BYTES_PER_ATOM,
    maxCount: Math.floor(MAX_STRING_LENGTH / TEXT_CHARS_PER_ATOM), maxReason: 'a CIF or XYZ text of at most 512 MiB, the largest string Node holds',
  });
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
