/**
 * The backend contract: the few array operations of multislice, implemented by the CPU
 * reference (plain TypeScript on typed arrays) and by gpu.js kernels. Complex fields are two
 * float32 planes (re, im), row-major [ny][nx], x fastest. Everything else (potentials, probes,
 * scans, detectors' geometry) is backend-independent and lives above this interface.
 */
export interface ComplexField {
  readonly nx: number;
  readonly ny: number;
  readonly re: Float32Array;
  readonly im: Float32Array;
}

export interface MultisliceBackend {
  readonly name: 'cpu' | 'gpu';
  /** ψ ← ψ · t, elementwise complex product with a transmission function t = exp(iσV). */
  transmit(psi: ComplexField, t: ComplexField): void;
  /** ψ ← F⁻¹[ F[ψ] · P ]: Fresnel propagation with the band-limited propagator P (k-space, same layout). */
  propagate(psi: ComplexField, propagator: ComplexField): void;
  /** In-place FFT (forward unnormalised; inverse scaled by 1/(nx·ny)). */
  fft2(psi: ComplexField, inverse: boolean): void;
  /**
   * Detector reduction: transforms the real-space exit wave to k-space (destroying ψ) and returns,
   * for each mask (weights 0…1 on the k-space grid, same layout), Σ mask·|Ψ(k)|² / (nx·ny),
   * i.e. the fraction of the incident beam when ψ was normalised to Σ|ψ|² = 1.
   */
  detect(psi: ComplexField, masks: readonly Float32Array[]): number[];
  /** Release kernels and buffers (GPU textures). Safe to call twice. */
  dispose(): void;
}
