// Broadcasting binary ops. Backward: d(a∘b)/da and d(a∘b)/db, summed over broadcast dimensions.

import { Tensor, tensor, type TensorLike } from '../tensor/tensor.js';
import { broadcastShapes, sizeOf } from '../tensor/shape.js';
import { withGrad } from '../autograd/tape.js';
import { broadcastIndex, resolveIndex, sumToShape } from './broadcast.js';

export function asTensor(x: TensorLike): Tensor {
  return x instanceof Tensor ? x : tensor(x);
}

type Kernel = (x: number, y: number) => number;

type Arith = 'add' | 'sub' | 'mul' | 'div';

/**
 * a ∘ b when a has the output's size and b is the same size, a scalar, or repeats over a's trailing dimensions
 * (a bias), cycling through b: one loop per operator, because the generic loops call f through a call site
 * shared by every op, which V8 cannot inline.
 */
function arithLoop(op: Arith, ad: Float32Array, bd: Float32Array, out: Float32Array): void {
  const n = out.length, m = bd.length;
  switch (op) {
    case 'add': for (let i = 0, j = 0; i < n; i++) { out[i] = ad[i] + bd[j]; if (++j === m) j = 0; } return;
    case 'sub': for (let i = 0, j = 0; i < n; i++) { out[i] = ad[i] - bd[j]; if (++j === m) j = 0; } return;
    case 'mul': for (let i = 0, j = 0; i < n; i++) { out[i] = ad[i] * bd[j]; if (++j === m) j = 0; } return;
    case 'div': for (let i = 0, j = 0; i < n; i++) { out[i] = ad[i] / bd[j]; if (++j === m) j = 0; } return;
  }
}

/** Elementwise f(a, b) with broadcasting; op selects a specialized loop for the common layouts. */
function elementwise(a: Tensor, b: Tensor, f: Kernel, op?: Arith): Tensor {
  const shape = broadcastShapes(a.shape, b.shape);
  const n = sizeOf(shape);
  const out = new Float32Array(n);
  const ad = a.data;
  const bd = b.data;
  if (op && a.size === n && (b.size === n || b.size === 1 || broadcastIndex(b.shape, shape).kind === 'suffix')) {
    arithLoop(op, ad, bd, out);
  } else if (a.size === n && b.size === n) {
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

/** g·t elementwise for tensors of one size, as a tensor of the given shape. */
function times(g: Tensor, t: Tensor, shape: readonly number[]): Tensor {
  const out = new Float32Array(g.size);
  const gd = g.data, td = t.data;
  for (let i = 0; i < out.length; i++) out[i] = gd[i] * td[i];
  return new Tensor(out, shape);
}

export function add(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a), y = asTensor(b);
  return withGrad(elementwise(x, y, (p, q) => p + q, 'add'), 'add', [x, y], (g) => [sumToShape(g, x.shape), sumToShape(g, y.shape)]);
}

export function sub(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a), y = asTensor(b);
  return withGrad(elementwise(x, y, (p, q) => p - q, 'sub'), 'sub', [x, y], (g) => [sumToShape(g, x.shape), y.requiresGrad ? sumToShape(neg(g), y.shape) : null]);
}

export function mul(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a), y = asTensor(b);
  return withGrad(elementwise(x, y, (p, q) => p * q, 'mul'), 'mul', [x, y], (g) => {
    // Same shapes (the common case): d/dx = g·y and d/dy = g·x, one loop each.
    const same = x.size === g.size && y.size === g.size;
    return [
      x.requiresGrad ? (same ? times(g, y, x.shape) : partial(g, x, y, x, (_p, q, gv) => gv * q)) : null,
      y.requiresGrad ? (same ? times(g, x, y.shape) : partial(g, x, y, y, (p, _q, gv) => gv * p)) : null,
    ];
  });
}

export function div(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a), y = asTensor(b);
  return withGrad(elementwise(x, y, (p, q) => p / q, 'div'), 'div', [x, y], (g) => [
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
