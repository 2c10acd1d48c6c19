// Regularization layers that are active only in training (identity at inference), Keras 3 names and defaults:
//   SpatialDropoutND: drop whole channels: each (sample, channel) is zeroed with probability rate and the rest
//                     scaled by 1/(1 − rate) (Tompson et al. 2015).
//   GaussianNoise:    y = x + n,  n ~ N(0, stddev²).
//   GaussianDropout:  y = x · n,  n ~ N(1, rate/(1 − rate)) (Srivastava et al. 2014).
// seed gives the layer its own random stream (default: the global setSeed generator).

import { Tensor, ones } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';
import { getRng, type Rng } from '../tensor/random.js';
import { Layer, registerLayer, checkLayerOptions, type LayerArgs, type SymbolicShape } from './layer.js';
import { dataFormatOf, checkSpatialRank, type DataFormat, type DataFormatIdentifier } from './spatial.js';

abstract class Noise extends Layer {
  readonly seed?: number;
  /** Noise is per element, so a sequence mask stays valid (Keras 3's dropout and noise layers support masking). */
  override readonly supportsMasking = true;
  private rng: Rng | null = null;
  constructor(args: LayerArgs & { seed?: number }) {
    super(args);
    this.seed = args.seed;
  }
  protected random(): Rng {
    return this.seed === undefined ? getRng() : (this.rng ??= getRng(this.seed));
  }
  /** The generator the random ops draw from at each run (so a captured step draws fresh noise every step). */
  protected readonly stream = (): Rng => this.random();
}

function checkRate(rate: number | undefined, what: string): number {
  if (!(rate !== undefined && rate >= 0 && rate < 1)) throw new Error(`${what}: rate must be in [0, 1), got ${rate}.`);
  return rate;
}

abstract class SpatialDropout extends Noise {
  readonly rank: number;
  readonly rate: number;
  readonly dataFormat: DataFormat;
  constructor(className: string, rank: number, rateOrArgs: number | (LayerArgs & { rate?: number; seed?: number; dataFormat?: DataFormatIdentifier | null }), args: LayerArgs = {}) {
    const options = typeof rateOrArgs === 'number' ? { ...args, rate: rateOrArgs } : rateOrArgs;
    checkLayerOptions(className, options, ['rate', 'seed', 'dataFormat']);
    super(options);
    this.rank = rank;
    this.rate = checkRate(options.rate, className);
    this.dataFormat = dataFormatOf(rank === 1 ? undefined : options.dataFormat, className);
  }
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.ensureName();
    checkSpatialRank(inputShape, this.rank, this.className, this.name);
    return inputShape;
  }
  call(input: Tensor, training: boolean): Tensor {
    if (!training || this.rate === 0) return input;
    const last = this.dataFormat === 'channelsLast';
    const c = input.shape[last ? input.rank - 1 : 1];
    const shape = input.shape.map((d, i) => (i === 0 ? d : i === (last ? input.rank - 1 : 1) ? c : 1));
    const mask = ops.dropout(ones([input.shape[0] * c]), this.rate, this.stream); // 0 or 1/(1 − rate) per sample and channel
    return ops.mul(input, ops.reshape(mask, shape));
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed ?? null, ...(this.rank > 1 ? { dataFormat: this.dataFormat } : {}) };
  }
}

export class SpatialDropout1D extends SpatialDropout {
  readonly className = 'SpatialDropout1D';
  constructor(rateOrArgs: number | (LayerArgs & { rate?: number; seed?: number }), args?: LayerArgs) { super('SpatialDropout1D', 1, rateOrArgs, args); }
}
/** new SpatialDropout2D(0.2): drops whole feature maps. */
export class SpatialDropout2D extends SpatialDropout {
  readonly className = 'SpatialDropout2D';
  constructor(rateOrArgs: number | (LayerArgs & { rate?: number; seed?: number; dataFormat?: DataFormatIdentifier | null }), args?: LayerArgs) { super('SpatialDropout2D', 2, rateOrArgs, args); }
}
export class SpatialDropout3D extends SpatialDropout {
  readonly className = 'SpatialDropout3D';
  constructor(rateOrArgs: number | (LayerArgs & { rate?: number; seed?: number; dataFormat?: DataFormatIdentifier | null }), args?: LayerArgs) { super('SpatialDropout3D', 3, rateOrArgs, args); }
}

/** new GaussianNoise(0.1): adds N(0, stddev²) noise in training. */
export class GaussianNoise extends Noise {
  readonly className = 'GaussianNoise';
  readonly stddev: number;
  constructor(stddevOrArgs: number | (LayerArgs & { stddev?: number; seed?: number }), args: LayerArgs = {}) {
    const options = typeof stddevOrArgs === 'number' ? { ...args, stddev: stddevOrArgs } : stddevOrArgs;
    checkLayerOptions('GaussianNoise', options, ['stddev', 'seed']);
    super(options);
    if (!(options.stddev !== undefined && options.stddev >= 0)) throw new Error(`GaussianNoise: stddev must be a number >= 0, got ${options.stddev}.`);
    this.stddev = options.stddev;
  }
  call(input: Tensor, training: boolean): Tensor {
    if (!training || this.stddev === 0) return input;
    return ops.add(input, ops.randomNormal(input.shape, 0, this.stddev, this.stream));
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed ?? null };
  }
}

/** new GaussianDropout(0.2): multiplies by N(1, rate/(1 − rate)) noise in training. */
export class GaussianDropout extends Noise {
  readonly className = 'GaussianDropout';
  readonly rate: number;
  constructor(rateOrArgs: number | (LayerArgs & { rate?: number; seed?: number }), args: LayerArgs = {}) {
    const options = typeof rateOrArgs === 'number' ? { ...args, rate: rateOrArgs } : rateOrArgs;
    checkLayerOptions('GaussianDropout', options, ['rate', 'seed']);
    super(options);
    this.rate = checkRate(options.rate, 'GaussianDropout');
  }
  call(input: Tensor, training: boolean): Tensor {
    if (!training || this.rate === 0) return input;
    return ops.mul(input, ops.randomNormal(input.shape, 1, Math.sqrt(this.rate / (1 - this.rate)), this.stream));
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed ?? null };
  }
}

registerLayer('SpatialDropout1D', SpatialDropout1D);
registerLayer('SpatialDropout2D', SpatialDropout2D);
registerLayer('SpatialDropout3D', SpatialDropout3D);
registerLayer('GaussianNoise', GaussianNoise);
registerLayer('GaussianDropout', GaussianDropout);
