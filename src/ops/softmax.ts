// Numerically stable softmax and log-softmax along one axis (shifted by the maximum).

import type { Tensor, TensorLike } from '../tensor/tensor.js';
import { sizeOf } from '../tensor/shape.js';
import { run } from '../autograd/tape.js';
import { asTensor } from './unary.js';
import type { Planned, Rule } from './rule.js';

/** The 1-D fibers along the axis: element k of fiber (o, i) is at o·len·inner + i + k·inner. */
interface FiberPlan extends Planned {
  readonly outer: number;
  readonly len: number;
  readonly inner: number;
}

function planFibers([shape]: readonly (readonly number[])[], { axis }: { axis: number }): FiberPlan {
  const ax = axis < 0 ? axis + shape.length : axis;
  if (!(ax >= 0 && ax < shape.length)) throw new Error(`Axis ${axis} is out of range for a tensor of rank ${shape.length}.`);
  return { shape, outer: sizeOf(shape.slice(0, ax)), len: shape[ax], inner: sizeOf(shape.slice(ax + 1)) };
}

export const softmaxRules = {
  /** softmax(x)_i = e^(x_i − m) / Σ_j e^(x_j − m). Backward: y ⊙ (g − Σ g⊙y). */
  softmax: {
    plan: planFibers,
    forward: ({ outer, len, inner }, [x], y) => {
      for (let o = 0; o < outer; o++)
        for (let i = 0; i < inner; i++) {
          const base = o * len * inner + i;
          let m = -Infinity;
          for (let k = 0; k < len; k++) m = Math.max(m, x[base + k * inner]);
          let s = 0;
          for (let k = 0; k < len; k++) {
            const e = Math.exp(x[base + k * inner] - m);
            y[base + k * inner] = e;
            s += e;
          }
          for (let k = 0; k < len; k++) y[base + k * inner] /= s;
        }
    },
    backward: ({ outer, len, inner }, _x, y, g, [gx]) => {
      for (let o = 0; o < outer; o++)
        for (let i = 0; i < inner; i++) {
          const base = o * len * inner + i;
          let dot = 0;
          for (let k = 0; k < len; k++) dot += g[base + k * inner] * y[base + k * inner];
          for (let k = 0; k < len; k++) gx![base + k * inner] = y[base + k * inner] * (g[base + k * inner] - dot);
        }
    },
  } as Rule<{ axis: number }, FiberPlan>,
  /** logSoftmax(x)_i = x_i − m − log Σ_j e^(x_j − m). Backward: g − softmax ⊙ Σ g. */
  logSoftmax: {
    plan: planFibers,
    forward: ({ outer, len, inner }, [x], y) => {
      for (let o = 0; o < outer; o++)
        for (let i = 0; i < inner; i++) {
          const base = o * len * inner + i;
          let m = -Infinity;
          for (let k = 0; k < len; k++) m = Math.max(m, x[base + k * inner]);
          let s = 0;
          for (let k = 0; k < len; k++) s += Math.exp(x[base + k * inner] - m);
          // (x − m) − log s, not x − (m + log s): for huge |m| the sum m + log s rounds to m.
          const logS = Math.log(s);
          for (let k = 0; k < len; k++) y[base + k * inner] = x[base + k * inner] - m - logS;
        }
    },
    backward: ({ outer, len, inner }, _x, y, g, [gx]) => {
      for (let o = 0; o < outer; o++)
        for (let i = 0; i < inner; i++) {
          const base = o * len * inner + i;
          let gs = 0;
          for (let k = 0; k < len; k++) gs += g[base + k * inner];
          for (let k = 0; k < len; k++) gx![base + k * inner] = g[base + k * inner] - Math.exp(y[base + k * inner]) * gs;
        }
    },
  } as Rule<{ axis: number }, FiberPlan>,
};

export const softmax = (x: TensorLike, axis = -1): Tensor => run('softmax', softmaxRules.softmax, [asTensor(x)], { axis });
export const logSoftmax = (x: TensorLike, axis = -1): Tensor => run('logSoftmax', softmaxRules.logSoftmax, [asTensor(x)], { axis });
