// Batch normalization, fused (kernels and formulas in backend/norm.ts), over one channel axis:
//   y = γ·(x − μ)/√(σ² + ε) + β
// batchNormTraining uses the batch's own per-channel mean and (biased) variance and returns them, so a layer can
// update its moving statistics; batchNorm uses given statistics (inference). Gradients flow to x, γ and β.

import { Tensor, ones, zeros, type TensorLike } from '../tensor/tensor.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { alloc, latestRunPlan, run } from '../autograd/tape.js';
import { asTensor } from './unary.js';
import type { Planned, Rule } from './rule.js';
import { channelMoments, channelAffine, batchNormBackward, type ChannelLayout } from '../backend/norm.js';

function layoutOf(x: Tensor, axis: number, what: string): { layout: ChannelLayout; ax: number } {
  const ax = axis < 0 ? axis + x.rank : axis;
  if (!Number.isInteger(ax) || ax < 0 || ax >= x.rank) throw new Error(`${what}: axis ${axis} is out of range for input of shape ${formatShape(x.shape)}.`);
  return { ax, layout: { outer: sizeOf(x.shape.slice(0, ax)), channels: x.shape[ax], inner: sizeOf(x.shape.slice(ax + 1)) } };
}

function checkParam(t: Tensor | null, c: number, name: string, what: string): void {
  if (t && t.size !== c) throw new Error(`${what}: ${name} has shape ${formatShape(t.shape)}, expected ${c} values (one per channel).`);
}

interface NormPlan extends Planned {
  readonly layout: ChannelLayout;
  readonly epsilon: number;
  /** Per-channel statistics used (the batch's when training: the op's side outputs), 1/√(σ² + ε), scale and shift. */
  readonly mean: Float32Array;
  readonly variance: Float32Array;
  readonly invStd: Float32Array;
  readonly scale: Float32Array;
  readonly shift: Float32Array;
}

function planNorm([shape]: readonly (readonly number[])[], { layout, epsilon }: { layout: ChannelLayout; epsilon: number }): NormPlan {
  const C = layout.channels;
  return { shape, layout, epsilon, mean: alloc(C), variance: alloc(C), invStd: alloc(C), scale: alloc(C), shift: alloc(C) };
}

/** y = scale·x + shift per channel, with scale = γ/√(σ² + ε), shift = β − μ·scale. */
function affine(p: NormPlan, x: Float32Array, gamma: Float32Array, beta: Float32Array, y: Float32Array): void {
  for (let c = 0; c < p.layout.channels; c++) {
    p.invStd[c] = 1 / Math.sqrt(p.variance[c] + p.epsilon);
    p.scale[c] = gamma[c] * p.invStd[c];
    p.shift[c] = beta[c] - p.mean[c] * p.scale[c];
  }
  channelAffine(x, p.layout, p.scale, p.shift, y);
}

export const normRules = {
  /** Inputs x, γ, β: statistics from x itself (training); gradients through μ and σ² too. */
  batchNormTraining: {
    plan: planNorm,
    forward: (p, [x, gamma, beta], y) => {
      channelMoments(x, p.layout, p.mean, p.variance);
      affine(p, x, gamma, beta, y);
    },
    backward: (p, [x, gamma], _y, dy, [dx, dgamma, dbeta]) =>
      batchNormBackward(dy, x, p.layout, p.mean, p.invStd, gamma, true, dx ?? alloc(x.length), dgamma ?? alloc(gamma.length), dbeta ?? alloc(gamma.length)),
  } as Rule<{ layout: ChannelLayout; epsilon: number }, NormPlan>,
  /** Inputs x, μ, σ², γ, β: given statistics (inference); no gradient to μ and σ². */
  batchNorm: {
    plan: planNorm,
    forward: (p, [x, mean, variance, gamma, beta], y) => {
      p.mean.set(mean);
      p.variance.set(variance);
      affine(p, x, gamma, beta, y);
    },
    backward: (p, [x, , , gamma], _y, dy, [dx, , , dgamma, dbeta]) =>
      batchNormBackward(dy, x, p.layout, p.mean, p.invStd, gamma, false, dx ?? alloc(x.length), dgamma ?? alloc(gamma.length), dbeta ?? alloc(gamma.length)),
  } as Rule<{ layout: ChannelLayout; epsilon: number }, NormPlan>,
  /** moving ← moving·momentum + value·(1 − momentum), in place (input 0 is the moving statistic); returns its new values. */
  movingAverage: {
    effect: true,
    plan: ([shape], { momentum }) => ({ shape, momentum }),
    forward: (p, [moving, value], y) => {
      const m = p.momentum;
      for (let i = 0; i < y.length; i++) y[i] = moving[i] = moving[i] * m + value[i] * (1 - m);
    },
  } as Rule<{ momentum: number }, Planned & { momentum: number }>,
};

const orOnes = (t: Tensor | null, c: number) => t ?? ones([c]);
const orZeros = (t: Tensor | null, c: number) => t ?? zeros([c]);

/** Normalize with the batch's own statistics along `axis` (the channel axis); returns them with the output. */
export function batchNormTraining(input: TensorLike, gamma: Tensor | null, beta: Tensor | null, options: { axis?: number; epsilon?: number } = {}): { output: Tensor; mean: Tensor; variance: Tensor } {
  const x = asTensor(input);
  const { layout } = layoutOf(x, options.axis ?? -1, 'batchNorm');
  checkParam(gamma, layout.channels, 'gamma', 'batchNorm');
  checkParam(beta, layout.channels, 'beta', 'batchNorm');
  const C = layout.channels;
  const output = run('batchNormTraining', normRules.batchNormTraining, [x, orOnes(gamma, C), orZeros(beta, C)], { layout, epsilon: options.epsilon ?? 1e-3 });
  // The statistics are the op's plan buffers, rewritten by every run (so a replayed movingAverage reads this step's).
  const stats = latestRunPlan() as NormPlan;
  return { output, mean: new Tensor(stats.mean, [C]), variance: new Tensor(stats.variance, [C]) };
}

/** Normalize with given per-channel statistics (TF.js's tf.batchNorm with the channel axis last by default). */
export function batchNorm(input: TensorLike, mean: TensorLike, variance: TensorLike, gamma: Tensor | null = null, beta: Tensor | null = null, options: { axis?: number; epsilon?: number } = {}): Tensor {
  const x = asTensor(input), m = asTensor(mean), v = asTensor(variance);
  const { layout } = layoutOf(x, options.axis ?? -1, 'batchNorm');
  for (const [t, name] of [[m, 'mean'], [v, 'variance'], [gamma, 'gamma'], [beta, 'beta']] as const) checkParam(t, layout.channels, name, 'batchNorm');
  const C = layout.channels;
  return run('batchNorm', normRules.batchNorm, [x, m, v, orOnes(gamma, C), orZeros(beta, C)], { layout, epsilon: options.epsilon ?? 1e-3 });
}

/** moving ← moving·momentum + value·(1 − momentum) in place, as an op so a captured step replays it (Keras's moving statistics). */
export function movingAverage(moving: Tensor, value: TensorLike, momentum: number): Tensor {
  return run('movingAverage', normRules.movingAverage, [moving, asTensor(value)], { momentum });
}
