/**
 * The pair-class memo of the NCM model is keyed by the bits of the two packed neighbour words that a
 * cation exchange's class reads (rates.ts `memoMasks`), so that words differing only in other fields
 * share an entry. Two properties make that exact:
 * - cached = uncached: for every kind-table index of a cation exchange, the pattern code and the ΔE
 *   key (`swapPattern`, what the class is interned from) do not change when every bit outside the two
 *   masks is redrawn (300 random word pairs per index; equality is exact: the key is an integer);
 * - invalidation: every field inside a mask is a real input: for some word pair, changing only that
 *   field changes the code or the key (so the memo must key on it, and the masked words then differ).
 * The whole model with the memo is compared slot by slot with a cache-free reference evaluator in
 * ncm-equivalence.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/index.js';
import { KEY_OUT } from '../../src/kinetics/ncm/delta.js';
import { EventKind, buildEventTable } from '../../src/kinetics/ncm/events.js';
import { C_CO2, C_O1, C_TMIP2, C_TMIPLI2, C_TMLI2, C_VAC2, C_VO1, C_VOID1, C_VOID2, M3, M4 } from '../../src/kinetics/ncm/local.js';
import { kindTableByCode, memoMasks, swapPattern } from '../../src/kinetics/ncm/rates.js';

/** Every cation field (offset, mask): the whole packed word. */
const FIELDS: readonly (readonly [string, number, number])[] = [
  ['O1', C_O1, M3], ['VO1', C_VO1, M3], ['VOID1', C_VOID1, M3], ['CO2', C_CO2, M4], ['TMLI2', C_TMLI2, M4],
  ['TMIP2', C_TMIP2, M3], ['TMIPLI2', C_TMIPLI2, M3], ['VAC2', C_VAC2, M4], ['VOID2', C_VOID2, M4],
];
const WORD_BITS = 0x7fffffff; // the fields fill bits 0–30
const SWAP = new Set<number>([EventKind.TM_MIGRATION, EventKind.APB_MIGRATION, EventKind.IN_PLANE_EXCHANGE, EventKind.SURFACE_CATION_DIFFUSION, EventKind.LI_HOP]);

const kbc = kindTableByCode(buildEventTable());
const masks = memoMasks(kbc);
/** Cation kind-table indices ((0·2 + ip)·32 + cs)·32 + ct of a cation exchange. */
const swapIndices = [...Array(2048).keys()].filter((idx) => SWAP.has(kbc[idx]!));

function pattern(idx: number, ws: number, wt: number): [number, number] {
  const code = swapPattern(kbc[idx]!, (idx >> 5) & 31, idx & 31, (idx >> 10) & 1, ws, wt);
  return [code, code < 0 ? NaN : KEY_OUT[0]!];
}

/** A random word: each field 0 with probability ½, else uniform over its range (so thresholds such as "no V_O near" or "≥ 2 TM around" are crossed often). */
function randomWord(rng: Rng): number {
  let w = 0;
  for (const [, off, fm] of FIELDS) if (rng.uniform() < 0.5) w |= Math.floor(rng.uniform() * (fm + 1)) << off;
  return w;
}

describe('NCM pair-class memo masks', () => {
  it('covers every cation exchange (all five kinds) and leaves every other index unmasked', () => {
    expect(new Set(swapIndices.map((i) => kbc[i]))).toEqual(SWAP);
    for (let idx = 0; idx < kbc.length; idx++) {
      if (SWAP.has(kbc[idx]!)) continue;
      expect(masks[2 * idx]).toBe(-1);
      expect(masks[2 * idx + 1]).toBe(-1);
    }
  });

  it('cached = uncached: the pattern and ΔE key do not change when every bit outside the masks is redrawn', () => {
    const rng = Rng.stream(10, 1);
    for (const idx of swapIndices) {
      const ms = masks[2 * idx]!, mt = masks[2 * idx + 1]!;
      for (let n = 0; n < 300; n++) {
        const ws = randomWord(rng), wt = randomWord(rng);
        const ws2 = (ws & ms) | (Math.floor(rng.uniform() * (WORD_BITS + 1)) & ~ms), wt2 = (wt & mt) | (Math.floor(rng.uniform() * (WORD_BITS + 1)) & ~mt);
        const a = pattern(idx, ws, wt), b = pattern(idx, ws2, wt2);
        if (a[0] !== b[0] || !(a[1] === b[1] || (Number.isNaN(a[1]) && Number.isNaN(b[1])))) {
          throw new Error(`index ${idx} (kind ${kbc[idx]}): words ${ws.toString(16)}/${wt.toString(16)} give ${a}, ${ws2.toString(16)}/${wt2.toString(16)} give ${b}, same masked bits`);
        }
      }
    }
  });

  it('invalidation: every field inside a mask changes the pattern or the key for some words', () => {
    const rng = Rng.stream(10, 2);
    let checked = 0;
    for (const idx of swapIndices) {
      for (const side of [0, 1]) {
        const m = masks[2 * idx + side]!;
        for (const [name, off, fm] of FIELDS) {
          if ((m & (fm << off)) === 0) continue;
          let found = false;
          for (let n = 0; n < 4000 && !found; n++) {
            const w = [randomWord(rng), randomWord(rng)];
            const a = pattern(idx, w[0]!, w[1]!);
            const v = Math.floor(rng.uniform() * (fm + 1));
            w[side] = (w[side]! & ~(fm << off)) | (v << off);
            const b = pattern(idx, w[0]!, w[1]!);
            found = a[0] !== b[0] || (a[1] !== b[1] && !(Number.isNaN(a[1]) && Number.isNaN(b[1])));
          }
          if (!found) throw new Error(`index ${idx} (kind ${kbc[idx]}): field ${name} of the ${side === 0 ? 'owner' : 'target'} is in the memo mask but changed nothing in 4000 tries`);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(swapIndices.length); // at least one real field per index and side, most have several
  });
});
