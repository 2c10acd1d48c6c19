// Batch normalization, fused (kernels and formulas in backend/norm.ts), over one channel axis, as op rules:
//   y = γ·(x − μ)/√(σ² + ε) + β
// batchNorm uses given per-channel statistics (inference; TF.js's tf.batchNorm). batchNormTraining uses the batch's
// own mean and biased variance and, in the same step, moves the moving statistics toward them in place:
//   moving = moving·momentum + batch·(1 − momentum)
// so a captured training step replays the update too. Gradients flow to x, γ and β (and to μ, σ² in batchNorm).

import { Tensor, type TensorLike } from '../tensor/tensor.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { asTensor } from './binary.js';
import { run } from '../autograd/tape.js';
import type { Planned, Rule } from './rule.js';
import { channelMoments, channelAffine, batchNormBackward, type ChannelLayout } from '../backend/norm.js';

interface NormAttrs {
  axis?: number;
  epsilon?: number;
  momentum?: number;
}

interface NormPlan extends Planned {
  readonly layout: ChannelLayout;
  readonly epsilon: number;
  readonly momentum: number;
  readonly mean: Float32Array;
  readonly invStd: Float32Array;
  readonly scale: Float32Array;
  readonly shift: Float32Array;
  /** batchNormTraining: this batch's statistics. */
  readonly batchMean: Float32Array;
  readonly batchVariance: Float32Array;
}

function planNorm(shapes: readonly (readonly number[])[], { axis = -1, epsilon = 1e-3, momentum = 0.99 }: NormAttrs): NormPlan {
  const [x, ...params] = shapes;
  const ax = axis < 0 ? axis + x.length : axis;
  if (!Number.isInteger(ax) || ax < 0 || ax >= x.length) throw new Error(`batchNorm: axis ${axis} is out of range for input of shape ${formatShape(x)}.`);
  const C = x[ax];
  const names = ['mean', 'variance', 'gamma', 'beta'];
  params.forEach((s, i) => {
    if (sizeOf(s) !== C) throw new Error(`batchNorm: parameter ${i + 1} (${names[i]} or moving statistic) has shape ${formatShape(s)}, expected ${C} values (one per channel of axis ${axis}).`);
  });
  const f = () => new Float32Array(C);
  return {
    shape: x, layout: { outer: sizeOf(x.slice(0, ax)), channels: C, inner: sizeOf(x.slice(ax + 1)) }, epsilon, momentum,
    mean: f(), invStd: f(), scale: f(), shift: f(), batchMean: f(), batchVariance: f(),
  };
}

function affine(p: NormPlan, x: Float32Array, mean: ArrayLike<number>, variance: ArrayLike<number>, gamma: Float32Array, beta: Float32Array, y: Float32Array): void {
  for (let c = 0; c < p.layout.channels; c++) {
    p.mean[c] = mean[c];
    p.invStd[c] = 1 / Math.sqrt(variance[c] + p.epsilon);
    p.scale[c] = gamma[c] * p.invStd[c];
    p.shift[c] = beta[c] - mean[c] * p.scale[c];
  }
  channelAffine(x, p.layout, p.scale, p.shift, y);
}

export const normRules = {
  /** Inputs x, mean, variance, gamma, beta. */
  batchNorm: {
    plan: planNorm,
    forward: (p, [x, mean, variance, gamma, beta], y) => affine(p, x, mean, variance, gamma, beta, y),
    backward: (p, [x, , , gamma], _y, dy, [dx, dmean, dvar, dgamma, dbeta]) => {
      const C = p.layout.channels;
      const gx = dx ?? new Float32Array(x.length), gg = dgamma ?? new Float32Array(C), gb = dbeta ?? new Float32Array(C);
      batchNormBackward(dy, x, p.layout, p.mean, p.invStd, gamma, false, gx, gg, gb);
      // ∂y/∂μ = −γ·r and ∂y/∂σ² = −½·γ·(x − μ)·r³, so dμ = −γ·r·dβ and dσ² = −½·γ·r²·dγ.
      for (let c = 0; c < C; c++) {
        if (dmean) dmean[c] = -gamma[c] * p.invStd[c] * gb[c];
        if (dvar) dvar[c] = -0.5 * gamma[c] * p.invStd[c] * p.invStd[c] * gg[c];
      }
    },
  } as Rule<NormAttrs, NormPlan>,
  /** Inputs x, gamma, beta, movingMean, movingVariance (updated in place by forward). */
  batchNormTraining: {
    plan: planNorm,
    forward: (p, [x, gamma, beta, movingMean, movingVariance], y) => {
      const mean = p.batchMean, variance = p.batchVariance, m = p.momentum;
      channelMoments(x, p.layout, mean, variance);
      for (let c = 0; c < p.layout.channels; c++) {
        movingMean[c] = movingMean[c] * m + mean[c] * (1 - m);
        movingVariance[c] = movingVariance[c] * m + variance[c] * (1 - m);
      }
      affine(p, x, mean, variance, gamma, beta, y);
    },
    backward: (p, [x, gamma], _y, dy, [dx, dgamma, dbeta]) => {
      const C = p.layout.channels;
      batchNormBackward(dy, x, p.layout, p.mean, p.invStd, gamma, true, dx ?? new Float32Array(x.length), dgamma ?? new Float32Array(C), dbeta ?? new Float32Array(C));
    },
  } as Rule<NormAttrs, NormPlan>,
};

const channelsOf = (x: Tensor, axis: number) => x.shape[axis < 0 ? axis + x.rank : axis];
const filled = (n: number, v: number) => new Tensor(new Float32Array(n).fill(v), [n]);

/** Normalize with given per-channel statistics along `axis` (default −1); gamma/beta null mean 1/0. */
export function batchNorm(input: TensorLike, mean: TensorLike, variance: TensorLike, gamma: Tensor | null = null, beta: Tensor | null = null, options: { axis?: number; epsilon?: number } = {}): Tensor {
  const x = asTensor(input), c = channelsOf(x, options.axis ?? -1);
  return run('batchNorm', normRules.batchNorm, [x, asTensor(mean), asTensor(variance), gamma ?? filled(c, 1), beta ?? filled(c, 0)], options);
}

/**
 * Normalize with the batch's own statistics along `axis` (the channel axis), and move movingMean and
 * movingVariance (updated in place) toward them with `momentum` (default 0.99; momentum 0 stores the batch's).
 */
export function batchNormTraining(input: TensorLike, gamma: Tensor | null, beta: Tensor | null, movingMean: Tensor, movingVariance: Tensor, options: { axis?: number; epsilon?: number; momentum?: number } = {}): Tensor {
  const x = asTensor(input), c = channelsOf(x, options.axis ?? -1);
  return run('batchNormTraining', normRules.batchNormTraining, [x, gamma ?? filled(c, 1), beta ?? filled(c, 0), movingMean, movingVariance], options);
}
