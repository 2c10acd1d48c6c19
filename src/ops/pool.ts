// Max and average pooling over 1 to 3 spatial dimensions, channels last, as op rules (src/ops/rule.ts).
// maxPool:  y = max over the window;  dx gets dy at the window's maximum (first one on ties).
// avgPool:  y = mean of the window's real inputs ('same' padding is not counted);  dx = dy / count over the window.
// Strides default to the pool size (Keras). Kernels in backend/pool.ts.

import type { Tensor, TensorLike } from '../tensor/tensor.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { asTensor } from './binary.js';
import { run } from '../autograd/tape.js';
import type { Planned, Rule } from './rule.js';
import { convGeometry, expandTuple, type ConvGeometry } from '../backend/conv-geometry.js';
import { maxPoolForward, maxPoolBackward, avgPoolForward, avgPoolBackward } from '../backend/pool.js';

export interface PoolOptions {
  /** Step of the window (default: the pool size). */
  strides?: number | readonly number[];
  /** 'valid' (default) or 'same'. */
  padding?: 'valid' | 'same';
}

interface PoolAttrs extends PoolOptions {
  poolSize: number | readonly number[];
  what: string;
}

interface PoolPlan extends Planned {
  readonly g: ConvGeometry;
  /** Max pooling: the flat input index of each output's maximum, written by forward, read by backward. */
  readonly argmax: Int32Array;
}

function planPool([x]: readonly (readonly number[])[], { poolSize, strides, padding, what }: PoolAttrs, withArgmax: boolean): PoolPlan {
  const name = `${what}${x.length - 2}d`;
  const r = x.length - 2;
  if (r < 1 || r > 3) throw new Error(`${name}: input must have rank 3, 4 or 5 ([batch, ...spatial, channels]), got shape ${formatShape(x)}.`);
  const size = expandTuple(poolSize, r, 1, 'pool size', name);
  const c = x[r + 1];
  const g = convGeometry({ batch: x[0], inSize: x.slice(1, r + 1), inChannels: c, outChannels: c, kernel: size, strides: strides ?? size, padding: padding ?? 'valid', what: name });
  const shape = [g.batch, ...g.outSize.slice(3 - r), c];
  return { g, shape, argmax: new Int32Array(withArgmax ? sizeOf(shape) : 0) };
}

export const poolRules = {
  maxPool: {
    plan: (s, a) => planPool(s, a, true),
    forward: (p, [x], y) => maxPoolForward(p.g, x, y, p.argmax),
    backward: (p, _x, _y, dy, [dx]) => maxPoolBackward(dy, p.argmax, dx!),
  } as Rule<PoolAttrs, PoolPlan>,
  avgPool: {
    plan: (s, a) => planPool(s, a, false),
    forward: (p, [x], y) => avgPoolForward(p.g, x, y),
    backward: (p, _x, _y, dy, [dx]) => avgPoolBackward(p.g, dy, dx!),
  } as Rule<PoolAttrs, PoolPlan>,
};

export function maxPool(x: TensorLike, poolSize: number | readonly number[], options: PoolOptions = {}): Tensor {
  return run('maxPool', poolRules.maxPool, [asTensor(x)], { ...options, poolSize, what: 'maxPool' });
}

export function avgPool(x: TensorLike, poolSize: number | readonly number[], options: PoolOptions = {}): Tensor {
  return run('avgPool', poolRules.avgPool, [asTensor(x)], { ...options, poolSize, what: 'avgPool' });
}
