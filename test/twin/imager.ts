/** Test helper (not a test file). */
import { toAtoms, type Lamella } from '../../src/lattice/index.js';
import type { HaadfImage } from '../../src/multislice/index.js';

/**
 * A cheap stand-in imager for pipeline tests (the imaging physics is tested in test/multislice):
 * Gaussian columns (σ = 0.5 Å) weighted Z^1.7, ×1e-4 per atom, at 0.4 Å/px.
 */
export async function gaussianImager(lamella: Lamella, species: Uint8Array): Promise<HaadfImage> {
  const atoms = toAtoms(lamella.lattice, species);
  const s = 0.4;
  const W = Math.round(atoms.cell_A[0] / s);
  const H = Math.round(atoms.cell_A[1] / s);
  const sx = atoms.cell_A[0] / W;
  const sy = atoms.cell_A[1] / H;
  const img = new Float32Array(W * H);
  const sig = 0.5;
  for (let a = 0; a < atoms.n; a++) {
    const w = 1e-4 * atoms.Z[a]! ** 1.7;
    const x = atoms.positions_A[3 * a]!;
    const y = atoms.positions_A[3 * a + 1]!;
    for (let j = Math.floor((y - 2) / sy); j <= Math.ceil((y + 2) / sy); j++) {
      for (let i = Math.floor((x - 2) / sx); i <= Math.ceil((x + 2) / sx); i++) {
        const ii = ((i % W) + W) % W;
        const jj = ((j % H) + H) % H;
        const r2 = (i * sx - x) ** 2 + (j * sy - y) ** 2;
        img[jj * W + ii]! += (w * Math.exp(-r2 / (2 * sig * sig))) / (2 * Math.PI * sig * sig);
      }
    }
  }
  return { data: img, width: W, height: H, sampling_A: sx, samplingY_A: sy, origin_A: [0, 0], thickness_A: atoms.cell_A[2], thicknessSeries: [], metadata: {} };
}

