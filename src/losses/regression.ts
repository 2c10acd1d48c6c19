// Regression losses, each a mean over the last axis as in Keras.

import * as ops from '../ops/index.js';
import { Loss, EPSILON, lossRegistry, meanLastAxis } from './loss.js';

/** mean((y − p)²). */
export const MeanSquaredError = (args: { name?: string } = {}) =>
  new Loss(args.name ?? 'mean_squared_error', 'MeanSquaredError', (y, p) => meanLastAxis(ops.square(ops.sub(y, p))));

/** mean(|y − p|). */
export const MeanAbsoluteError = (args: { name?: string } = {}) =>
  new Loss(args.name ?? 'mean_absolute_error', 'MeanAbsoluteError', (y, p) => meanLastAxis(ops.abs(ops.sub(y, p))));

/** 100 · mean(|y − p| / max(|y|, ε)). */
export const MeanAbsolutePercentageError = (args: { name?: string } = {}) =>
  new Loss(args.name ?? 'mean_absolute_percentage_error', 'MeanAbsolutePercentageError', (y, p) =>
    ops.mul(100, meanLastAxis(ops.div(ops.abs(ops.sub(y, p)), ops.maximum(ops.abs(y), EPSILON)))),
  );

/** mean((log(max(p, ε) + 1) − log(max(y, ε) + 1))²). */
export const MeanSquaredLogarithmicError = (args: { name?: string } = {}) =>
  new Loss(args.name ?? 'mean_squared_logarithmic_error', 'MeanSquaredLogarithmicError', (y, p) => {
    const lp = ops.log(ops.add(ops.maximum(p, EPSILON), 1));
    const ly = ops.log(ops.add(ops.maximum(y, EPSILON), 1));
    return meanLastAxis(ops.square(ops.sub(lp, ly)));
  });

/** Huber: mean(½x²) where |x| ≤ δ, else mean(δ·(|x| − ½δ)), x = y − p (Keras default δ = 1). */
export function Huber(args: { delta?: number; name?: string } = {}): Loss {
  const delta = args.delta ?? 1;
  if (!(delta > 0)) throw new Error(`Huber: delta must be positive, got ${delta}.`);
  return new Loss(
    args.name ?? 'huber_loss',
    'Huber',
    (y, p) => {
      const a = ops.abs(ops.sub(y, p));
      const quadratic = ops.minimum(a, delta);
      const linear = ops.sub(a, quadratic);
      // ½q² + δ·l equals the piecewise definition for both regions.
      return meanLastAxis(ops.add(ops.mul(0.5, ops.square(quadratic)), ops.mul(delta, linear)));
    },
    { delta },
  );
}

/** log(cosh(x)) = x + softplus(−2x) − log 2, x = p − y. */
export const LogCosh = (args: { name?: string } = {}) =>
  new Loss(args.name ?? 'log_cosh', 'LogCosh', (y, p) => {
    const x = ops.sub(p, y);
    return meanLastAxis(ops.sub(ops.add(x, ops.softplus(ops.mul(-2, x))), Math.LN2));
  });

/** −Σ ŷ·p̂ over the axis, with ŷ, p̂ L2-normalised (x / √max(Σx², 1e-12)); −1 means identical directions. */
export function CosineSimilarity(args: { axis?: number; name?: string } = {}): Loss {
  const axis = args.axis ?? -1;
  const normalize = (t: import('../tensor/tensor.js').Tensor) => ops.div(t, ops.sqrt(ops.maximum(ops.sum(ops.square(t), axis, true), 1e-12)));
  return new Loss(args.name ?? 'cosine_similarity', 'CosineSimilarity', (y, p) => ops.neg(ops.sum(ops.mul(normalize(y), normalize(p)), axis)), { axis });
}

lossRegistry.register(['mean_squared_error', 'MeanSquaredError', 'mse'], (c) => MeanSquaredError(c));
lossRegistry.register(['mean_absolute_error', 'MeanAbsoluteError', 'mae'], (c) => MeanAbsoluteError(c));
lossRegistry.register(['mean_absolute_percentage_error', 'MeanAbsolutePercentageError', 'mape'], (c) => MeanAbsolutePercentageError(c));
lossRegistry.register(['mean_squared_logarithmic_error', 'MeanSquaredLogarithmicError', 'msle'], (c) => MeanSquaredLogarithmicError(c));
lossRegistry.register(['huber', 'Huber', 'huber_loss'], (c) => Huber(c));
lossRegistry.register(['log_cosh', 'LogCosh', 'logcosh'], (c) => LogCosh(c));
lossRegistry.register(['cosine_similarity', 'CosineSimilarity'], (c) => CosineSimilarity(c));
