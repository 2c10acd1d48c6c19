// Pooling layers (Keras 3 names and defaults; channels last unless dataFormat: 'channels_first').
//   MaxPoolingND / AveragePoolingND: max or mean over each poolSize window (default 2), moved by strides (default
//   poolSize); padding 'valid' (default) or 'same' (averages count only real inputs, as TensorFlow).
//   GlobalMaxPoolingND / GlobalAveragePoolingND: max or mean over all spatial positions; keepdims keeps them as 1s.

import type { Tensor } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';
import { getMask } from './mask.js';
import { formatShape } from '../tensor/shape.js';
import { Layer, registerLayer, checkLayerOptions, type LayerArgs, type SymbolicShape } from './layer.js';
import { windowOutputLength } from '../backend/conv-geometry.js';
import { dataFormatOf, tupleOf, checkSpatialRank, toChannelsLast, toChannelsFirst, shapeToLast, shapeFromLast, type DataFormat, type DataFormatIdentifier } from './spatial.js';

export interface PoolingArgs extends LayerArgs {
  /** Window size: a number or one per spatial dimension (default 2). */
  poolSize?: number | number[];
  /** Step of the window (default: poolSize). */
  strides?: number | number[] | null;
  /** 'valid' (default) or 'same'. */
  padding?: 'valid' | 'same';
  /** 'channels_last' (default) or 'channels_first'. */
  dataFormat?: DataFormatIdentifier | null;
}

abstract class Pooling extends Layer {
  readonly rank: number;
  readonly mode: 'max' | 'avg';
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dataFormat: DataFormat;

  constructor(className: string, rank: number, mode: 'max' | 'avg', poolOrArgs: number | number[] | PoolingArgs | undefined, args: PoolingArgs | undefined) {
    const options: PoolingArgs = typeof poolOrArgs === 'number' || Array.isArray(poolOrArgs) ? { ...args, poolSize: poolOrArgs } : (poolOrArgs ?? {});
    checkLayerOptions(className, options, ['poolSize', 'strides', 'padding', 'dataFormat']);
    super(options);
    this.rank = rank;
    this.mode = mode;
    this.poolSize = tupleOf(options.poolSize ?? 2, rank, 'poolSize', className);
    this.strides = tupleOf(options.strides ?? this.poolSize, rank, 'strides', className);
    const padding = options.padding ?? 'valid';
    if (padding !== 'valid' && padding !== 'same') throw new Error(`${className}: padding must be 'valid' or 'same', got ${JSON.stringify(padding)}.`);
    this.padding = padding;
    this.dataFormat = dataFormatOf(options.dataFormat, className);
  }

  override build(inputShape: SymbolicShape): void {
    this.computeOutputShape(inputShape);
    this.built = true;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.ensureName();
    checkSpatialRank(inputShape, this.rank, this.className, this.name);
    const last = shapeToLast(inputShape, this.dataFormat);
    const spatial = last.slice(1, -1).map((n, d) => {
      const out = windowOutputLength(n, this.poolSize[d], this.strides[d], 1, this.padding);
      if (out !== null && out <= 0) throw new Error(`${this.className} '${this.name}': the pool ${this.poolSize.join('×')} is larger than the input ${last.slice(1, -1).join('×')} with padding 'valid'; use padding 'same' or a smaller poolSize.`);
      return out;
    });
    return shapeFromLast([last[0], ...spatial, last[last.length - 1]], this.dataFormat);
  }

  call(input: Tensor): Tensor {
    checkSpatialRank([null, ...input.shape.slice(1)], this.rank, this.className, this.name);
    const x = this.dataFormat === 'channelsFirst' ? toChannelsLast(input, this.rank) : input;
    const options = { strides: this.strides, padding: this.padding };
    const y = this.mode === 'max' ? ops.maxPool(x, this.poolSize, options) : ops.avgPool(x, this.poolSize, options);
    return this.dataFormat === 'channelsFirst' ? toChannelsFirst(y, this.rank) : y;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), poolSize: this.poolSize, strides: this.strides, padding: this.padding, dataFormat: this.dataFormat };
  }
}

export class MaxPooling1D extends Pooling {
  readonly className = 'MaxPooling1D';
  constructor(poolOrArgs?: number | number[] | PoolingArgs, args?: PoolingArgs) {
    super('MaxPooling1D', 1, 'max', poolOrArgs, args);
  }
}
/** new MaxPooling2D({ poolSize: 2 }) or new MaxPooling2D(2). */
export class MaxPooling2D extends Pooling {
  readonly className = 'MaxPooling2D';
  constructor(poolOrArgs?: number | number[] | PoolingArgs, args?: PoolingArgs) {
    super('MaxPooling2D', 2, 'max', poolOrArgs, args);
  }
}
export class MaxPooling3D extends Pooling {
  readonly className = 'MaxPooling3D';
  constructor(poolOrArgs?: number | number[] | PoolingArgs, args?: PoolingArgs) {
    super('MaxPooling3D', 3, 'max', poolOrArgs, args);
  }
}
export class AveragePooling1D extends Pooling {
  readonly className = 'AveragePooling1D';
  constructor(poolOrArgs?: number | number[] | PoolingArgs, args?: PoolingArgs) {
    super('AveragePooling1D', 1, 'avg', poolOrArgs, args);
  }
}
export class AveragePooling2D extends Pooling {
  readonly className = 'AveragePooling2D';
  constructor(poolOrArgs?: number | number[] | PoolingArgs, args?: PoolingArgs) {
    super('AveragePooling2D', 2, 'avg', poolOrArgs, args);
  }
}
export class AveragePooling3D extends Pooling {
  readonly className = 'AveragePooling3D';
  constructor(poolOrArgs?: number | number[] | PoolingArgs, args?: PoolingArgs) {
    super('AveragePooling3D', 3, 'avg', poolOrArgs, args);
  }
}

export interface GlobalPoolingArgs extends LayerArgs {
  /** 'channels_last' (default) or 'channels_first'. */
  dataFormat?: DataFormatIdentifier | null;
  /** Keep the spatial dimensions as size 1 (default false). */
  keepdims?: boolean;
}

abstract class GlobalPooling extends Layer {
  readonly rank: number;
  readonly mode: 'max' | 'avg';
  readonly dataFormat: DataFormat;
  readonly keepdims: boolean;

  constructor(className: string, rank: number, mode: 'max' | 'avg', args: GlobalPoolingArgs = {}) {
    checkLayerOptions(className, args, ['dataFormat', 'keepdims']);
    super(args);
    this.rank = rank;
    this.mode = mode;
    this.dataFormat = dataFormatOf(args.dataFormat, className);
    this.keepdims = args.keepdims ?? false;
  }

  private axes(): number[] {
    const first = this.dataFormat === 'channelsLast' ? 1 : 2;
    return Array.from({ length: this.rank }, (_, i) => first + i);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.ensureName();
    checkSpatialRank(inputShape, this.rank, this.className, this.name);
    const axes = this.axes();
    if (this.keepdims) return inputShape.map((d, i) => (axes.includes(i) ? 1 : d));
    return inputShape.filter((_, i) => !axes.includes(i));
  }

  call(input: Tensor): Tensor {
    checkSpatialRank([null, ...input.shape.slice(1)], this.rank, this.className, this.name);
    return this.mode === 'max' ? ops.max(input, this.axes(), this.keepdims) : ops.mean(input, this.axes(), this.keepdims);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: this.dataFormat, keepdims: this.keepdims };
  }
}

export class GlobalMaxPooling1D extends GlobalPooling {
  readonly className = 'GlobalMaxPooling1D';
  constructor(args?: GlobalPoolingArgs) {
    super('GlobalMaxPooling1D', 1, 'max', args);
  }
}
export class GlobalMaxPooling2D extends GlobalPooling {
  readonly className = 'GlobalMaxPooling2D';
  constructor(args?: GlobalPoolingArgs) {
    super('GlobalMaxPooling2D', 2, 'max', args);
  }
}
export class GlobalMaxPooling3D extends GlobalPooling {
  readonly className = 'GlobalMaxPooling3D';
  constructor(args?: GlobalPoolingArgs) {
    super('GlobalMaxPooling3D', 3, 'max', args);
  }
}
/**
 * Mean over the steps of [batch, steps, features] (channelsFirst: [batch, features, steps]) → [batch, features]
 * ([batch, 1, features] with keepdims). With a [batch, steps] mask (Embedding with maskZero, Masking, withMask) it
 * averages the unmasked steps only, Σₜ mₜ·xₜ / Σₜ mₜ, and returns no mask: Keras 3's GlobalAveragePooling1D. As in
 * Keras, a row whose steps are all masked gives NaN (0/0). Throws when the mask is not [batch, steps].
 */
export class GlobalAveragePooling1D extends GlobalPooling {
  readonly className = 'GlobalAveragePooling1D';
  override readonly supportsMasking = true;
  constructor(args?: GlobalPoolingArgs) {
    super('GlobalAveragePooling1D', 1, 'avg', args);
  }

  override call(input: Tensor): Tensor {
    const mask = getMask(input);
    if (!mask) return super.call(input);
    checkSpatialRank([null, ...input.shape.slice(1)], 1, this.className, this.name);
    const last = this.dataFormat === 'channelsLast';
    const [batch, steps] = [input.shape[0], input.shape[last ? 1 : 2]];
    if (mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== steps) {
      throw new Error(`GlobalAveragePooling1D '${this.name}': the mask has shape ${formatShape(mask.shape)}, expected [batch, steps] = [${batch}, ${steps}] for an input of shape ${formatShape(input.shape)}.`);
    }
    const m = ops.reshape(mask, last ? [batch, steps, 1] : [batch, 1, steps]);
    const axis = last ? 1 : 2;
    return ops.div(ops.sum(ops.mul(input, m), axis, this.keepdims), ops.sum(m, axis, this.keepdims));
  }

  /** The steps are pooled away: no mask goes further (Keras's compute_mask returns None). */
  override computeMask(): null {
    return null;
  }
}
export class GlobalAveragePooling2D extends GlobalPooling {
  readonly className = 'GlobalAveragePooling2D';
  constructor(args?: GlobalPoolingArgs) {
    super('GlobalAveragePooling2D', 2, 'avg', args);
  }
}
export class GlobalAveragePooling3D extends GlobalPooling {
  readonly className = 'GlobalAveragePooling3D';
  constructor(args?: GlobalPoolingArgs) {
    super('GlobalAveragePooling3D', 3, 'avg', args);
  }
}

registerLayer('MaxPooling1D', MaxPooling1D);
registerLayer('MaxPooling2D', MaxPooling2D);
registerLayer('MaxPooling3D', MaxPooling3D);
registerLayer('AveragePooling1D', AveragePooling1D);
registerLayer('AveragePooling2D', AveragePooling2D);
registerLayer('AveragePooling3D', AveragePooling3D);
registerLayer('GlobalMaxPooling1D', GlobalMaxPooling1D);
registerLayer('GlobalMaxPooling2D', GlobalMaxPooling2D);
registerLayer('GlobalMaxPooling3D', GlobalMaxPooling3D);
registerLayer('GlobalAveragePooling1D', GlobalAveragePooling1D);
registerLayer('GlobalAveragePooling2D', GlobalAveragePooling2D);
registerLayer('GlobalAveragePooling3D', GlobalAveragePooling3D);
