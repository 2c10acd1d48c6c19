// Batch normalization, fused (kernels and formulas in backend/norm.ts), over one channel axis:
//   y = γ·(x − μ)/√(σ² + ε) + β
// batchNormTraining uses the batch's own per-channel mean and (biased) variance and returns them, so a layer can
// update its moving statistics; batchNorm uses given statistics (inference). Gradients flow to x, γ and β.

import { Tensor, type TensorLike } from '../tensor/tensor.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { withGrad } from '../autograd/tape.js';
import { asTensor } from './binary.js';
import { channelMoments, channelAffine, batchNormBackward, type ChannelLayout } from '../backend/norm.js';

function layoutOf(x: Tensor, axis: number, what: string): { layout: ChannelLayout; ax: number } {
  const ax = axis < 0 ? axis + x.rank : axis;
  if (!Number.isInteger(ax) || ax < 0 || ax >= x.rank) throw new Error(`${what}: axis ${axis} is out of range for input of shape ${formatShape(x.shape)}.`);
  return { ax, layout: { outer: sizeOf(x.shape.slice(0, ax)), channels: x.shape[ax], inner: sizeOf(x.shape.slice(ax + 1)) } };
}

function checkParam(t: Tensor | null, c: number, name: string, what: string): void {
  if (t && t.size !== c) throw new Error(`${what}: ${name} has shape ${formatShape(t.shape)}, expected ${c} values (one per channel).`);
}

function normalize(x: Tensor, mean: Float32Array, variance: Float32Array, gamma: Tensor | null, beta: Tensor | null, layout: ChannelLayout, epsilon: number, batchStats: boolean): Tensor {
  const C = layout.channels;
  const invStd = new Float32Array(C), scale = new Float32Array(C), shift = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    invStd[c] = 1 / Math.sqrt(variance[c] + epsilon);
    scale[c] = (gamma ? gamma.data[c] : 1) * invStd[c];
    shift[c] = (beta ? beta.data[c] : 0) - mean[c] * scale[c];
  }
  const y = new Float32Array(x.size);
  channelAffine(x.data, layout, scale, shift, y);
  const inputs = [x, gamma, beta].filter((t): t is Tensor => t !== null);
  return withGrad(new Tensor(y, x.shape), 'batchNorm', inputs, (dy) => {
    const dx = new Float32Array(x.size), dgamma = new Float32Array(C), dbeta = new Float32Array(C);
    batchNormBackward(dy.data, x.data, layout, mean, invStd, gamma?.data ?? null, batchStats, dx, dgamma, dbeta);
    const grads: Tensor[] = [new Tensor(dx, x.shape)];
    if (gamma) grads.push(new Tensor(dgamma, gamma.shape));
    if (beta) grads.push(new Tensor(dbeta, beta.shape));
    return grads;
  });
}

/** Normalize with the batch's own statistics along `axis` (the channel axis); returns them with the output. */
export function batchNormTraining(input: TensorLike, gamma: Tensor | null, beta: Tensor | null, options: { axis?: number; epsilon?: number } = {}): { output: Tensor; mean: Tensor; variance: Tensor } {
  const x = asTensor(input);
  const { layout } = layoutOf(x, options.axis ?? -1, 'batchNorm');
  checkParam(gamma, layout.channels, 'gamma', 'batchNorm');
  checkParam(beta, layout.channels, 'beta', 'batchNorm');
  const mean = new Float32Array(layout.channels), variance = new Float32Array(layout.channels);
  channelMoments(x.data, layout, mean, variance);
  const output = normalize(x, mean, variance, gamma, beta, layout, options.epsilon ?? 1e-3, true);
  return { output, mean: new Tensor(mean, [layout.channels]), variance: new Tensor(variance, [layout.channels]) };
}

/** Normalize with given per-channel statistics (TF.js's tf.batchNorm with the channel axis last by default). */
export function batchNorm(input: TensorLike, mean: TensorLike, variance: TensorLike, gamma: Tensor | null = null, beta: Tensor | null = null, options: { axis?: number; epsilon?: number } = {}): Tensor {
  const x = asTensor(input), m = asTensor(mean), v = asTensor(variance);
  const { layout } = layoutOf(x, options.axis ?? -1, 'batchNorm');
  for (const [t, name] of [[m, 'mean'], [v, 'variance'], [gamma, 'gamma'], [beta, 'beta']] as const) checkParam(t, layout.channels, name, 'batchNorm');
  return normalize(x, m.data, v.data, gamma, beta, layout, options.epsilon ?? 1e-3, false);
}
