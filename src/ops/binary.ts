// Broadcasting binary ops. Backward: d(a∘b)/da and d(a∘b)/db, summed over broadcast dimensions.

import { Tensor, tensor, type TensorLike } from '../tensor/tensor.js';
import { broadcastShapes, sizeOf } from '../tensor/shape.js';
import { withGrad } from '../autograd/tape.js';
import { broadcastIndex, resolveIndex, sumToShape } from './broadcast.js';

export function asTensor(x: TensorLike): Tensor {
  return x instanceof Tensor ? x : tensor(x);
}

type Kernel = (x: number, y: number) => number;

/** Elementwise f(a, b) with broadcasting. */
function elementwise(a: Tensor, b: Tensor, f: Kernel): Tensor {
  const shape = broadcastShapes(a.shape, b.shape);
  const n = sizeOf(shape);
  const out = new Float32Array(n);
  const ad = a.data;
  const bd = b.data;
  if (a.size === n && b.size === n) {
    for (let i = 0; i < n; i++) out[i] = f(ad[i], bd[i]);
  } else if (a.size === n && b.size === 1) {
    const bv = bd[0];
    for (let i = 0; i < n; i++) out[i] = f(ad[i], bv);
  } else {
    const ia = broadcastIndex(a.shape, shape);
    const ib = broadcastIndex(b.shape, shape);
    for (let i = 0; i < n; i++) out[i] = f(ad[resolveIndex(ia, i)], bd[resolveIndex(ib, i)]);
  }
  return new Tensor(out, shape);
}

/** Gradient helper: per-element partial derivative times upstream gradient, then reduce to the input shape. */
function partial(g: Tensor, a: Tensor, b: Tensor, target: Tensor, d: (x: number, y: number, gv: number) => number): Tensor {
  const shape = g.shape;
  const n = g.size;
  const out = new Float32Array(n);
  const ia = broadcastIndex(a.shape, shape);
  const ib = broadcastIndex(b.shape, shape);
  for (let i = 0; i < n; i++) out[i] = d(a.data[resolveIndex(ia, i)], b.data[resolveIndex(ib, i)], g.data[i]);
  return sumToShape(new Tensor(out, shape), target.shape);
}

export function add(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a), y = asTensor(b);
  return withGrad(elementwise(x, y, (p, q) => p + q), 'add', [x, y], (g) => [sumToShape(g, x.shape), sumToShape(g, y.shape)]);
}

export function sub(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a), y = asTensor(b);
  return withGrad(elementwise(x, y, (p, q) => p - q), 'sub', [x, y], (g) => [sumToShape(g, x.shape), y.requiresGrad ? sumToShape(neg(g), y.shape) : null]);
}

export function mul(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a), y = asTensor(b);
  return withGrad(elementwise(x, y, (p, q) => p * q), 'mul', [x, y], (g) => [
    x.requiresGrad ? partial(g, x, y, x, (_p, q, gv) => gv * q) : null,
    y.requiresGrad ? partial(g, x, y, y, (p, _q, gv) => gv * p) : null,
  ]);
}

export function div(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a), y = asTensor(b);
  return withGrad(elementwise(x, y, (p, q) => p / q), 'div', [x, y], (g) => [
    x.requiresGrad ? partial(g, x, y, x, (_p, q, gv) => gv / q) : null,
    y.requiresGrad ? partial(g, x, y, y, (p, q, gv) => (-gv * p) / (q * q)) : null,
  ]);
}

/** a^b elementwise. d/da = b·a^(b-1); d/db = a^b·ln(a) (taken as 0 where a ≤ 0). */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a), y = asTensor(b);
  return withGrad(elementwise(x, y, Math.pow), 'pow', [x, y], (g) => [
    x.requiresGrad ? partial(g, x, y, x, (p, q, gv) => (q === 0 ? 0 : gv * q * Math.pow(p, q - 1))) : null,
    y.requiresGrad ? partial(g, x, y, y, (p, q, gv) => (p > 0 ? gv * Math.pow(p, q) * Math.log(p) : 0)) : null,
  ]);
}

/** Elementwise maximum; the gradient goes to a where a ≥ b (ties to a), else to b. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a), y = asTensor(b);
  return withGrad(elementwise(x, y, (p, q) => (p >= q ? p : q)), 'maximum', [x, y], (g) => [
    x.requiresGrad ? partial(g, x, y, x, (p, q, gv) => (p >= q ? gv : 0)) : null,
    y.requiresGrad ? partial(g, x, y, y, (p, q, gv) => (p >= q ? 0 : gv)) : null,
  ]);
}

export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a), y = asTensor(b);
  return withGrad(elementwise(x, y, (p, q) => (p <= q ? p : q)), 'minimum', [x, y], (g) => [
    x.requiresGrad ? partial(g, x, y, x, (p, q, gv) => (p <= q ? gv : 0)) : null,
    y.requiresGrad ? partial(g, x, y, y, (p, q, gv) => (p <= q ? 0 : gv)) : null,
  ]);
}

export function neg(a: TensorLike): Tensor {
  const x = asTensor(a);
  const out = new Float32Array(x.size);
  for (let i = 0; i < out.length; i++) out[i] = -x.data[i];
  return withGrad(new Tensor(out, x.shape), 'neg', [x], (g) => [neg(g)]);
}

// Comparisons: not differentiable, return 0/1 floats.
export function greater(a: TensorLike, b: TensorLike): Tensor {
  return elementwise(asTensor(a), asTensor(b), (p, q) => (p > q ? 1 : 0));
}
export function greaterEqual(a: TensorLike, b: TensorLike): Tensor {
  return elementwise(asTensor(a), asTensor(b), (p, q) => (p >= q ? 1 : 0));
}
export function less(a: TensorLike, b: TensorLike): Tensor {
  return elementwise(asTensor(a), asTensor(b), (p, q) => (p < q ? 1 : 0));
}
export function equal(a: TensorLike, b: TensorLike): Tensor {
  return elementwise(asTensor(a), asTensor(b), (p, q) => (p === q ? 1 : 0));
}
