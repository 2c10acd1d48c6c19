// Entry of the WebAssembly module: every kernel exported to src/backend/wasm-backend.ts.
export { gemm, MR, NR, KC, MC, NC, SCRATCH_BYTES } from './gemm';
export { adam, relu, reluGrad, biasAdd, sumRows, firstNonFinite } from './elementwise';
/** 1 in the relaxed-SIMD build (descent-relaxed.wasm): the GEMM micro-kernel uses fused multiply-adds. */
export const FMA: i32 = ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
