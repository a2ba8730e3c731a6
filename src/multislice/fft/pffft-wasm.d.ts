/** Types for @echogarden/pffft-wasm 0.4.2 (PFFFT by J. Pommier compiled to WASM SIMD; the package ships none). */
declare module '@echogarden/pffft-wasm/simd' {
  export interface PffftModule {
    HEAPF32: Float32Array;
    HEAPF64: Float64Array;
    /** transform: 0 real, 1 complex. Complex sizes must be multiples of 16 with factors 2, 3, 5 only. */
    _pffft_new_setup(n: number, transform: number): number;
    _pffft_destroy_setup(setup: number): void;
    /** direction: 0 forward exp(−2πi…), 1 backward exp(+2πi…), unscaled; input may equal output. */
    _pffft_transform_ordered(setup: number, input: number, output: number, work: number, direction: number): void;
    _pffft_aligned_malloc(bytes: number): number;
    _pffft_aligned_free(ptr: number): void;
    _pffft_simd_size(): number;
  }
  const factory: () => Promise<PffftModule>;
  export default factory;
}
