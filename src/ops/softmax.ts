// Numerically stable softmax and log-softmax along one axis (shifted by the maximum).

import { Tensor, type TensorLike } from '../tensor/tensor.js';
import { sizeOf } from '../tensor/shape.js';
import { withGrad } from '../autograd/tape.js';
import { asTensor } from './binary.js';

/** Iterate over the 1-D fibers along axis: calls visit(base, stride, length). */
function fibers(shape: readonly number[], axis: number, visit: (base: number, stride: number, len: number) => void): void {
  const ax = axis < 0 ? axis + shape.length : axis;
  const len = shape[ax];
  const inner = sizeOf(shape.slice(ax + 1));
  const outer = sizeOf(shape.slice(0, ax));
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) visit(o * len * inner + i, inner, len);
}

/** softmax(x)_i = e^(x_i − m) / Σ_j e^(x_j − m). Backward: y ⊙ (g − Σ g⊙y). */
export function softmax(a: TensorLike, axis = -1): Tensor {
  const x = asTensor(a);
  const y = new Float32Array(x.size);
  fibers(x.shape, axis, (base, stride, len) => {
    let m = -Infinity;
    for (let k = 0; k < len; k++) m = Math.max(m, x.data[base + k * stride]);
    let s = 0;
    for (let k = 0; k < len; k++) {
      const e = Math.exp(x.data[base + k * stride] - m);
      y[base + k * stride] = e;
      s += e;
    }
    for (let k = 0; k < len; k++) y[base + k * stride] /= s;
  });
  return withGrad(new Tensor(y, x.shape), 'softmax', [x], (g) => {
    const gx = new Float32Array(x.size);
    fibers(x.shape, axis, (base, stride, len) => {
      let dot = 0;
      for (let k = 0; k < len; k++) dot += g.data[base + k * stride] * y[base + k * stride];
      for (let k = 0; k < len; k++) gx[base + k * stride] = y[base + k * stride] * (g.data[base + k * stride] - dot);
    });
    return [new Tensor(gx, x.shape)];
  });
}

/** logSoftmax(x)_i = x_i − m − log Σ_j e^(x_j − m). Backward: g − softmax ⊙ Σ g. */
export function logSoftmax(a: TensorLike, axis = -1): Tensor {
  const x = asTensor(a);
  const y = new Float32Array(x.size);
  fibers(x.shape, axis, (base, stride, len) => {
    let m = -Infinity;
    for (let k = 0; k < len; k++) m = Math.max(m, x.data[base + k * stride]);
    let s = 0;
    for (let k = 0; k < len; k++) s += Math.exp(x.data[base + k * stride] - m);
    // (x − m) − log s, not x − (m + log s): for huge |m| the sum m + log s rounds to m.
    const logS = Math.log(s);
    for (let k = 0; k < len; k++) y[base + k * stride] = x.data[base + k * stride] - m - logS;
  });
  return withGrad(new Tensor(y, x.shape), 'logSoftmax', [x], (g) => {
    const gx = new Float32Array(x.size);
    fibers(x.shape, axis, (base, stride, len) => {
      let gs = 0;
      for (let k = 0; k < len; k++) gs += g.data[base + k * stride];
      for (let k = 0; k < len; k++) gx[base + k * stride] = g.data[base + k * stride] - Math.exp(y[base + k * stride]) * gs;
    });
    return [new Tensor(gx, x.shape)];
  });
}
