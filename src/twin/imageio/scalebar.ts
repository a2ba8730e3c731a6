/**
 * Scale bars: THE rule for their length (a 1-2-5 length near a fifth of the field width) and a burnt-in
 * bar for grey 8-bit pictures (contact sheet, GIF); the report (HTML) and analyse's overlays use the
 * same length rule.
 */
import { drawText, FONT_HEIGHT, textWidth } from './font.js';

/** A 1-2-5 length (Å) near a fifth of the field width. */
export function scaleBarLength_A(fieldWidth_A: number): number {
  const target = fieldWidth_A / 5;
  const p = 10 ** Math.floor(Math.log10(target));
  return [1, 2, 5, 10].map((m) => m * p).reduce((b, v) => (Math.abs(v - target) < Math.abs(b - target) ? v : b));
}

/** The label of a bar: "2 nm", "5 Å". */
export const scaleBarLabel = (L_A: number): string => (L_A >= 10 ? `${+(L_A / 10).toPrecision(3)} nm` : `${+L_A.toPrecision(3)} Å`);

/**
 * Burn a scale bar into the tile at (x0, y0) of size tileW × tileH of an 8-bit grey picture `img`
 * (row length `width`): a white bar with a black frame in the bottom-left corner, its length in Å
 * above it. `pixel_A`: the tile's pixel size.
 */
export function drawScaleBar(img: Uint8Array, width: number, x0: number, y0: number, tileW: number, tileH: number, pixel_A: number, fontScale = 1): void {
  const L = scaleBarLength_A(tileW * pixel_A);
  const len = Math.max(2, Math.round(L / pixel_A));
  const bh = Math.max(2, fontScale * 2);
  const margin = 3 * fontScale;
  const bx = x0 + margin, by = y0 + tileH - margin - bh;
  const label = scaleBarLabel(L);
  const ty = by - 2 - FONT_HEIGHT * fontScale;
  if (ty < y0 || bx + len + 1 > x0 + tileW) return; // the tile is too small for a legible bar
  const fill = (x: number, y: number, w: number, h: number, v: number) => {
    for (let yy = y; yy < y + h; yy++) img.fill(v, yy * width + x, yy * width + x + w);
  };
  fill(bx - 1, by - 1, len + 2, bh + 2, 0);
  fill(bx, by, len, bh, 255);
  // Dark box under the label so it reads on bright frames.
  fill(bx - 1, ty - 1, Math.min(textWidth(label, fontScale) + 2, x0 + tileW - bx + 1), FONT_HEIGHT * fontScale + 2, 0);
  drawText(img, width, bx, ty, label, 255, fontScale);
}
