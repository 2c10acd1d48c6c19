// Elementwise unary math and activations, each with its derivative beside it.

import { Tensor, type TensorLike } from '../tensor/tensor.js';
import { withGrad } from '../autograd/tape.js';
import { asTensor } from './binary.js';

/**
 * Whole-array loops for the hottest ops. The generic loops below call f and df through one call site shared by
 * every op, which V8 cannot inline; a loop of its own per op runs several times faster on large tensors.
 */
interface UnaryLoops {
  forward(x: Float32Array, y: Float32Array, n: number): void;
  /** gx = g · dy/dx */
  backward(x: Float32Array, y: Float32Array, g: Float32Array, gx: Float32Array, n: number): void;
}

/** y = f(x) elementwise; dy/dx computed from x and y by df (loops, when given, compute the same thing faster). */
export function unary(name: string, a: TensorLike, f: (x: number) => number, df: (x: number, y: number) => number, loops?: UnaryLoops): Tensor {
  const x = asTensor(a);
  const n = x.size;
  const out = new Float32Array(n);
  const xd = x.data;
  if (loops) loops.forward(xd, out, n);
  else for (let i = 0; i < n; i++) out[i] = f(xd[i]);
  const y = new Tensor(out, x.shape);
  return withGrad(y, name, [x], (g) => {
    const gx = new Float32Array(n);
    if (loops) loops.backward(xd, out, g.data, gx, n);
    else for (let i = 0; i < n; i++) gx[i] = g.data[i] * df(xd[i], out[i]);
    return [new Tensor(gx, x.shape)];
  });
}

const reluLoops: UnaryLoops = {
  forward: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : 0; },
  backward: (x, _y, g, gx, n) => { for (let i = 0; i < n; i++) gx[i] = x[i] > 0 ? g[i] : g[i] * 0; }, // g·0 keeps NaN as the generic rule
};
const sigmoidLoops: UnaryLoops = {
  forward: (x, y, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[i];
      y[i] = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
    }
  },
  backward: (_x, y, g, gx, n) => { for (let i = 0; i < n; i++) gx[i] = g[i] * (y[i] * (1 - y[i])); },
};
const tanhLoops: UnaryLoops = {
  forward: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]); },
  backward: (_x, y, g, gx, n) => { for (let i = 0; i < n; i++) gx[i] = g[i] * (1 - y[i] * y[i]); },
};
const expLoops: UnaryLoops = {
  forward: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.exp(x[i]); },
  backward: (_x, y, g, gx, n) => { for (let i = 0; i < n; i++) gx[i] = g[i] * y[i]; },
};

export const exp = (x: TensorLike) => unary('exp', x, Math.exp, (_x, y) => y, expLoops);
export const log = (x: TensorLike) => unary('log', x, Math.log, (v) => 1 / v);
export const sqrt = (x: TensorLike) => unary('sqrt', x, Math.sqrt, (_x, y) => 0.5 / y);
export const square = (x: TensorLike) => unary('square', x, (v) => v * v, (v) => 2 * v);
export const abs = (x: TensorLike) => unary('abs', x, Math.abs, (v) => (v > 0 ? 1 : v < 0 ? -1 : 0));
export const sign = (x: TensorLike) => unary('sign', x, Math.sign, () => 0);
export const reciprocal = (x: TensorLike) => unary('reciprocal', x, (v) => 1 / v, (v) => -1 / (v * v));
export const log1p = (x: TensorLike) => unary('log1p', x, Math.log1p, (v) => 1 / (1 + v));
export const expm1 = (x: TensorLike) => unary('expm1', x, Math.expm1, (_x, y) => y + 1);
export const cos = (x: TensorLike) => unary('cos', x, Math.cos, (v) => -Math.sin(v));
export const sin = (x: TensorLike) => unary('sin', x, Math.sin, (v) => Math.cos(v));

/** Clip to [lo, hi]; gradient passes where lo ≤ x ≤ hi (Keras/TF convention). */
export function clip(x: TensorLike, lo: number, hi: number): Tensor {
  if (lo > hi) throw new Error(`clip: lower bound ${lo} is greater than upper bound ${hi}.`);
  return unary('clip', x, (v) => (v < lo ? lo : v > hi ? hi : v), (v) => (v >= lo && v <= hi ? 1 : 0));
}

export const relu = (x: TensorLike) => unary('relu', x, (v) => (v > 0 ? v : 0), (v) => (v > 0 ? 1 : 0), reluLoops);
export const relu6 = (x: TensorLike) => unary('relu6', x, (v) => (v > 0 ? (v < 6 ? v : 6) : 0), (v) => (v > 0 && v < 6 ? 1 : 0));

export const sigmoid = (x: TensorLike) =>
  unary('sigmoid', x, (v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))), (_x, y) => y * (1 - y), sigmoidLoops);

export const tanh = (x: TensorLike) => unary('tanh', x, Math.tanh, (_x, y) => 1 - y * y, tanhLoops);

/** softplus(x) = log(1 + e^x), computed stably as max(x,0) + log1p(e^-|x|). */
export const softplus = (x: TensorLike) =>
  unary('softplus', x, (v) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))), (v) => 1 / (1 + Math.exp(-v)));

/** softsign(x) = x / (1 + |x|). */
export const softsign = (x: TensorLike) => unary('softsign', x, (v) => v / (1 + Math.abs(v)), (v) => 1 / ((1 + Math.abs(v)) ** 2));

/** elu(x) = x if x > 0 else alpha·(e^x − 1). */
export const elu = (x: TensorLike, alpha = 1) =>
  unary('elu', x, (v) => (v > 0 ? v : alpha * Math.expm1(v)), (v, y) => (v > 0 ? 1 : y + alpha));

// SELU constants from Klambauer et al. 2017, as Keras.
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
export const selu = (x: TensorLike) =>
  unary('selu', x, (v) => SELU_SCALE * (v > 0 ? v : SELU_ALPHA * Math.expm1(v)), (v) => (v > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(v)));

/** leaky_relu(x) = x if x > 0 else negativeSlope·x (Keras 3 default slope 0.2). */
export const leakyRelu = (x: TensorLike, negativeSlope = 0.2) =>
  unary('leaky_relu', x, (v) => (v > 0 ? v : negativeSlope * v), (v) => (v > 0 ? 1 : negativeSlope));

// Φ(x) via erf (Abramowitz-Stegun 7.1.26 is too coarse for gradient checks; use a high-precision series/continued fraction).
function erf(x: number): number {
  const t = 1 / (1 + 0.5 * Math.abs(x));
  // Numerical Recipes erfc Chebyshev approximation, relative error < 1.2e-7.
  const tau =
    t *
    Math.exp(
      -x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - tau : tau - 1;
}

/** gelu(x) = x·Φ(x) (exact form, Keras default approximate=false); tanh approximation when approximate. */
export function gelu(x: TensorLike, approximate = false): Tensor {
  if (approximate) {
    const c = Math.sqrt(2 / Math.PI);
    return unary(
      'gelu',
      x,
      (v) => 0.5 * v * (1 + Math.tanh(c * (v + 0.044715 * v ** 3))),
      (v) => {
        const u = c * (v + 0.044715 * v ** 3);
        const th = Math.tanh(u);
        return 0.5 * (1 + th) + 0.5 * v * (1 - th * th) * c * (1 + 3 * 0.044715 * v * v);
      },
    );
  }
  return unary(
    'gelu',
    x,
    (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)),
    (v) => 0.5 * (1 + erf(v / Math.SQRT2)) + (v * Math.exp(-0.5 * v * v)) / Math.sqrt(2 * Math.PI),
  );
}

/** swish(x) = silu(x) = x·sigmoid(x). */
export const swish = (x: TensorLike) =>
  unary(
    'swish',
    x,
    (v) => v / (1 + Math.exp(-v)),
    (v) => {
      const s = 1 / (1 + Math.exp(-v));
      return s * (1 + v * (1 - s));
    },
  );

/** hard_sigmoid(x) = relu6(x + 3) / 6, as Keras 3. */
export const hardSigmoid = (x: TensorLike) =>
  unary('hard_sigmoid', x, (v) => (v <= -3 ? 0 : v >= 3 ? 1 : v / 6 + 0.5), (v) => (v > -3 && v < 3 ? 1 / 6 : 0));

/** hard_swish(x) = x·hard_sigmoid(x). */
export const hardSwish = (x: TensorLike) =>
  unary('hard_swish', x, (v) => (v <= -3 ? 0 : v >= 3 ? v : (v * (v + 3)) / 6), (v) => (v <= -3 ? 0 : v >= 3 ? 1 : (2 * v + 3) / 6));

/** mish(x) = x·tanh(softplus(x)). */
export const mish = (x: TensorLike) =>
  unary(
    'mish',
    x,
    (v) => v * Math.tanh(Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)))),
    (v) => {
      const sp = Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
      const th = Math.tanh(sp);
      return th + (v * (1 - th * th)) / (1 + Math.exp(-v));
    },
  );
