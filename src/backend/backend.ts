// The kernel interface under the ops. 'js' is the portable reference; faster backends implement the same contract.

import { jsBackend } from './js-backend.js';
import type { ConvGeometry } from './conv-geometry.js';

export interface Backend {
  readonly name: string;
  /**
   * out[m×n] = op(A)·op(B), where op(A) is m×k and op(B) is k×n.
   * A is stored row-major as m×k, or k×m when transA; B as k×n, or n×k when transB.
   * When accumulate is true, adds into out instead of overwriting it.
   */
  matmul(a: Float32Array, b: Float32Array, out: Float32Array, m: number, k: number, n: number, transA: boolean, transB: boolean, accumulate?: boolean): void;
  /**
   * Optional fused Adam update, in place, float32 arithmetic (callers fall back to their own loop when absent):
   * m += (g − m)·c1;  v += (g² − v)·c2;  w −= alpha·m / (√v + eps). All four arrays have the same length.
   */
  adam?(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, c1: number, c2: number, alpha: number, eps: number): void;
  /**
   * Below this many elements a call into this backend's elementwise kernels (adamMin: its Adam kernel) costs more
   * than the TypeScript loop: the wasm kernels copy their operands in and out (defaults ELEMENTWISE_MIN, ADAM_MIN);
   * the native ones work in place, so they pay from a few hundred elements.
   */
  readonly elementwiseMin?: number;
  readonly adamMin?: number;
  /**
   * Optional elementwise kernels over whole arrays, for the ops' hot loops on large tensors (an op keeps its own
   * TypeScript loop, the definition, when a kernel is absent or the array is small; see ELEMENTWISE_MIN):
   * relu: y = x > 0 ? x : 0 (NaN gives 0); reluGrad: gx = x > 0 ? g : g·0; biasAdd: y[i] = x[i] + b[i mod b.length]
   * (b.length divides x.length); sumRows, its adjoint: out[j] = Σ_r g[r·m + j] with m = out.length, summed in row
   * order in float32; firstNonFinite: the index of the first NaN or ±Infinity in x, or −1.
   * Arrays of one call have equal lengths (b excepted); y may be x.
   */
  relu?(x: Float32Array, y: Float32Array): void;
  reluGrad?(x: Float32Array, g: Float32Array, gx: Float32Array): void;
  biasAdd?(x: Float32Array, b: Float32Array, y: Float32Array): void;
  sumRows?(g: Float32Array, out: Float32Array): void;
  firstNonFinite?(x: Float32Array): number;
  /**
   * Optional convolution kernels, channels last: x [N, D, H, W, Cin], w [KD, KH, KW, Cin/groups, Cout] (Keras's
   * kernel layout), y [N, OD, OH, OW, Cout], geometry from convGeometry. Outputs are overwritten. When absent,
   * src/backend/conv.ts runs im2col/col2im on this backend's matmul; conv-reference.ts holds the oracle loops.
   */
  convForward?(g: ConvGeometry, x: Float32Array, w: Float32Array, y: Float32Array): void;
  convBackpropInput?(g: ConvGeometry, dy: Float32Array, w: Float32Array, dx: Float32Array): void;
  convBackpropFilter?(g: ConvGeometry, x: Float32Array, dy: Float32Array, dw: Float32Array): void;
  /** Optional pooling kernels (same layouts; argmax receives the flat input index of each maximum). See pool.ts. */
  maxPoolForward?(g: ConvGeometry, x: Float32Array, y: Float32Array, argmax: Int32Array): void;
  avgPoolForward?(g: ConvGeometry, x: Float32Array, y: Float32Array): void;
  avgPoolBackward?(g: ConvGeometry, dy: Float32Array, dx: Float32Array): void;
}

/** Below this many elements an op's own loop beats a call into a backend's elementwise kernel (unless it says less). */
export const ELEMENTWISE_MIN = 2048;
/** Likewise for the fused Adam kernel. */
export const ADAM_MIN = 4096;

/**
 * The backend whose elementwise kernels an op calls for n elements of array a: the active one when large, else the
 * TypeScript loops (also for float64 buffers, which only the TypeScript loops take: float64 gradient checks).
 */
export function elementwise(n: number, a: ArrayLike<number>): Backend {
  return active?.relu && n >= (active.elementwiseMin ?? ELEMENTWISE_MIN) && a instanceof Float32Array ? active : jsBackend;
}

// The reference kernels are always there, whichever modules were imported (the fast ones register in index.ts).
const registry = new Map<string, Backend>([['js', jsBackend]]);
let active: Backend | null = null;

export function registerBackend(backend: Backend): void {
  registry.set(backend.name, backend);
}

/** Choose the kernels: 'js' (portable reference) or any registered faster backend such as 'wasm'. */
export function setBackend(name: string): void {
  const backend = registry.get(name);
  if (!backend) throw new Error(`Unknown backend '${name}'. Available: ${[...registry.keys()].join(', ')}.`);
  active = backend;
}

export function getBackend(): Backend {
  if (!active) active = jsBackend;
  return active;
}

export function listBackends(): string[] {
  return [...registry.keys()];
}
