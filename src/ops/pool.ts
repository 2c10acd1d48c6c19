// Max and average pooling over 1 to 3 spatial dimensions, channels last, with their gradients.
// maxPool:  y = max over the window;  dx gets dy at the window's maximum (first one on ties).
// avgPool:  y = mean of the window's real inputs ('same' padding is not counted);  dx = dy / count over the window.
// Strides default to the pool size (Keras). Kernels in backend/pool.ts.

import type { Tensor, TensorLike } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { run } from '../autograd/tape.js';
import { asTensor } from './unary.js';
import type { Planned, Rule } from './rule.js';
import { convGeometry, expandTuple, type ConvGeometry } from '../backend/conv-geometry.js';
import { maxPoolForward, maxPoolBackward, avgPoolForward, avgPoolBackward } from '../backend/pool.js';

export interface PoolOptions {
  /** Step of the window (default: the pool size). */
  strides?: number | readonly number[];
  /** 'valid' (default) or 'same'. */
  padding?: 'valid' | 'same';
}

function geometry(x: Tensor, poolSize: number | readonly number[], options: PoolOptions, what: string): ConvGeometry {
  const r = x.rank - 2;
  if (r < 1 || r > 3) throw new Error(`${what}: input must have rank 3, 4 or 5 ([batch, ...spatial, channels]), got shape ${formatShape(x.shape)}.`);
  const size = expandTuple(poolSize, r, 1, 'pool size', what);
  const c = x.shape[r + 1];
  return convGeometry({
    batch: x.shape[0], inSize: x.shape.slice(1, r + 1), inChannels: c, outChannels: c, kernel: size,
    strides: options.strides ?? size, padding: options.padding ?? 'valid', what,
  });
}

const outShape = (g: ConvGeometry) => [g.batch, ...g.outSize.slice(3 - g.rank), g.inChannels];
const sizeOfShape = (s: number[]) => s.reduce((a, b) => a * b, 1);

type PoolPlan = Planned & { g: ConvGeometry; argmax: Int32Array | null };

export const poolRules = {
  maxPool: {
    plan: (_s, { g }) => ({ shape: outShape(g), g, argmax: new Int32Array(sizeOfShape(outShape(g))) }),
    forward: ({ g, argmax }, [x], y) => maxPoolForward(g, x, y, argmax!),
    backward: ({ argmax }, _x, _y, dy, [dx]) => maxPoolBackward(dy, argmax!, dx!),
  } as Rule<{ g: ConvGeometry }, PoolPlan>,
  avgPool: {
    plan: (_s, { g }) => ({ shape: outShape(g), g, argmax: null }),
    forward: ({ g }, [x], y) => avgPoolForward(g, x, y),
    backward: ({ g }, _x, _y, dy, [dx]) => avgPoolBackward(g, dy, dx!),
  } as Rule<{ g: ConvGeometry }, PoolPlan>,
};

export function maxPool(input: TensorLike, poolSize: number | readonly number[], options: PoolOptions = {}): Tensor {
  const x = asTensor(input);
  return run('maxPool', poolRules.maxPool, [x], { g: geometry(x, poolSize, options, `maxPool${x.rank - 2}d`) });
}

export function avgPool(input: TensorLike, poolSize: number | readonly number[], options: PoolOptions = {}): Tensor {
  const x = asTensor(input);
  return run('avgPool', poolRules.avgPool, [x], { g: geometry(x, poolSize, options, `avgPool${x.rank - 2}d`) });
}
