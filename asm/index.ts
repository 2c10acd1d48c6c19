// Entry of the WebAssembly module: every kernel exported to src/backend/wasm-backend.ts.
export { gemm, MR, NR, KC, MC, NC, SCRATCH_BYTES } from './gemm';
export { adam, relu, reluGrad, biasAdd, firstNonFinite } from './elementwise';
