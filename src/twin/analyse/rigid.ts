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

/** A rigid transform between frames: the reference rotated by θ about the frame centre c, then shifted by d: moving(r) ≈ ref(R(−θ)(r − d − c) + c). */
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
  let theta = lattices ? latticeRotation(lattices.ref[0], lattices.ref[1], lattices.moving[0], lattices.moving[1]) : 0;
  // A rotation that moves the frame's corners by less than ¼ px is below what the lattices resolve and what bilinear
  // resampling would cost: the frames are then registered in translation only.
  if (Math.abs(theta) * 0.5 * Math.hypot(W, H) < 0.25) theta = 0;
  const back = theta !== 0 ? rotateImage(moving, W, H, -theta) : moving;
  // back(r) = ref(r − R(−θ)d): the correlation finds d' = R(−θ)d; report d = R(θ)d'.
  const c = Math.cos(theta), sn = Math.sin(theta);
  const pred = predicted ? ([c * predicted[0] + sn * predicted[1], -sn * predicted[0] + c * predicted[1]] as const) : undefined;
  const r = registerPhaseCorrelation(ref, back, W, H, pred ? { prefer: { center_px: pred, tolerance: 0.2 } } : {});
  return { rotation_deg: (theta * 180) / Math.PI, dx_px: c * r.dx_px - sn * r.dy_px, dy_px: sn * r.dx_px + c * r.dy_px, peak: r.peak };
}
