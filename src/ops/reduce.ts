// Reductions over any axes (keepDims or not): sum, mean, max, min, logSumExp (differentiable), argMax/argMin (not).

import type { Tensor, TensorLike } from '../tensor/tensor.js';
import { normalizeAxes, sizeOf, stridesOf } from '../tensor/shape.js';
import { stridedIndex } from '../tensor/strided.js';
import { alloc, run } from '../autograd/tape.js';
import { asTensor } from './unary.js';
import type { Buf, Planned, Rule } from './rule.js';

type Axis = number | readonly number[];

interface ReducePlan extends Planned {
  readonly axes: number[];
  /** For each input element, the output element it reduces into: built on first use (see mapOf). */
  map: Int32Array | null;
  readonly inShape: readonly number[];
  readonly strides: readonly number[];
  /** Elements per output. */
  readonly count: number;
  readonly outSize: number;
  /** Per-output scratch (running maxima and sums for logSumExp, tie counts for max/min). */
  m: Float32Array | null;
  s: Float64Array | null;
}

function planReduce([shape]: readonly (readonly number[])[], { axis, keepDims }: { axis?: Axis; keepDims: boolean }): ReducePlan {
  const axes = normalizeAxes(axis, shape.length);
  const keptShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outShape = keepDims ? keptShape : shape.filter((_, i) => !axes.includes(i));
  const strides = stridesOf(keptShape).map((s, d) => (keptShape[d] === 1 ? 0 : s));
  const count = axes.reduce((c, a) => c * shape[a], 1);
  return { shape: outShape, axes, map: null, inShape: shape, strides, count, outSize: sizeOf(outShape), m: null, s: null };
}

/** The input-to-output index map, made once per plan (a sum or mean of everything never needs it). */
const mapOf = (p: ReducePlan): Int32Array => (p.map ??= stridedIndex(p.inShape, p.strides));

/** gx[i] = g[map[i]]·w (the adjoint of a sum, scaled). */
function spread(p: ReducePlan, g: Buf, gx: Buf, w = 1): void {
  if (p.outSize === 1) return void gx.fill(g[0] * w);
  const map = mapOf(p);
  for (let i = 0; i < map.length; i++) gx[i] = g[map[i]] * w;
}

function sumForward(p: ReducePlan, x: Buf, y: Buf): void {
  if (p.outSize === 1) {
    // Everything into one value (a loss, a penalty): accumulate in a local, not through the map.
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i];
    y[0] = s;
    return;
  }
  y.fill(0);
  const map = mapOf(p);
  for (let i = 0; i < map.length; i++) y[map[i]] += x[i];
}

/** max (sign 1) or min (sign −1); ties share the gradient equally, as TensorFlow does. */
function extremeRule(sign: 1 | -1): Rule<{ axis?: Axis; keepDims: boolean }, ReducePlan> {
  return {
    plan: planReduce,
    forward: (p, [x], y) => {
      y.fill(NaN);
      const map = mapOf(p);
      for (let i = 0; i < map.length; i++) {
        const o = map[i], v = x[i];
        if (Number.isNaN(y[o]) || (sign > 0 ? v > y[o] : v < y[o])) y[o] = v;
      }
    },
    backward: (p, [x], y, g, [gx]) => {
      const ties = (p.m ??= alloc(p.outSize)).fill(0);
      const map = mapOf(p);
      for (let i = 0; i < map.length; i++) if (x[i] === y[map[i]]) ties[map[i]]++;
      for (let i = 0; i < map.length; i++) gx![i] = x[i] === y[map[i]] ? g[map[i]] * (1 / ties[map[i]]) : 0;
    },
  };
}

function argRule(sign: 1 | -1): Rule<{ axis: number }, ReducePlan & { stride: number; dim: number }> {
  return {
    plan: (shapes, { axis }) => {
      const p = planReduce(shapes, { axis, keepDims: false });
      const ax = p.axes[0];
      return { ...p, stride: stridesOf(shapes[0])[ax], dim: shapes[0][ax] };
    },
    forward: (p, [x], y) => {
      const best = (p.m ??= alloc(p.outSize)).fill(NaN);
      const map = mapOf(p);
      for (let i = 0; i < map.length; i++) {
        const o = map[i], v = x[i];
        if (Number.isNaN(best[o]) || (sign > 0 ? v > best[o] : v < best[o])) {
          best[o] = v;
          y[o] = Math.floor(i / p.stride) % p.dim;
        }
      }
    },
  };
}

export const reduceRules = {
  sum: { plan: planReduce, forward: (p, [x], y) => sumForward(p, x, y), backward: (p, _x, _y, g, [gx]) => spread(p, g, gx!) } as Rule<{ axis?: Axis; keepDims: boolean }, ReducePlan>,
  mean: {
    plan: planReduce,
    forward: (p, [x], y) => {
      sumForward(p, x, y);
      const inv = 1 / p.count;
      for (let o = 0; o < y.length; o++) y[o] *= inv;
    },
    backward: (p, _x, _y, g, [gx]) => spread(p, g, gx!, 1 / p.count),
  } as Rule<{ axis?: Axis; keepDims: boolean }, ReducePlan>,
  max: extremeRule(1),
  min: extremeRule(-1),
  /** log Σ exp(x) = m + log Σ exp(x − m); gradient softmax = e^(x − m) / s (not e^(x − out): out rounds to m when |m| is huge). */
  logSumExp: {
    plan: planReduce,
    forward: (p, [x], y) => {
      const m = (p.m ??= alloc(p.outSize)).fill(-Infinity);
      const s = (p.s ??= new Float64Array(p.outSize)).fill(0);
      const map = mapOf(p);
      for (let i = 0; i < map.length; i++) if (x[i] > m[map[i]]) m[map[i]] = x[i];
      for (let i = 0; i < map.length; i++) s[map[i]] += Math.exp(x[i] - m[map[i]]);
      for (let o = 0; o < y.length; o++) y[o] = m[o] + Math.log(s[o]);
    },
    backward: (p, [x], _y, g, [gx]) => {
      const m = p.m!, s = p.s!, map = mapOf(p);
      for (let i = 0; i < map.length; i++) gx![i] = g[map[i]] * (Math.exp(x[i] - m[map[i]]) / s[map[i]]);
    },
  } as Rule<{ axis?: Axis; keepDims: boolean }, ReducePlan>,
  argMax: argRule(1),
  argMin: argRule(-1),
};

const reduce = (name: 'sum' | 'mean' | 'max' | 'min' | 'logSumExp') => (x: TensorLike, axis?: Axis, keepDims = false): Tensor =>
  run(name, reduceRules[name], [asTensor(x)], { axis, keepDims });

export const sum = reduce('sum');
export const mean = reduce('mean');
export const max = reduce('max');
export const min = reduce('min');
/** log(Σ exp(x)) along axis, computed as m + log Σ exp(x − m). Gradient: softmax. */
export const logSumExp = reduce('logSumExp');
/** Index of the largest value along axis (first one on ties). Not differentiable. */
export const argMax = (x: TensorLike, axis = -1): Tensor => run('argMax', reduceRules.argMax, [asTensor(x)], { axis });
export const argMin = (x: TensorLike, axis = -1): Tensor => run('argMin', reduceRules.argMin, [asTensor(x)], { axis });
