/** Test helper (not a test file). */
import { toAtoms, type Lamella } from '../../../src/lattice/index.js';
import type { HaadfImage } from '../../../src/multislice/index.js';

/**
 * A cheap stand-in for the HAADF imaging in the fit's end-to-end test (the imaging physics is tested in
 * test/multislice; the fit only needs frames that the analysis reads like real ones): Gaussian columns
 * (σ = 0.45 Å) weighted Z^1.7 (Rutherford-like HAADF, MODEL.md §5), 3e-5 of the beam per atom, at
 * 0.25 Å/px like the scenario's imaging.
 */
export async function columnImager(lamella: Lamella, species: Uint8Array): Promise<HaadfImage> {
  const atoms = toAtoms(lamella.lattice, species);
  const s = 0.25;
  const W = Math.round(atoms.cell_A[0] / s);
  const H = Math.round(atoms.cell_A[1] / s);
  const sx = atoms.cell_A[0] / W;
  const sy = atoms.cell_A[1] / H;
  const img = new Float32Array(W * H);
  const sig = 0.45;
  const reach = 3 * sig;
  for (let a = 0; a < atoms.n; a++) {
    const w = 3e-5 * atoms.Z[a]! ** 1.7;
    const x = atoms.positions_A[3 * a]!;
    const y = atoms.positions_A[3 * a + 1]!;
    for (let j = Math.floor((y - reach) / sy); j <= Math.ceil((y + reach) / sy); j++) {
      for (let i = Math.floor((x - reach) / sx); i <= Math.ceil((x + reach) / sx); i++) {
        const ii = ((i % W) + W) % W;
        const jj = ((j % H) + H) % H;
        const r2 = (i * sx - x) ** 2 + (j * sy - y) ** 2;
        img[jj * W + ii]! += (w * Math.exp(-r2 / (2 * sig * sig))) / (2 * Math.PI * sig * sig);
      }
    }
  }
  return { data: img, width: W, height: H, sampling_A: sx, samplingY_A: sy, origin_A: [0, 0], thickness_A: atoms.cell_A[2], thicknessSeries: [], metadata: {} };
}
