/**
 * Facet statistics of a region's outline on a pixel grid (one definition for the image analysis and for the
 * kinetics' projected pore): the boundary pixels of `mask` (set pixels with a 4-neighbour unset), their normals from
 * the central-difference gradient of `field` (any scalar that changes across the boundary: a void fraction, a
 * mass-thickness), the angle θ of each normal to the c axis folded to [0°, 180°), and
 * - a 12-bin histogram of θ (15° bins, fractions of the boundary),
 * - the facet anisotropy |⟨e^{2iθ}⟩| (0 for a round outline, → 1 for parallel facets),
 * - the {003} share: normals within 15° of c,
 * - the {003} roughness: RMS of the {003} boundary's position along c about each side's mean, in the units of the
 *   pixel size,
 * - the sharpness of the other facets: 1 − circular variance of their doubled angles.
 */

/** The statistics (units of the pixel size). */
export interface BoundaryFacets {
  /** Set pixels × pixel area. */
  area: number;
  orientationHistogram: number[];
  facetAnisotropy: number;
  fraction003: number;
  roughness003: number;
  sharpnessOther: number;
  /** Boundary pixels with a defined normal. */
  boundaryPixels: number;
}

/**
 * Statistics of the outline of `mask` (W×H, 1 = inside) with normals from `field`; pixel (i, j) is centred at
 * origin + ((i + ½)·sx, (j + ½)·sy); `cAxis` is the layer normal in the same coordinates.
 */
export function boundaryFacets(mask: ArrayLike<number>, field: ArrayLike<number>, W: number, H: number, sx: number, sy: number, cAxis: readonly [number, number], origin: readonly [number, number] = [0, 0]): BoundaryFacets {
  const cn = Math.hypot(cAxis[0], cAxis[1]) || 1;
  const ux = cAxis[0] / cn, uy = cAxis[1] / cn;
  const hist = new Array<number>(12).fill(0);
  let re = 0, im = 0, nb = 0, reO = 0, imO = 0, nO = 0, area = 0;
  const n003: { along: number; side: number }[] = [];
  for (let i = 0; i < W * H; i++) if (mask[i]) area++;
  for (let j = 1; j < H - 1; j++) for (let i = 1; i < W - 1; i++) {
    const p = j * W + i;
    if (!mask[p] || (mask[p - 1] && mask[p + 1] && mask[p - W] && mask[p + W])) continue;
    const gx = (field[p + 1]! - field[p - 1]!) / sx, gy = (field[p + W]! - field[p - W]!) / sy;
    const gl = Math.hypot(gx, gy);
    if (!(gl > 0)) continue;
    let th = Math.atan2((gx * uy - gy * ux) / gl, (gx * ux + gy * uy) / gl);
    if (th < 0) th += Math.PI;
    if (th >= Math.PI) th -= Math.PI;
    hist[Math.min(11, Math.floor((th / Math.PI) * 12))]!++;
    re += Math.cos(2 * th); im += Math.sin(2 * th); nb++;
    if (Math.min(th, Math.PI - th) < (15 * Math.PI) / 180) {
      const x = origin[0] + (i + 0.5) * sx, y = origin[1] + (j + 0.5) * sy;
      n003.push({ along: x * ux + y * uy, side: gx * ux + gy * uy > 0 ? 1 : 0 });
    } else { reO += Math.cos(2 * th); imO += Math.sin(2 * th); nO++; }
  }
  let rough = 0;
  if (n003.length > 0) {
    let ss = 0;
    for (const side of [0, 1]) {
      const v = n003.filter((q) => q.side === side).map((q) => q.along);
      if (v.length === 0) continue;
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      ss += v.reduce((a, b) => a + (b - m) ** 2, 0);
    }
    rough = Math.sqrt(ss / n003.length);
  }
  return {
    area: area * sx * sy,
    orientationHistogram: hist.map((h) => (nb > 0 ? h / nb : 0)),
    facetAnisotropy: nb > 0 ? Math.hypot(re, im) / nb : 0,
    fraction003: nb > 0 ? n003.length / nb : 0,
    roughness003: rough,
    sharpnessOther: nO > 0 ? Math.hypot(reO, imO) / nO : 0,
    boundaryPixels: nb,
  };
}
