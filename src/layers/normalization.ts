// Normalization layers (Keras 3 names, options and defaults).
//   BatchNormalization (Ioffe & Szegedy 2015): y = γ·(x − μ)/√(σ² + ε) + β per channel (axis, default −1).
//     Training (fit, and the layer trainable): μ, σ² are the batch's (biased variance) and the moving statistics
//     move toward them:  moving = moving·momentum + batch·(1 − momentum)  (momentum 0.99, ε 1e-3).
//     Inference, or trainable false (Keras ≥ 2.1): μ, σ² are the moving statistics. Weights: gamma, beta,
//     moving_mean, moving_variance (the last two non-trainable).
//   LayerNormalization (Ba et al. 2016): the same formula with μ, σ² taken per sample over `axis` (default −1);
//     γ, β have the shape of those axes.
//   GroupNormalization (Wu & He 2018): μ, σ² per sample over the spatial positions and each group of channels
//     (groups, default 32) of the channel axis (`axis`, default −1; 1 for channels first); γ, β per channel.

import { ones, type Tensor } from '../tensor/tensor.js';
import { getMask } from './mask.js';
import type { Variable } from '../tensor/variable.js';
import * as ops from '../ops/index.js';
import { Layer, registerLayer, checkLayerOptions, type LayerArgs, type SymbolicShape } from './layer.js';
import { getInitializer, serializeInitializer, type InitializerIdentifier, type Initializer } from '../initializers/index.js';
import { getRegularizer, type Regularizer, type RegularizerIdentifier, serializeRegularizer } from '../regularizers/index.js';

export interface NormalizationArgs extends LayerArgs {
  /** Axis (or axes, LayerNormalization) normalized over or per (default −1). */
  axis?: number | number[];
  /** Added to the variance (default 1e-3). */
  epsilon?: number;
  /** Add the learned offset β (default true). */
  center?: boolean;
  /** Multiply by the learned scale γ (default true). */
  scale?: boolean;
  /** Default 'zeros'. */
  betaInitializer?: InitializerIdentifier;
  /** Default 'ones'. */
  gammaInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier | null;
  gammaRegularizer?: RegularizerIdentifier | null;
}

export interface BatchNormalizationArgs extends NormalizationArgs {
  /** Weight of the old moving statistics in each update (default 0.99). */
  momentum?: number;
  /** Default 'zeros'. */
  movingMeanInitializer?: InitializerIdentifier;
  /** Default 'ones'. */
  movingVarianceInitializer?: InitializerIdentifier;
}

export interface GroupNormalizationArgs extends NormalizationArgs {
  /** Number of channel groups; must divide the channels (default 32). */
  groups?: number;
}

const BASE_OPTIONS = ['axis', 'epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer', 'betaRegularizer', 'gammaRegularizer', 'betaConstraint', 'gammaConstraint'];

/** γ/β bookkeeping shared by the three layers. */
abstract class Normalization extends Layer {
  /**
   * A sequence mask passes through (Keras 3's three normalization layers support masking); BatchNormalization
   * also leaves masked steps out of its batch statistics in training, as Keras 3.
   */
  override readonly supportsMasking = true;
  readonly axis: number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  gamma: Variable | null = null;
  beta: Variable | null = null;

  constructor(className: string, options: NormalizationArgs, own: string[]) {
    checkLayerOptions(className, options, [...BASE_OPTIONS, ...own]);
    super(options);
    const axis = options.axis ?? -1;
    this.axis = Array.isArray(axis) ? [...axis] : [axis];
    if (!this.axis.length || !this.axis.every(Number.isInteger)) throw new Error(`${className}: axis must be an integer or a list of integers, got ${JSON.stringify(options.axis)}.`);
    this.epsilon = options.epsilon ?? 1e-3;
    if (!(this.epsilon > 0)) throw new Error(`${className}: epsilon must be positive, got ${options.epsilon}.`);
    this.center = options.center ?? true;
    this.scale = options.scale ?? true;
    this.betaInitializer = getInitializer(options.betaInitializer ?? 'zeros');
    this.gammaInitializer = getInitializer(options.gammaInitializer ?? 'ones');
    this.betaRegularizer = getRegularizer(options.betaRegularizer);
    this.gammaRegularizer = getRegularizer(options.gammaRegularizer);
  }

  /** Axes normalized, as non-negative indices into a shape of this rank; each must be known. */
  protected resolveAxes(inputShape: SymbolicShape): number[] {
    this.ensureName();
    const axes = this.axis.map((a) => (a < 0 ? a + inputShape.length : a));
    for (const a of axes) {
      if (a <= 0 || a >= inputShape.length) throw new Error(`${this.className} '${this.name}': axis ${a} is out of range for inputs of shape [${inputShape.join(', ')}] (the batch axis cannot be normalized over).`);
      if (inputShape[a] === null) throw new Error(`${this.className} '${this.name}': the size of axis ${a} must be known, got shape [${inputShape.join(', ')}].`);
    }
    return axes;
  }

  protected addScaleAndOffset(shape: number[]): void {
    if (this.scale) this.gamma = this.addWeight('gamma', shape, this.gammaInitializer, this.gammaRegularizer);
    if (this.center) this.beta = this.addWeight('beta', shape, this.betaInitializer, this.betaRegularizer);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis.length === 1 ? this.axis[0] : this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serializeInitializer(this.betaInitializer),
      gammaInitializer: serializeInitializer(this.gammaInitializer),
      betaRegularizer: serializeRegularizer(this.betaRegularizer),
      gammaRegularizer: serializeRegularizer(this.gammaRegularizer),
    };
  }
}

export class BatchNormalization extends Normalization {
  readonly className = 'BatchNormalization';
  readonly momentum: number;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  movingMean: Variable | null = null;
  movingVariance: Variable | null = null;

  constructor(args: BatchNormalizationArgs = {}) {
    super('BatchNormalization', args, ['momentum', 'movingMeanInitializer', 'movingVarianceInitializer']);
    if (this.axis.length !== 1) throw new Error(`BatchNormalization: axis must be one integer (the channel axis), got ${JSON.stringify(args.axis)}.`);
    this.momentum = args.momentum ?? 0.99;
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new Error(`BatchNormalization: momentum must be in [0, 1], got ${args.momentum}.`);
    this.movingMeanInitializer = getInitializer(args.movingMeanInitializer ?? 'zeros');
    this.movingVarianceInitializer = getInitializer(args.movingVarianceInitializer ?? 'ones');
  }

  override build(inputShape: SymbolicShape): void {
    const [axis] = this.resolveAxes(inputShape);
    const c = inputShape[axis] as number;
    this.addScaleAndOffset([c]);
    this.movingMean = this.addWeight('moving_mean', [c], this.movingMeanInitializer, null, false);
    this.movingVariance = this.addWeight('moving_variance', [c], this.movingVarianceInitializer, null, false);
    this.built = true;
  }

  call(input: Tensor, training: boolean): Tensor {
    const axis = this.axis[0] < 0 ? this.axis[0] + input.rank : this.axis[0];
    const c = this.movingMean!.size;
    if (input.shape[axis] !== c) throw new Error(`BatchNormalization '${this.name}' was built for ${c} channels on axis ${this.axis[0]}, got input of shape [${input.shape.join(', ')}].`);
    const options = { axis, epsilon: this.epsilon, momentum: this.momentum };
    if (!(training && this.trainable)) return ops.batchNorm(input, this.movingMean!, this.movingVariance!, this.gamma, this.beta, options);
    const mask = getMask(input);
    if (mask) return this.maskedTraining(input, mask, axis);
    // The op moves the moving statistics toward this batch's in place (so a replayed step updates them too).
    return ops.batchNormTraining(input, this.gamma, this.beta, this.movingMean!, this.movingVariance!, options);
  }

  /**
   * Training with a sequence mask, as Keras 3's BatchNormalization._moments: the batch statistics count the unmasked
   * steps only, with w = the mask spread over the last axis, mean = Σ w·x / (Σ w + 1e-7) and
   * variance = Σ w·(w·x − mean)² / (Σ w + 1e-7) over every axis but the channel axis; the moving statistics move
   * toward them (an assign op, so a replayed step moves them too). Throws when the mask is not the input's leading
   * dimensions (one axis fewer).
   */
  private maskedTraining(input: Tensor, mask: Tensor, axis: number): Tensor {
    if (mask.rank !== input.rank - 1 || mask.shape.some((d, i) => d !== input.shape[i])) {
      throw new Error(`BatchNormalization '${this.name}': the mask has shape [${mask.shape.join(', ')}], expected the input's leading dimensions [${input.shape.slice(0, -1).join(', ')}] (input shape [${input.shape.join(', ')}]).`);
    }
    const axes = input.shape.map((_, i) => i).filter((i) => i !== axis);
    const channel = input.shape.map((d, i) => (i === axis ? d : 1));
    const w = ops.expandDims(mask, -1);
    const count = ops.add(ops.sum(ops.mul(w, ones(input.shape)), axes, true), 1e-7);
    const weighted = ops.mul(w, input);
    const mean = ops.div(ops.sum(weighted, axes, true), count);
    const variance = ops.div(ops.sum(ops.mul(w, ops.square(ops.sub(weighted, mean))), axes, true), count);
    const c = this.movingMean!.size, m = this.momentum;
    ops.assign(this.movingMean!, ops.add(ops.mul(this.movingMean!, m), ops.mul(ops.reshape(mean, [c]), 1 - m)));
    ops.assign(this.movingVariance!, ops.add(ops.mul(this.movingVariance!, m), ops.mul(ops.reshape(variance, [c]), 1 - m)));
    let y = ops.div(ops.sub(input, mean), ops.sqrt(ops.add(variance, this.epsilon)));
    if (this.gamma) y = ops.mul(y, ops.reshape(this.gamma, channel));
    if (this.beta) y = ops.add(y, ops.reshape(this.beta, channel));
    return y;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      momentum: this.momentum,
      movingMeanInitializer: serializeInitializer(this.movingMeanInitializer),
      movingVarianceInitializer: serializeInitializer(this.movingVarianceInitializer),
    };
  }
}

/** (x − mean)/√(var + ε) with moments over `axes` of each sample (kept as size-1 dimensions). */
function standardize(x: Tensor, axes: number[], epsilon: number): Tensor {
  const mean = ops.mean(x, axes, true);
  const centered = ops.sub(x, mean);
  const variance = ops.mean(ops.square(centered), axes, true);
  return ops.div(centered, ops.sqrt(ops.add(variance, epsilon)));
}

export class LayerNormalization extends Normalization {
  readonly className = 'LayerNormalization';
  private paramShape: number[] = [];

  constructor(args: NormalizationArgs & { rmsScaling?: boolean } = {}) {
    if (args.rmsScaling) throw new Error('LayerNormalization: rmsScaling is not supported; leave it unset.');
    const { rmsScaling: _r, ...rest } = args;
    super('LayerNormalization', rest, []);
  }

  override build(inputShape: SymbolicShape): void {
    const axes = this.resolveAxes(inputShape);
    this.addScaleAndOffset(axes.sort((a, b) => a - b).map((a) => inputShape[a] as number));
    this.built = true;
  }

  call(input: Tensor): Tensor {
    const axes = this.resolveAxes([null, ...input.shape.slice(1)]).sort((a, b) => a - b);
    // γ and β broadcast as [1, ..., size of each normalized axis, ...].
    const shape = input.shape.map((d, i) => (axes.includes(i) ? d : 1));
    let y = standardize(input, axes, this.epsilon);
    if (this.gamma) y = ops.mul(y, ops.reshape(this.gamma, shape));
    if (this.beta) y = ops.add(y, ops.reshape(this.beta, shape));
    return y;
  }
}

export class GroupNormalization extends Normalization {
  readonly className = 'GroupNormalization';
  readonly groups: number;

  constructor(args: GroupNormalizationArgs = {}) {
    super('GroupNormalization', args, ['groups']);
    this.groups = args.groups ?? 32;
    if (!Number.isInteger(this.groups) || this.groups < 1) throw new Error(`GroupNormalization: groups must be a positive integer, got ${args.groups}.`);
    if (this.axis.length !== 1) throw new Error(`GroupNormalization: axis must be one axis (the channels'), got ${JSON.stringify(args.axis)}.`);
  }

  override build(inputShape: SymbolicShape): void {
    const [axis] = this.resolveAxes(inputShape);
    const c = inputShape[axis] as number;
    if (c % this.groups !== 0) throw new Error(`GroupNormalization '${this.name}': groups (${this.groups}) must divide the channels (${c}).`);
    this.addScaleAndOffset([c]);
    this.built = true;
  }

  call(input: Tensor): Tensor {
    const [axis] = this.resolveAxes([null, ...input.shape.slice(1)]);
    const c = input.shape[axis], g = this.groups;
    if (c % g !== 0) throw new Error(`GroupNormalization '${this.name}': groups (${g}) must divide the channels (${c}).`);
    // The channel axis split into [groups, c/groups] in place: moments over everything but the batch and group axes.
    const grouped = ops.reshape(input, [...input.shape.slice(0, axis), g, c / g, ...input.shape.slice(axis + 1)]);
    const axes = Array.from({ length: grouped.rank }, (_, i) => i).filter((i) => i !== 0 && i !== axis);
    let y = ops.reshape(standardize(grouped, axes, this.epsilon), input.shape);
    // γ and β [c] broadcast along the channel axis.
    const shape = input.shape.map((d, i) => (i === axis ? d : 1));
    if (this.gamma) y = ops.mul(y, ops.reshape(this.gamma, shape));
    if (this.beta) y = ops.add(y, ops.reshape(this.beta, shape));
    return y;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), groups: this.groups };
  }
}

registerLayer('BatchNormalization', BatchNormalization);
registerLayer('LayerNormalization', LayerNormalization);
registerLayer('GroupNormalization', GroupNormalization);
