/**
 * Rigid registration with rotation between frames of a crystal series: the rotation is read from the lattice (the
 * angle between the frames' lattice vectors, taken modulo the lattice's own symmetry: the smallest rotation that maps
 * one basis onto the other), the moving frame is rotated back about its centre (bilinear), and the translation is
 * found by sub-pixel cross-correlation (src/twin/register), preferring among the near-equal lattice aliases the one
 * nearest a predicted shift (the previous frame's drift). Images without a lattice cannot be rotated this way and are
 * registered in translation only.
 */
import { sampleBilinear } from '../../core/index.js';
import { registerPhaseCorrelation } from '../register/index.js';
import { cross, dot, norm, type Vec2 } from './lattice.js';

/** A rigid transform between frames: moving(r) ≈ ref(R(−θ)(r − c) + c − d), i.e. rotate by θ about the centre, then shift by d. */
export interface RigidRegistration {
  /** Rotation of the moving frame relative to the reference, degrees (counter-clockwise on screen for positive θ with y down: clockwise). */
  rotation_deg: number;
  /** Shift after rotation, px. */
  dx_px: number;
  dy_px: number;
  /** Correlation peak (1 = identical). */
  peak: number;
}

/**
 * The rotation (rad) taking lattice basis (r1, r2) onto (m1, m2), modulo the lattice's symmetry: candidates are the
 * angles from r1 to ±m1, ±m2 where |m| matches |r1| within 3 %; the smallest in magnitude wins.
 */
export function latticeRotation(r1: Vec2, r2: Vec2, m1: Vec2, m2: Vec2): number {
  const cands: number[] = [];
  const l1 = norm(r1);
  for (const v of [m1, m2, [-m1[0], -m1[1]] as Vec2, [-m2[0], -m2[1]] as Vec2]) {
    if (Math.abs(norm(v) / l1 - 1) > 0.03) continue;
    cands.push(Math.atan2(cross(r1, v), dot(r1, v)));
  }
  void r2;
  if (cands.length === 0) return Math.atan2(cross(r1, m1), dot(r1, m1));
  return cands.reduce((b, a) => (Math.abs(a) < Math.abs(b) ? a : b));
}

/** Rotates `img` by θ (rad) about its centre: out(r) = img(R(−θ)(r − c) + c), bilinear, edges clamped. */
export function rotateImage(img: ArrayLike<number>, W: number, H: number, theta: number): Float32Array {
  const out = new Float32Array(W * H);
  const cx = (W - 1) / 2, cy = (H - 1) / 2, c = Math.cos(theta), s = Math.sin(theta);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const dx = x - cx, dy = y - cy;
    out[y * W + x] = sampleBilinear(img, W, H, c * dx + s * dy + cx, -s * dx + c * dy + cy);
  }
  return out;
}

/** Registers `moving` onto `ref` given both frames' lattices (px vectors), or in translation only without them. */
export function registerRigid(ref: Float32Array, moving: Float32Array, W: number, H: number, lattices?: { ref: [Vec2, Vec2]; moving: [Vec2, Vec2] }, predicted?: Vec2): RigidRegistration {
  const theta = lattices ? latticeRotation(lattices.ref[0], lattices.ref[1], lattices.moving[0], lattices.moving[1]) : 0;
  const back = Math.abs(theta) > 1e-4 ? rotateImage(moving, W, H, -theta) : moving;
  const r = registerPhaseCorrelation(ref, back, W, H, predicted ? { prefer: { center_px: predicted, tolerance: 0.2 } } : {});
  return { rotation_deg: (theta * 180) / Math.PI, dx_px: r.dx_px, dy_px: r.dy_px, peak: r.peak };
}
