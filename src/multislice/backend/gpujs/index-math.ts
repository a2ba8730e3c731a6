/**
 * The one index-decoding helper of the gpu.js kernels, registered on every GPU instance with `gpu.addFunction`
 * (backend.ts), so kernel bodies call it by name instead of repeating the decode (kernels.ts, fft-kernels.ts).
 * Integer arithmetic runs in float32 there (exact below 2^24), and float division is not exact for divisors that are
 * not powers of two (GL's is approximate), so the quotient q = ⌊(i + 0.5)/d⌋ gets one correction step that puts the
 * remainder i − q·d in [0, d). Kernel modules declare it (`declare function exactQuotient`) rather than import it:
 * bundlers rewrite imported names, and gpu.js reads the kernels' source text.
 */
export function exactQuotient(i: number, d: number): number {
  let q = Math.floor((i + 0.5) / d);
  const r = i - q * d;
  if (r < 0) {
    q = q - 1;
  }
  if (r >= d) {
    q = q + 1;
  }
  return q;
}
