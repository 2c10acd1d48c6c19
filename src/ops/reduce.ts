// Reductions along axes: sum, mean, max, min, logSumExp (differentiable), argmax/argmin (not).

import { Tensor, type TensorLike } from '../tensor/tensor.js';
import { normalizeAxes, sizeOf, stridesOf } from '../tensor/shape.js';
import { withGrad } from '../autograd/tape.js';
import { asTensor } from './binary.js';

type Axis = number | readonly number[];

interface Plan {
  axes: number[];
  outShape: number[];
  keptShape: number[]; // outShape with reduced axes kept as 1
  /** For each input element, the output element it reduces into. */
  map: Int32Array;
  count: number; // elements per output
}

function plan(shape: readonly number[], axis: Axis | undefined, keepDims: boolean): Plan {
  const axes = normalizeAxes(axis, shape.length);
  const keptShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outShape = keepDims ? keptShape : shape.filter((_, i) => !axes.includes(i));
  const n = sizeOf(shape);
  const map = new Int32Array(n);
  const outStrides = stridesOf(keptShape);
  const rank = shape.length;
  const coord = new Array<number>(rank).fill(0);
  for (let i = 0; i < n; i++) {
    let o = 0;
    for (let d = 0; d < rank; d++) if (keptShape[d] !== 1) o += coord[d] * outStrides[d];
    map[i] = o;
    for (let d = rank - 1; d >= 0; d--) {
      if (++coord[d] < shape[d]) break;
      coord[d] = 0;
    }
  }
  const count = axes.reduce((c, a) => c * shape[a], 1);
  return { axes, outShape, keptShape, map, count };
}

/** Expand a reduced gradient back over the input shape, scaled per element by weight(i). */
function spread(g: Tensor, p: Plan, shape: readonly number[], weight?: (i: number, o: number) => number): Tensor {
  const n = p.map.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const o = p.map[i];
    out[i] = weight ? g.data[o] * weight(i, o) : g.data[o];
  }
  return new Tensor(out, shape);
}

export function sum(a: TensorLike, axis?: Axis, keepDims = false): Tensor {
  const x = asTensor(a);
  const p = plan(x.shape, axis, keepDims);
  const out = new Float32Array(sizeOf(p.outShape));
  for (let i = 0; i < p.map.length; i++) out[p.map[i]] += x.data[i];
  return withGrad(new Tensor(out, p.outShape), 'sum', [x], (g) => [spread(g, p, x.shape)]);
}

export function mean(a: TensorLike, axis?: Axis, keepDims = false): Tensor {
  const x = asTensor(a);
  const p = plan(x.shape, axis, keepDims);
  const out = new Float32Array(sizeOf(p.outShape));
  for (let i = 0; i < p.map.length; i++) out[p.map[i]] += x.data[i];
  const inv = 1 / p.count;
  for (let o = 0; o < out.length; o++) out[o] *= inv;
  return withGrad(new Tensor(out, p.outShape), 'mean', [x], (g) => [spread(g, p, x.shape, () => inv)]);
}

function extreme(name: string, x: Tensor, axis: Axis | undefined, keepDims: boolean, better: (v: number, best: number) => boolean): Tensor {
  const p = plan(x.shape, axis, keepDims);
  const out = new Float32Array(sizeOf(p.outShape)).fill(NaN);
  for (let i = 0; i < p.map.length; i++) {
    const o = p.map[i];
    const v = x.data[i];
    if (Number.isNaN(out[o]) || better(v, out[o])) out[o] = v;
  }
  const y = new Tensor(out, p.outShape);
  return withGrad(y, name, [x], (g) => {
    // Ties share the gradient equally, as TensorFlow does.
    const ties = new Float32Array(out.length);
    for (let i = 0; i < p.map.length; i++) if (x.data[i] === out[p.map[i]]) ties[p.map[i]]++;
    return [spread(g, p, x.shape, (i, o) => (x.data[i] === out[o] ? 1 / ties[o] : 0))];
  });
}

export const max = (x: TensorLike, axis?: Axis, keepDims = false) => extreme('max', asTensor(x), axis, keepDims, (v, b) => v > b);
export const min = (x: TensorLike, axis?: Axis, keepDims = false) => extreme('min', asTensor(x), axis, keepDims, (v, b) => v < b);

/** log(Σ exp(x)) along axis, computed as m + log Σ exp(x − m). Gradient: softmax. */
export function logSumExp(a: TensorLike, axis?: Axis, keepDims = false): Tensor {
  const x = asTensor(a);
  const p = plan(x.shape, axis, keepDims);
  const m = new Float32Array(sizeOf(p.outShape)).fill(-Infinity);
  for (let i = 0; i < p.map.length; i++) if (x.data[i] > m[p.map[i]]) m[p.map[i]] = x.data[i];
  const s = new Float64Array(m.length);
  for (let i = 0; i < p.map.length; i++) s[p.map[i]] += Math.exp(x.data[i] - m[p.map[i]]);
  const out = new Float32Array(m.length);
  for (let o = 0; o < out.length; o++) out[o] = m[o] + Math.log(s[o]);
  // Gradient softmax = e^(x − m) / s (not e^(x − out): out rounds to m when |m| is huge).
  return withGrad(new Tensor(out, p.outShape), 'logSumExp', [x], (g) => [spread(g, p, x.shape, (i, o) => Math.exp(x.data[i] - m[o]) / s[o])]);
}

function argExtreme(x: Tensor, axis: number, better: (v: number, b: number) => boolean): Tensor {
  const p = plan(x.shape, axis, false);
  const best = new Float32Array(sizeOf(p.outShape)).fill(NaN);
  const idx = new Float32Array(best.length);
  const ax = p.axes[0];
  const stride = stridesOf(x.shape)[ax];
  for (let i = 0; i < p.map.length; i++) {
    const o = p.map[i];
    const v = x.data[i];
    if (Number.isNaN(best[o]) || better(v, best[o])) {
      best[o] = v;
      idx[o] = Math.floor(i / stride) % x.shape[ax];
    }
  }
  return new Tensor(idx, p.outShape);
}

/** Index of the largest value along axis (first one on ties). Not differentiable. */
export const argMax = (x: TensorLike, axis = -1) => argExtreme(asTensor(x), axis, (v, b) => v > b);
export const argMin = (x: TensorLike, axis = -1) => argExtreme(asTensor(x), axis, (v, b) => v < b);
