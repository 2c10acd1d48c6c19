// Elementwise unary math and activations, each with its derivative beside it.

import { Tensor, tensor, type TensorLike } from '../tensor/tensor.js';
import { run } from '../autograd/tape.js';
import type { Planned, Rule } from './rule.js';
import { elementwise } from '../backend/backend.js';

export function asTensor(x: TensorLike): Tensor {
  return x instanceof Tensor ? x : tensor(x);
}

/**
 * Whole-array loops for the hottest ops. The generic loops below call f and df through one call site shared by
 * every op, which V8 cannot inline; a loop of its own per op runs several times faster on large tensors.
 */
interface UnaryLoops {
  /** a, b: the op's numeric attributes, as f's. */
  forward(x: Float32Array, y: Float32Array, n: number, a: number, b: number): void;
  /** gx = g · dy/dx */
  backward(x: Float32Array, y: Float32Array, g: Float32Array, gx: Float32Array, n: number, a: number, b: number): void;
}

/** f and df take the op's two numeric attributes (clip's bounds, elu's alpha, …; 0 when unused). */
type F = (x: number, a: number, b: number) => number;
type DF = (x: number, y: number, a: number, b: number) => number;
export interface UnaryPlan extends Planned {
  readonly a: number;
  readonly b: number;
}

/**
 * The rule of y = f(x) elementwise, with dy/dx computed from x and y by df (loops, when given, compute the same faster).
 * f and df are kept on the rule for fused ops that apply an activation per element (the LSTM step, ops/recurrent.ts).
 */
export function unaryRule(f: F, df: DF, loops?: UnaryLoops): Rule<{ a?: number; b?: number } | undefined, UnaryPlan> & { f: F; df: DF } {
  return {
    f,
    df,
    plan: ([shape], attrs) => ({ shape, a: attrs?.a ?? 0, b: attrs?.b ?? 0 }),
    forward: loops
      ? (p, [x], y) => loops.forward(x, y, y.length, p.a, p.b)
      : (p, [x], y) => {
          const a = p.a, b = p.b;
          for (let i = 0; i < y.length; i++) y[i] = f(x[i], a, b);
        },
    backward: loops
      ? (p, [x], y, g, [gx]) => loops.backward(x, y, g, gx!, y.length, p.a, p.b)
      : (p, [x], y, g, [gx]) => {
          const a = p.a, b = p.b, out = gx!;
          for (let i = 0; i < y.length; i++) out[i] = g[i] * df(x[i], y[i], a, b);
        },
  };
}

// relu's loops are backend kernels (jsBackend's are the TypeScript definition): vectorized, branch-free natively.
const reluLoops: UnaryLoops = {
  forward: (x, y, n) => elementwise(n, x).relu!(x, y),
  backward: (x, _y, g, gx, n) => elementwise(n, x).reluGrad!(x, g, gx),
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
const squareLoops: UnaryLoops = {
  forward: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = x[i] * x[i]; },
  backward: (x, _y, g, gx, n) => { for (let i = 0; i < n; i++) gx[i] = g[i] * (2 * x[i]); },
};
// log and clip: every cross-entropy on probabilities clips them, then takes the log.
const logLoops: UnaryLoops = {
  forward: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.log(x[i]); },
  backward: (x, _y, g, gx, n) => { for (let i = 0; i < n; i++) gx[i] = g[i] * (1 / x[i]); },
};
const clipLoops: UnaryLoops = {
  forward: (x, y, n, lo, hi) => {
    for (let i = 0; i < n; i++) {
      const v = x[i];
      y[i] = v < lo ? lo : v > hi ? hi : v;
    }
  },
  backward: (x, _y, g, gx, n, lo, hi) => {
    for (let i = 0; i < n; i++) {
      const v = x[i];
      gx[i] = g[i] * (v >= lo && v <= hi ? 1 : 0);
    }
  },
};
const negLoops: UnaryLoops = {
  forward: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = -x[i]; },
  backward: (_x, _y, g, gx, n) => { for (let i = 0; i < n; i++) gx[i] = -g[i]; },
};
const expLoops: UnaryLoops = {
  forward: (x, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.exp(x[i]); },
  backward: (_x, y, g, gx, n) => { for (let i = 0; i < n; i++) gx[i] = g[i] * y[i]; },
};

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

const SELU_ALPHA = 1.6732632423543772848170429916717; // Klambauer et al. 2017, as Keras
const SELU_SCALE = 1.0507009873554804934193349852946;
const GELU_C = Math.sqrt(2 / Math.PI);
const softplusF = (v: number) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));

/** Every elementwise unary op: the formula and its derivative side by side. */
export const unaryRules = {
  exp: unaryRule(Math.exp, (_x, y) => y, expLoops),
  log: unaryRule(Math.log, (v) => 1 / v, logLoops),
  sqrt: unaryRule(Math.sqrt, (_x, y) => 0.5 / y),
  square: unaryRule((v) => v * v, (v) => 2 * v, squareLoops),
  abs: unaryRule(Math.abs, (v) => (v > 0 ? 1 : v < 0 ? -1 : 0)),
  sign: unaryRule(Math.sign, () => 0),
  neg: unaryRule((v) => -v, () => -1, negLoops),
  reciprocal: unaryRule((v) => 1 / v, (v) => -1 / (v * v)),
  log1p: unaryRule(Math.log1p, (v) => 1 / (1 + v)),
  expm1: unaryRule(Math.expm1, (_x, y) => y + 1),
  cos: unaryRule(Math.cos, (v) => -Math.sin(v)),
  sin: unaryRule(Math.sin, (v) => Math.cos(v)),
  /** Gradient passes where lo ≤ x ≤ hi (Keras/TF convention); a = lo, b = hi. */
  clip: unaryRule((v, lo, hi) => (v < lo ? lo : v > hi ? hi : v), (v, _y, lo, hi) => (v >= lo && v <= hi ? 1 : 0), clipLoops),
  relu: unaryRule((v) => (v > 0 ? v : 0), (v) => (v > 0 ? 1 : 0), reluLoops),
  relu6: unaryRule((v) => (v > 0 ? (v < 6 ? v : 6) : 0), (v) => (v > 0 && v < 6 ? 1 : 0)),
  sigmoid: unaryRule((v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))), (_x, y) => y * (1 - y), sigmoidLoops),
  tanh: unaryRule(Math.tanh, (_x, y) => 1 - y * y, tanhLoops),
  softplus: unaryRule(softplusF, (v) => 1 / (1 + Math.exp(-v))),
  softsign: unaryRule((v) => v / (1 + Math.abs(v)), (v) => 1 / ((1 + Math.abs(v)) ** 2)),
  /** a = alpha */
  elu: unaryRule((v, alpha) => (v > 0 ? v : alpha * Math.expm1(v)), (v, y, alpha) => (v > 0 ? 1 : y + alpha)),
  selu: unaryRule((v) => SELU_SCALE * (v > 0 ? v : SELU_ALPHA * Math.expm1(v)), (v) => (v > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(v))),
  /** a = negative slope */
  leakyRelu: unaryRule((v, s) => (v > 0 ? v : s * v), (v, _y, s) => (v > 0 ? 1 : s)),
  /** a = 1 for the tanh approximation */
  gelu: unaryRule(
    (v, approx) => (approx ? 0.5 * v * (1 + Math.tanh(GELU_C * (v + 0.044715 * v ** 3))) : 0.5 * v * (1 + erf(v / Math.SQRT2))),
    (v, _y, approx) => {
      if (!approx) return 0.5 * (1 + erf(v / Math.SQRT2)) + (v * Math.exp(-0.5 * v * v)) / Math.sqrt(2 * Math.PI);
      const th = Math.tanh(GELU_C * (v + 0.044715 * v ** 3));
      return 0.5 * (1 + th) + 0.5 * v * (1 - th * th) * GELU_C * (1 + 3 * 0.044715 * v * v);
    },
  ),
  swish: unaryRule(
    (v) => v / (1 + Math.exp(-v)),
    (v) => {
      const s = 1 / (1 + Math.exp(-v));
      return s * (1 + v * (1 - s));
    },
  ),
  hardSigmoid: unaryRule((v) => (v <= -3 ? 0 : v >= 3 ? 1 : v / 6 + 0.5), (v) => (v > -3 && v < 3 ? 1 / 6 : 0)),
  hardSwish: unaryRule((v) => (v <= -3 ? 0 : v >= 3 ? v : (v * (v + 3)) / 6), (v) => (v <= -3 ? 0 : v >= 3 ? 1 : (2 * v + 3) / 6)),
  mish: unaryRule(
    (v) => v * Math.tanh(softplusF(v)),
    (v) => {
      const th = Math.tanh(softplusF(v));
      return th + (v * (1 - th * th)) / (1 + Math.exp(-v));
    },
  ),
};
type UnaryName = keyof typeof unaryRules;

const un = (name: UnaryName, x: TensorLike, a?: number, b?: number): Tensor => run(name, unaryRules[name], [asTensor(x)], a === undefined ? undefined : { a, b });

export const exp = (x: TensorLike) => un('exp', x);
export const log = (x: TensorLike) => un('log', x);
export const sqrt = (x: TensorLike) => un('sqrt', x);
export const square = (x: TensorLike) => un('square', x);
export const abs = (x: TensorLike) => un('abs', x);
export const sign = (x: TensorLike) => un('sign', x);
export const neg = (x: TensorLike) => un('neg', x);
export const reciprocal = (x: TensorLike) => un('reciprocal', x);
export const log1p = (x: TensorLike) => un('log1p', x);
export const expm1 = (x: TensorLike) => un('expm1', x);
export const cos = (x: TensorLike) => un('cos', x);
export const sin = (x: TensorLike) => un('sin', x);

/** Clip to [lo, hi]; gradient passes where lo ≤ x ≤ hi (Keras/TF convention). */
export function clip(x: TensorLike, lo: number, hi: number): Tensor {
  if (lo > hi) throw new Error(`clip: lower bound ${lo} is greater than upper bound ${hi}.`);
  return un('clip', x, lo, hi);
}

export const relu = (x: TensorLike) => un('relu', x);
export const relu6 = (x: TensorLike) => un('relu6', x);
export const sigmoid = (x: TensorLike) => un('sigmoid', x);
export const tanh = (x: TensorLike) => un('tanh', x);
/** softplus(x) = log(1 + e^x), computed stably as max(x,0) + log1p(e^-|x|). */
export const softplus = (x: TensorLike) => un('softplus', x);
/** softsign(x) = x / (1 + |x|). */
export const softsign = (x: TensorLike) => un('softsign', x);
/** elu(x) = x if x > 0 else alpha·(e^x − 1). */
export const elu = (x: TensorLike, alpha = 1) => un('elu', x, alpha);
/** selu(x) = scale·elu(x, alpha) with Klambauer et al.'s constants, as Keras. */
export const selu = (x: TensorLike) => un('selu', x);
/** leaky_relu(x) = x if x > 0 else negativeSlope·x (Keras 3 default slope 0.2). */
export const leakyRelu = (x: TensorLike, negativeSlope = 0.2) => un('leakyRelu', x, negativeSlope);
/** gelu(x) = x·Φ(x) (exact form, Keras default approximate=false); tanh approximation when approximate. */
export const gelu = (x: TensorLike, approximate = false) => un('gelu', x, approximate ? 1 : 0);
/** swish(x) = silu(x) = x·sigmoid(x). */
export const swish = (x: TensorLike) => un('swish', x);
/** hard_sigmoid(x) = relu6(x + 3) / 6, as Keras 3. */
export const hardSigmoid = (x: TensorLike) => un('hardSigmoid', x);
/** hard_swish(x) = x·hard_sigmoid(x). */
export const hardSwish = (x: TensorLike) => un('hardSwish', x);
/** mish(x) = x·tanh(softplus(x)). */
export const mish = (x: TensorLike) => un('mish', x);
