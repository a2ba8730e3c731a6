/**
 * `cathode-twin structure`: build a layered Li(Ni,Co,Mn)O2 lamella along a zone axis, with a
 * nanopore, an APB and cation mixing, and write it as CIF or extended XYZ.
 *
 * Every input is parsed and checked before anything is built or written; bad input exits with an
 * InputError naming the option, and no file is written.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { InputError, canonicalUnit, checkOutPath, parseQuantity, parseQuantityList } from '../../core/index.js';
import {
  DEFAULT_PORE_RADIUS_A,
  PHASES,
  SPECIES_NAMES,
  buildLamella,
  crystalToAtoms,
  phase,
  tileAtoms,
  checkStructurePath,
  countsBySymbol,
  guardStructureText,
  lamellaSiteCount,
  densityOf,
  formatComposition,
  parseComposition,
  parseMiller,
  parseZone,
  toAtoms,
  writeStructure,
  type FacetSpec,
  type LamellaOptions,
} from '../../lattice/index.js';

export interface StructureArgs {
  composition: string;
  zone: string;
  size: string;
  thickness: string;
  'pore-radius': string;
  'pore-shape': string;
  facets: string;
  apb: string;
  mixing: number;
  'li-content': number;
  seed: number;
  phase?: string;
  out: string;
  json: boolean;
}

/** Parse and check CLI arguments into builder options (throws InputError naming the option). */
export function structureOptions(a: StructureArgs): LamellaOptions {
  const L = canonicalUnit('length');
  const composition = parseComposition(a.composition, '--composition');
  const zone = parseZone(a.zone, '--zone');
  // One length (square) or "X,Y unit".
  const sizes = a.size.includes(',') ? parseQuantityList(a.size, 'length', '--size', 2) : [parseQuantity(a.size, 'length', '--size')];
  if (!sizes.every((x) => x > 0)) throw new InputError('--size', a.size, `a length > 0 ${L}, or two ("60,40 Å")`);
  const size: number | [number, number] = sizes.length === 2 ? [sizes[0]!, sizes[1]!] : sizes[0]!;
  const thickness = parseQuantity(a.thickness, 'length', '--thickness');
  if (!(thickness > 0)) throw new InputError('--thickness', a.thickness, `a length > 0 ${L}`);
  const radius = parseQuantity(a['pore-radius'], 'length', '--pore-radius');
  if (!(radius >= 0)) throw new InputError('--pore-radius', a['pore-radius'], `a length ≥ 0 ${L} (0 = no pore)`);
  const shape = a['pore-shape'];
  if (shape !== 'ellipsoid' && shape !== 'faceted') throw new InputError('--pore-shape', shape, 'ellipsoid or faceted');
  const facets: FacetSpec[] = a.facets.split(/[;,]/).map((f) => ({ hkl: parseMiller(f.trim(), '--facets') }));
  const apbText = a.apb.trim().toLowerCase();
  const apb = apbText === 'none' || apbText === '' ? null : { plane: parseMiller(a.apb, '--apb') };
  if (apb && apb.plane[0] === 0 && apb.plane[1] === 0) throw new InputError('--apb', a.apb, 'a plane not parallel to the layers, e.g. "1-20" or "104", or "none"');
  if (!Number.isFinite(a.mixing) || a.mixing < 0 || a.mixing > 0.5) throw new InputError('--mixing', a.mixing, 'a fraction of Li-layer sites in [0, 0.5]');
  if (!Number.isFinite(a['li-content']) || a['li-content'] < 0 || a['li-content'] > 1) throw new InputError('--li-content', a['li-content'], 'a fraction in [0, 1]');
  if (!Number.isSafeInteger(a.seed) || a.seed < 0) throw new InputError('--seed', a.seed, 'a non-negative integer');
  return {
    composition,
    zone,
    size_A: size,
    thickness_A: thickness,
    pore: radius > 0 ? { radius_A: radius, shape, ...(shape === 'faceted' ? { facets } : {}) } : null,
    apb,
    mixing: a.mixing,
    liContent: a['li-content'],
    seed: a.seed,
  };
}

/** Rename builder errors to the CLI option that carries the value. */
function asOptionError(e: unknown, a: StructureArgs): unknown {
  if (!(e instanceof InputError)) return e;
  const map: [RegExp, keyof StructureArgs][] = [[/^pore\.radius/, 'pore-radius'], [/^pore\.facets/, 'facets'], [/^apb/, 'apb'], [/^mixing/, 'mixing'], [/^size_A/, 'size']];
  const hit = map.find(([re]) => re.test(e.field));
  return hit ? new InputError(`--${hit[1]}`, a[hit[1]], e.allowed, e.hint) : e;
}

/** `--phase`: a product phase's conventional cell tiled to about --size × --size × --thickness. */
function runPhase(a: StructureArgs, kind: 'cif' | 'xyz', print: (s: string) => void): Record<string, unknown> {
  if (!(PHASES as readonly string[]).includes(a.phase!)) throw new InputError('--phase', a.phase, PHASES.join(', '));
  const size = parseQuantity(a.size, 'length', '--size');
  const thickness = parseQuantity(a.thickness, 'length', '--thickness');
  if (!(size > 0)) throw new InputError('--size', a.size, 'a length > 0 Å');
  if (!(thickness > 0)) throw new InputError('--thickness', a.thickness, 'a length > 0 Å');
  const crystal = phase(a.phase!);
  const cellAtoms = crystalToAtoms(crystal);
  const rep = (L: number, p: number) => Math.max(1, Math.round(L / p));
  const reps: [number, number, number] = [rep(size, cellAtoms.cell_A[0]), rep(size, cellAtoms.cell_A[1]), rep(thickness, cellAtoms.cell_A[2])];
  guardStructureText(cellAtoms.n * reps[0] * reps[1] * reps[2], '--size', a.size);
  const atoms = tileAtoms(cellAtoms, reps);
  const summary = {
    out: a.out, format: kind, phase: crystal.name, a_A: crystal.cell.a_A, cell_A: atoms.cell_A.map((x) => +x.toFixed(6)), atoms: atoms.n,
    counts: countsBySymbol(atoms), density_g_per_cm3: +densityOf(atoms).toFixed(4),
  };
  writeStructure(a.out, atoms, { name: crystal.name, pbc: [true, true, true], comment: `cathode-twin phase ${crystal.name}` });
  print(a.json ? `${JSON.stringify(summary)}\n` : `wrote ${a.out}: ${crystal.name} (a = ${crystal.cell.a_A} Å), ${atoms.n} atoms, ρ = ${summary.density_g_per_cm3} g/cm³\n`);
  return summary;
}

/** The command's work: build, write atomically, report. Returns the JSON summary. */
export function runStructure(a: StructureArgs, print: (s: string) => void = (s) => process.stdout.write(s)): Record<string, unknown> {
  const kind = checkStructurePath(a.out, '--out');
  checkOutPath(a.out, 'file', '--out');
  if (a.phase !== undefined) return runPhase(a, kind, print);
  const opts = structureOptions(a);
  let lam;
  try {
    // Sizes first: the text file bounds the atoms (the lattice's memory is guarded where it is built).
    guardStructureText(lamellaSiteCount({ zone: opts.zone, size_A: opts.size_A!, thickness_A: opts.thickness_A! }), '--size', a.size);
    lam = buildLamella(opts);
  } catch (e) {
    throw asOptionError(e, a);
  }
  const atoms = toAtoms(lam.lattice);
  const sites: Record<string, number> = {};
  lam.lattice.species.forEach((s) => (sites[SPECIES_NAMES[s]!] = (sites[SPECIES_NAMES[s]!] ?? 0) + 1));
  const summary = {
    out: a.out,
    format: kind,
    composition: formatComposition(lam.composition),
    zone: `[${lam.lattice.zone}]`,
    cell_A: lam.lattice.cell_A.map((x) => +x.toFixed(6)),
    repeats: lam.lattice.repeats,
    atoms: atoms.n,
    counts: countsBySymbol(atoms),
    siteSpecies: sites,
    density_g_per_cm3: +densityOf(atoms).toFixed(4),
    poreSites: lam.poreSites,
    poreCentre_A: lam.pore ? lam.pore.centre_A.map((x) => +x.toFixed(4)) : null,
    apb: lam.apb ? { plane: lam.apb.plane, point_A: lam.apb.point_A.map((x) => +x.toFixed(4)), normal: lam.apb.normal_box.map((x) => +x.toFixed(6)) } : null,
    seed: a.seed,
  };
  writeStructure(a.out, atoms, { name: `cathode_twin_${summary.composition}`, pbc: lam.lattice.pbc, comment: `cathode-twin structure ${summary.composition} ${summary.zone} seed ${a.seed}` });
  if (a.json) print(`${JSON.stringify(summary)}\n`);
  else {
    const c = summary.cell_A;
    print(
      `wrote ${a.out}: ${atoms.n} atoms (${Object.entries(summary.counts).map(([k, v]) => `${k} ${v}`).join(', ')}), ` +
        `cell ${c[0]} × ${c[1]} × ${c[2]} Å along ${summary.zone}, ρ = ${summary.density_g_per_cm3} g/cm³\n`,
    );
  }
  return summary;
}

const command: CommandModule<object, StructureArgs> = {
  command: 'structure',
  describe: 'Build a layered Li(Ni,Co,Mn)O2 lamella (zone axis, nanopore, APB, cation mixing) and write CIF or extended XYZ',
  builder: (y: Argv) =>
    y
      .option('composition', { type: 'string', default: 'Ni0.85Co0.10Mn0.05', describe: 'transition-metal fractions (sum 1)' })
      .option('zone', { type: 'string', default: '210', describe: 'zone axis along the beam: 210 (= [10-10], seed), 100, 110, 001' })
      .option('size', { type: 'string', default: '60 Å', describe: `lateral size, length [${canonicalUnit('length')}] ("60 Å" square, or "60,40 Å" for x,y), rounded to whole periods` })
      .option('thickness', { type: 'string', default: '50 Å', describe: 'thickness along the beam, length [Å], rounded to whole periods' })
      .option('pore-radius', { type: 'string', default: `${DEFAULT_PORE_RADIUS_A} Å`, describe: 'nanopore radius, length [Å]; "0 Å" = no pore' })
      .option('pore-shape', { type: 'string', default: 'ellipsoid', choices: ['ellipsoid', 'faceted'], describe: 'pore shape' })
      .option('facets', { type: 'string', default: '003,104,012', describe: 'facet families of a faceted pore (hexagonal Miller), all at the pore radius' })
      .option('apb', { type: 'string', default: '1-20', describe: 'antiphase-boundary plane (hexagonal Miller), through the pore edge; "none" = no APB' })
      .option('mixing', { type: 'number', default: 0, describe: 'Ni on Li-layer sites (Li/Ni exchange), fraction [0–0.5]' })
      .option('li-content', { type: 'number', default: 1, describe: 'Li-layer sites holding Li, fraction [0–1]' })
      .option('seed', { type: 'number', default: 1, describe: 'random seed of the occupation (integer)' })
      .option('phase', { type: 'string', choices: [...PHASES], describe: 'instead of the lamella, write a product phase (conventional cell tiled to --size × --size × --thickness)' })
      .option('out', { type: 'string', demandOption: true, describe: 'output file: .cif or .xyz/.extxyz' })
      .option('json', { type: 'boolean', default: false, describe: 'print a JSON summary (counts, cell in Å, density in g/cm³)' }) as unknown as Argv<StructureArgs>,
  // Async so that an InputError reaches the CLI's fail handler (exit 2, one-line message).
  handler: async (argv: ArgumentsCamelCase<StructureArgs>) => {
    runStructure(argv);
  },
};

export default command;
