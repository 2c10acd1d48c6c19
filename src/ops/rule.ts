// What every op is: one Rule holding its shape logic, forward and backward, over plain buffers. The same rule
// runs eagerly (src/autograd/tape.ts allocates the output) and in a captured step (src/autograd/capture.ts
// replays it over buffers allocated once), so there is one implementation per op.

import type { Shape } from '../tensor/shape.js';

export type Buf = Float32Array;

/** What plan() returns: the output shape, plus whatever forward and backward reuse (index maps, scratch). */
export interface Planned {
  readonly shape: readonly number[];
}

export interface Rule<A = any, P extends Planned = any> {
  /** Check the input shapes and attributes, give the output shape; runs once per op in a captured step. */
  plan(shapes: readonly Shape[], attrs: A): P;
  /** y = op(x). Must write every element of y. */
  forward(p: P, x: readonly Buf[], y: Buf): void;
  /** Write dL/dx_k into gx[k], overwriting all of it (gx[k] is null when input k needs no gradient). Absent: not differentiable. */
  backward?(p: P, x: readonly Buf[], y: Buf, g: Buf, gx: readonly (Buf | null)[]): void;
  /**
   * backward adds into gx (the gradient so far, zeros when it is the first contribution) instead of overwriting it:
   * for ops that read a small part of a large input (slice), so that T slices of one tensor cost T slices, not T
   * copies of the whole tensor (a recurrent layer's time steps).
   */
  readonly addsGrad?: boolean;
  /**
   * Input k's gradient is g itself (same size, unchanged): add's same-shape operand, reshape. A captured step then
   * gives input k the output's gradient buffer instead of copying it, and backward gets gx[k] = null for it.
   */
  passesGrad?(p: P, k: number): boolean;
  /** The output is input 0's storage in a new shape (reshape): forward does nothing. */
  readonly view?: boolean;
  /** Has an effect beyond its output (draws from a generator, updates a moving statistic): a captured step keeps it
   * even when nothing reads its output, so generators and statistics advance as in eager runs. */
  readonly effect?: boolean;
}
