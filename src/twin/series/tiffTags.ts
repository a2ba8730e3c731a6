/**
 * All ImageDescription (270) strings of a classic TIFF's first IFD. geotiff keeps only one when a writer (tifffile)
 * stores two: its own shape JSON and the user's description; the user's one can hold acquisition metadata such as
 * per-frame drift shifts. BigTIFF returns [] (use decodeTiff's description).
 */
export function tiffDescriptions(b: Uint8Array): string[] {
  if (b.length < 8) return [];
  const le = b[0] === 0x49 && b[1] === 0x49;
  if (!le && !(b[0] === 0x4d && b[1] === 0x4d)) return [];
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dv.getUint16(2, le) !== 42) return [];
  const ifd = dv.getUint32(4, le);
  if (ifd + 2 > b.length) return [];
  const n = dv.getUint16(ifd, le);
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const e = ifd + 2 + 12 * k;
    if (e + 12 > b.length) break;
    if (dv.getUint16(e, le) !== 270 || dv.getUint16(e + 2, le) !== 2) continue;
    const count = dv.getUint32(e + 4, le);
    const at = count <= 4 ? e + 8 : dv.getUint32(e + 8, le);
    if (at + count > b.length) continue;
    let end = at + count;
    while (end > at && b[end - 1] === 0) end--;
    out.push(new TextDecoder('latin1').decode(b.subarray(at, end)));
  }
  return out;
}
