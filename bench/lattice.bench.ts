/**
 * Lattice benchmarks: lamella build and neighbour lists, at modest sizes.
 * Baseline in the same run: neighbour lists through the hash lookup (forced by a reversed site
 * order) against the default row-table lookup. `npm run bench -- lattice`
 */
import { SiteIndex, buildLamella, buildNeighbours, toAtoms, writeExtxyz, type SiteLattice } from '../src/lattice/index.js';

function time(f: () => void, reps = 5): number {
  f(); // warm-up (JIT)
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    f();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

function reversed(lat: SiteLattice): SiteLattice {
  const n = lat.n;
  const ijk = new Int32Array(3 * n);
  for (let t = 0; t < n; t++) ijk.set(lat.ijk.subarray(3 * (n - 1 - t), 3 * (n - t)), 3 * t);
  return { ...lat, ijk };
}

export async function main(): Promise<void> {
  const rows: string[] = ['| box (Å) | sites | build lamella (ms) | ns/site | neighbours 1st+2nd, row table (ms) | same, hash baseline (ms) | speed-up | toAtoms+extxyz (ms) |', '|---|---|---|---|---|---|---|---|'];
  for (const [size, th] of [[60, 50], [150, 100]] as const) {
    let lam = buildLamella({ size_A: size, thickness_A: th });
    const tb = time(() => (lam = buildLamella({ size_A: size, thickness_A: th })));
    const lat = lam.lattice;
    const tr = time(() => {
      const idx = new SiteIndex(lat);
      buildNeighbours(lat, 'first', idx);
      buildNeighbours(lat, 'second', idx);
    });
    const rev = reversed(lat);
    const th2 = time(() => {
      const idx = new SiteIndex(rev);
      buildNeighbours(rev, 'first', idx);
      buildNeighbours(rev, 'second', idx);
    });
    const ta = time(() => void writeExtxyz(toAtoms(lat)));
    rows.push(`| ${size}×${size}×${th} | ${lat.n} | ${tb.toFixed(1)} | ${((tb * 1e6) / lat.n).toFixed(0)} | ${tr.toFixed(1)} | ${th2.toFixed(1)} | ${(th2 / tr).toFixed(2)}× | ${ta.toFixed(1)} |`);
  }
  process.stdout.write(`${rows.join('\n')}\n\nBest of 5 after one warm-up; default lamella (NCM851005 [210], 15 Å pore, APB). Node ${process.version}.\n`);
}
