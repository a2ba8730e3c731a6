/**
 * Bond-model ΔE of the NCM events in closed form over the packed neighbour counts (`local.ts`), and
 * its exact integer key.
 *
 * Every ΔE is an integer combination Σ n_p·c_p of ten bond-model coefficients c_p (O site term,
 * half exchange, four bond energies, V_O relief, Co relief, TM–TM repulsion, V_O–V_O attraction) with
 * small integers n_p (|n_p| < 2^(bits−1) by construction: the counts are bounded). Evaluating the same
 * closed form with c_p = 2^offset_p gives Σ n_p·2^offset_p: a signed mixed-radix number that names
 * the vector n exactly (|key| < 2^51, exact in a double). Because the closed form is linear in the
 * counts, the key of a pair is a table lookup plus a dot product (`cationSwapKey`, `anionPairKey`);
 * the real ΔE is decoded once per key (`keyDeltaEnergy`), in a fixed order, so equal keys give
 * bit-equal ΔE. The closed forms equal `deltaEnergy` (energy.ts) up to float rounding
 * (test/kinetics/ncm-model.test.ts checks them pair by pair on scrambled states).
 */
import { Species } from '../../lattice/species.js';
import { isFrameworkTM, type BondTerms } from './energy.js';
import {
  A_CO1, A_LI1, A_MN1, A_NI1, A_TMLI1, A_VO2, C_CO2, C_O1, C_TMIP2, C_TMIPLI2, C_TMLI2, C_VO1, M3, M4,
} from './local.js';

/** Framework TM flag per species. */
const TM = new Uint8Array(16);
for (let s = 0; s < 16; s++) TM[s] = isFrameworkTM(s) ? 1 : 0;

/** Σ over the anion's first shell of the bonds to O its cations hold (`BondModel.pair1`), from counts. */
function bondSum(bond: Float64Array, w: number): number {
  return ((w >>> A_LI1) & M3) * bond[Species.LI]! + ((w >>> A_NI1) & M3) * bond[Species.NI2]! + ((w >>> A_CO1) & M3) * bond[Species.CO]! + ((w >>> A_MN1) & M3) * bond[Species.MN]!;
}

/** Second-shell pair energy of σ on a cation site (Li-layer flag l, counts w) with its whole current shell (`BondModel.pair2` summed). */
function shell2(bm: BondTerms, sigma: number, l: number, w: number): number {
  let e = 0;
  if (TM[sigma] === 1) {
    if (l === 1) e += bm.tmRep * ((w >>> C_TMIP2) & M3) - bm.coRelief * ((w >>> C_CO2) & M4);
    else e += bm.tmRep * ((w >>> C_TMIPLI2) & M3);
  }
  if (sigma === Species.CO) e -= bm.coRelief * ((w >>> C_TMLI2) & M4);
  return e;
}

/** `BondModel.pair2` of two cations (Li-layer flags la, lb; species a, b; in-plane flag ip). */
function pair2(bm: BondTerms, la: number, a: number, lb: number, b: number, ip: number): number {
  const ta = TM[a]!, tb = TM[b]!;
  let e = 0;
  if (ta === 1 && la === 1 && b === Species.CO) e -= bm.coRelief;
  if (tb === 1 && lb === 1 && a === Species.CO) e -= bm.coRelief;
  if (ip === 1 && ta === 1 && tb === 1 && (la === 1 || lb === 1)) e += bm.tmRep;
  return e;
}

/** Site term of a cation site (Li-layer flag l) holding σ: half the exchange energy for a TM on a Li-layer site or a Li on an M-layer site. */
function cationSite(bm: BondTerms, l: number, sigma: number): number {
  return l === 1 ? (TM[sigma] === 1 ? bm.halfExchange : 0) : sigma === Species.LI ? bm.halfExchange : 0;
}

/**
 * ΔE of exchanging species a (on s) and b (on t) of two neighbouring cations (Li-layer flags ls, lt,
 * in-plane flag ip) from their packed counts ws, wt, which include each other: `deltaEnergy` of the
 * swap in closed form.
 */
export function cationSwapDeltaEnergy(bm: BondTerms, a: number, b: number, ls: number, lt: number, ip: number, ws: number, wt: number): number {
  const bond = bm.bond;
  let d = cationSite(bm, ls, b) + cationSite(bm, lt, a) - cationSite(bm, ls, a) - cationSite(bm, lt, b);
  d -= (bond[b]! - bond[a]!) * (((ws >>> C_O1) & M3) - ((wt >>> C_O1) & M3));
  d -= bm.voRelief * (TM[b]! - TM[a]!) * (ls * ((ws >>> C_VO1) & M3) - lt * ((wt >>> C_VO1) & M3));
  d += shell2(bm, b, ls, ws) - shell2(bm, a, ls, ws) + shell2(bm, a, lt, wt) - shell2(bm, b, lt, wt);
  // the s–t pair: the shell sums above counted it with t holding b and s holding a; replace it by the swapped pair
  return d - pair2(bm, ls, b, lt, b, ip) - pair2(bm, ls, a, lt, a, ip) + pair2(bm, ls, a, lt, b, ip) + pair2(bm, ls, b, lt, a, ip);
}

/** ΔE of O2 release (`release`) or re-adsorption at the anion pair with packed counts ws, wt (O2 gas terms excluded). */
export function oxygenPairDeltaEnergy(bm: BondTerms, release: boolean, ws: number, wt: number): number {
  const bonds = bondSum(bm.bond, ws) + bondSum(bm.bond, wt);
  const relief = bm.voRelief * (((ws >>> A_TMLI1) & M3) + ((wt >>> A_TMLI1) & M3));
  const vv = ((ws >>> A_VO2) & M4) + ((wt >>> A_VO2) & M4);
  return release ? -2 * bm.oSite + bonds - relief - bm.vv * (vv + 1) : 2 * bm.oSite - bonds + relief + bm.vv * (vv - 1);
}

/** ΔE of an O (on s, counts ws) hopping into the V_O on t (counts wt). */
export function vacancyHopDeltaEnergy(bm: BondTerms, ws: number, wt: number): number {
  const first = bondSum(bm.bond, ws) - bm.voRelief * ((ws >>> A_TMLI1) & M3) - bondSum(bm.bond, wt) + bm.voRelief * ((wt >>> A_TMLI1) & M3);
  return first - bm.vv * (((ws >>> A_VO2) & M4) - 1 - ((wt >>> A_VO2) & M4));
}

/** Digits of the key, low to high: coefficient and bit width (signed digit range ±(2^(bits−1) − 1)). */
const DIGITS = [
  ['oSite', 3], ['halfExchange', 4], ['bondLi', 5], ['bondNi', 5], ['bondCo', 5], ['bondMn', 5], ['voRelief', 5], ['coRelief', 7], ['tmRep', 6], ['vv', 6],
] as const;
type DigitName = (typeof DIGITS)[number][0];

const RADIX: Record<DigitName, number> = {} as Record<DigitName, number>;
const WIDTH: number[] = [];
{
  let off = 0;
  for (const [name, bits] of DIGITS) {
    RADIX[name] = 2 ** off;
    WIDTH.push(2 ** bits);
    off += bits;
  }
}

/** Coefficients that turn the closed forms into key generators (each c_p = its digit's radix). */
const KEY_TERMS: BondTerms = (() => {
  const bond = new Float64Array(16);
  bond[Species.LI] = RADIX.bondLi;
  bond[Species.NI2] = bond[Species.NI3] = bond[Species.NI4] = RADIX.bondNi;
  bond[Species.CO] = RADIX.bondCo;
  bond[Species.MN] = RADIX.bondMn;
  return { bond, oSite: RADIX.oSite, halfExchange: RADIX.halfExchange, voRelief: RADIX.voRelief, coRelief: RADIX.coRelief, tmRep: RADIX.tmRep, vv: RADIX.vv };
})();

/** ΔE (eV) named by `key` with the coefficients of `bm`: Σ n_p·c_p in digit order. */
export function keyDeltaEnergy(bm: BondTerms, key: number): number {
  const coef = [bm.oSite, bm.halfExchange, bm.bond[Species.LI]!, bm.bond[Species.NI2]!, bm.bond[Species.CO]!, bm.bond[Species.MN]!, bm.voRelief, bm.coRelief, bm.tmRep, bm.vv];
  let rest = key, e = 0;
  for (let p = 0; p < coef.length; p++) {
    const m = WIDTH[p]!;
    let d = rest - Math.floor(rest / m) * m; // 0 … m−1
    if (d >= m / 2) d -= m;
    rest = (rest - d) / m;
    if (d !== 0) e += d * coef[p]!;
  }
  if (rest !== 0) throw new Error(`keyDeltaEnergy: key ${key} out of range`);
  return e;
}

/** Energy class of a cation species (Li, Ni any charge, Co, Mn, none) and a representative of each. */
const ECLASS = new Uint8Array(16).fill(4);
ECLASS[Species.LI] = 0;
ECLASS[Species.NI2] = ECLASS[Species.NI3] = ECLASS[Species.NI4] = 1;
ECLASS[Species.CO] = 2;
ECLASS[Species.MN] = 3;
const EREP = [Species.LI, Species.NI3, Species.CO, Species.MN, Species.VAC_CATION];

/** Count fields the closed forms read, by sublattice (bit offset, mask). */
const CATION_FIELDS: readonly (readonly [number, number])[] = [[C_O1, M3], [C_VO1, M3], [C_CO2, M4], [C_TMLI2, M4], [C_TMIP2, M3], [C_TMIPLI2, M3]];
const ANION_FIELDS: readonly (readonly [number, number])[] = [[A_LI1, M3], [A_NI1, M3], [A_CO1, M3], [A_MN1, M3], [A_TMLI1, M3], [A_VO2, M4]];
/** Stride of a coefficient row: constant, then 6 fields of s, then 6 of t. */
const ROW = 13;

/** Coefficient rows of a closed form linear in the counts: f(0,0), then ∂f per unit field of s and of t. */
function rows(f: (ws: number, wt: number) => number, fields: readonly (readonly [number, number])[], out: Float64Array, at: number): void {
  const c = f(0, 0);
  out[at] = c;
  fields.forEach(([off], q) => {
    out[at + 1 + q] = f(1 << off, 0) - c;
    out[at + 7 + q] = f(0, 1 << off) - c;
  });
}

/** Cation swap rows by ((class a·5 + class b)·2 + ls)·2 + lt)·2 + ip. */
const CATION_KEYS = (() => {
  const out = new Float64Array(5 * 5 * 8 * ROW);
  for (let ea = 0; ea < 5; ea++) for (let eb = 0; eb < 5; eb++) for (let c = 0; c < 8; c++) {
    const ls = c >> 2, lt = (c >> 1) & 1, ip = c & 1;
    rows((ws, wt) => cationSwapDeltaEnergy(KEY_TERMS, EREP[ea]!, EREP[eb]!, ls, lt, ip, ws, wt), CATION_FIELDS, out, ((ea * 5 + eb) * 8 + c) * ROW);
  }
  return out;
})();

/** Anion pair rows: O2 release, O2 adsorption, O → V_O hop. */
const ANION_KEYS = (() => {
  const out = new Float64Array(3 * ROW);
  rows((ws, wt) => oxygenPairDeltaEnergy(KEY_TERMS, true, ws, wt), ANION_FIELDS, out, 0);
  rows((ws, wt) => oxygenPairDeltaEnergy(KEY_TERMS, false, ws, wt), ANION_FIELDS, out, ROW);
  rows((ws, wt) => vacancyHopDeltaEnergy(KEY_TERMS, ws, wt), ANION_FIELDS, out, 2 * ROW);
  return out;
})();

/** Anion pair key rows (`anionPairKey`). */
export const ANION_RELEASE = 0, ANION_ADSORPTION = 1, ANION_HOP = 2;

/**
 * Where the key functions leave their result: a large double returned from a call that is not
 * inlined is boxed on the heap (hundreds of bytes of garbage per event); a typed-array slot is not.
 */
export const KEY_OUT = new Float64Array(1);

/** Key of `cationSwapDeltaEnergy(bm, a, b, ls, lt, ip, ws, wt)`, into KEY_OUT[0]. */
export function cationSwapKey(a: number, b: number, ls: number, lt: number, ip: number, ws: number, wt: number): void {
  const r = CATION_KEYS, i = ((ECLASS[a]! * 5 + ECLASS[b]!) * 8 + ls * 4 + lt * 2 + ip) * ROW;
  KEY_OUT[0] = r[i]! +
    r[i + 1]! * ((ws >>> C_O1) & M3) + r[i + 2]! * ((ws >>> C_VO1) & M3) + r[i + 3]! * ((ws >>> C_CO2) & M4) +
    r[i + 4]! * ((ws >>> C_TMLI2) & M4) + r[i + 5]! * ((ws >>> C_TMIP2) & M3) + r[i + 6]! * ((ws >>> C_TMIPLI2) & M3) +
    r[i + 7]! * ((wt >>> C_O1) & M3) + r[i + 8]! * ((wt >>> C_VO1) & M3) + r[i + 9]! * ((wt >>> C_CO2) & M4) +
    r[i + 10]! * ((wt >>> C_TMLI2) & M4) + r[i + 11]! * ((wt >>> C_TMIP2) & M3) + r[i + 12]! * ((wt >>> C_TMIPLI2) & M3);
}

/**
 * The bits of the two packed words that `cationSwapKey(a, b, ls, lt, ip, ws, wt)` reads: the fields
 * with a non-zero coefficient in its row, as masks over ws (`out[at]`) and wt (`out[at + 1]`).
 */
export function cationSwapKeyMasks(a: number, b: number, ls: number, lt: number, ip: number, out: Int32Array, at: number): void {
  const r = CATION_KEYS, i = ((ECLASS[a]! * 5 + ECLASS[b]!) * 8 + ls * 4 + lt * 2 + ip) * ROW;
  let ms = 0, mt = 0;
  CATION_FIELDS.forEach(([off, m], q) => {
    if (r[i + 1 + q] !== 0) ms |= m << off;
    if (r[i + 7 + q] !== 0) mt |= m << off;
  });
  out[at] = ms;
  out[at + 1] = mt;
}

/** Key of an anion pair event (`which`: ANION_RELEASE, ANION_ADSORPTION or ANION_HOP), into KEY_OUT[0]. */
export function anionPairKey(which: number, ws: number, wt: number): void {
  const r = ANION_KEYS, i = which * ROW;
  KEY_OUT[0] = r[i]! +
    r[i + 1]! * ((ws >>> A_LI1) & M3) + r[i + 2]! * ((ws >>> A_NI1) & M3) + r[i + 3]! * ((ws >>> A_CO1) & M3) +
    r[i + 4]! * ((ws >>> A_MN1) & M3) + r[i + 5]! * ((ws >>> A_TMLI1) & M3) + r[i + 6]! * ((ws >>> A_VO2) & M4) +
    r[i + 7]! * ((wt >>> A_LI1) & M3) + r[i + 8]! * ((wt >>> A_NI1) & M3) + r[i + 9]! * ((wt >>> A_CO1) & M3) +
    r[i + 10]! * ((wt >>> A_MN1) & M3) + r[i + 11]! * ((wt >>> A_TMLI1) & M3) + r[i + 12]! * ((wt >>> A_VO2) & M4);
}
