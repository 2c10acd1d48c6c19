// Convolution layers (Keras 3 names, options and defaults; channels last unless dataFormat: 'channels_first').
//   ConvND:           y = activation(x ⋆ kernel + bias),   kernel [...kernelSize, inChannels/groups, filters]
//   ConvNDTranspose:  y = activation(x ⋆ᵀ kernel + bias),  kernel [...kernelSize, filters, inChannels]
//   DepthwiseConvND:  one filter bank per channel,        depthwise_kernel [...kernelSize, inChannels, depthMultiplier]
//   SeparableConvND:  depthwise, then a 1×1 convolution,  + pointwise_kernel [1, ..., inChannels·depthMultiplier, filters]
// Output length per spatial dimension: 'valid' floor((n − k_eff)/s) + 1, 'same' ceil(n/s), 'causal' (1-D) ceil(n/s)
// with left padding only; k_eff = (k − 1)·dilation + 1. Transposed: n·s ('same'), n·s + max(k_eff − s, 0) ('valid').
// Weights are named as TF.js and Keras name them (kernel, bias, depthwise_kernel, pointwise_kernel).

import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import * as ops from '../ops/index.js';
import { Layer, registerLayer, checkLayerOptions, type LayerArgs, type SymbolicShape } from './layer.js';
import { getActivation, type ActivationIdentifier, type ActivationFn } from '../activations/index.js';
import { getInitializer, serializeInitializer, type InitializerIdentifier, type Initializer } from '../initializers/index.js';
import { getRegularizer, type Regularizer, type RegularizerIdentifier, serializeRegularizer } from '../regularizers/index.js';
import { windowOutputLength, type Padding } from '../backend/conv-geometry.js';
import { dataFormatOf, tupleOf, checkSpatialRank, toChannelsLast, toChannelsFirst, shapeToLast, shapeFromLast, type DataFormat, type DataFormatIdentifier } from './spatial.js';

export interface ConvArgs extends LayerArgs {
  /** Number of output channels (required; not for DepthwiseConv). */
  filters?: number;
  /** Window size: a number or one per spatial dimension (required). */
  kernelSize?: number | number[];
  /** Step of the window (default 1). */
  strides?: number | number[];
  /** 'valid' (default), 'same', or 'causal' (Conv1D only). */
  padding?: Padding;
  /** 'channels_last' (default: [batch, ...spatial, channels]) or 'channels_first'. */
  dataFormat?: DataFormatIdentifier | null;
  /** Spacing of the kernel taps (default 1). */
  dilationRate?: number | number[];
  /** Channel groups, each convolved separately (default 1; Conv only). */
  groups?: number;
  /** Activation of the output (default none). */
  activation?: ActivationIdentifier | null;
  /** Add a bias per output channel (default true). */
  useBias?: boolean;
  /** Default 'glorotUniform', as Keras. */
  kernelInitializer?: InitializerIdentifier;
  /** Default 'zeros'. */
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  activityRegularizer?: RegularizerIdentifier | null;
  /** Transposed convolutions: only null (Keras's default) is supported. */
  outputPadding?: null;
  /** DepthwiseConv and SeparableConv: output channels per input channel (default 1). */
  depthMultiplier?: number;
  depthwiseInitializer?: InitializerIdentifier;
  pointwiseInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier | null;
  pointwiseRegularizer?: RegularizerIdentifier | null;
}

const COMMON = ['kernelSize', 'strides', 'padding', 'dataFormat', 'dilationRate', 'activation', 'useBias', 'biasInitializer', 'biasRegularizer', 'activityRegularizer',
  'kernelConstraint', 'biasConstraint'];
const CONV_OPTIONS = [...COMMON, 'filters', 'groups', 'kernelInitializer', 'kernelRegularizer'];
const TRANSPOSE_OPTIONS = [...COMMON, 'filters', 'kernelInitializer', 'kernelRegularizer', 'outputPadding'];
const DEPTHWISE_OPTIONS = [...COMMON, 'depthMultiplier', 'depthwiseInitializer', 'depthwiseRegularizer', 'depthwiseConstraint'];
const SEPARABLE_OPTIONS = [...DEPTHWISE_OPTIONS, 'filters', 'pointwiseInitializer', 'pointwiseRegularizer', 'pointwiseConstraint'];

type Kind = 'conv' | 'transpose' | 'depthwise' | 'separable';
const OPTIONS: Record<Kind, string[]> = { conv: CONV_OPTIONS, transpose: TRANSPOSE_OPTIONS, depthwise: DEPTHWISE_OPTIONS, separable: SEPARABLE_OPTIONS };


/** Shared by every convolution layer: options, bias, activation, channels-first handling, shape inference. */
abstract class BaseConv extends Layer {
  readonly rank: number;
  readonly kind: Kind;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: Padding;
  readonly dataFormat: DataFormat;
  readonly dilationRate: number[];
  readonly groups: number;
  readonly depthMultiplier: number;
  readonly activationName: string;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly pointwiseInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly pointwiseRegularizer: Regularizer | null;
  readonly activityRegularizer: Regularizer | null;
  kernel: Variable | null = null;
  pointwiseKernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(className: string, rank: number, kind: Kind, filtersOrArgs: number | ConvArgs | undefined, kernelSize: number | number[] | undefined, args: ConvArgs | undefined) {
    const options: ConvArgs = typeof filtersOrArgs === 'number' ? { ...args, filters: filtersOrArgs, ...(kernelSize !== undefined ? { kernelSize } : {}) } : (filtersOrArgs ?? {});
    if (typeof options !== 'object') throw new Error(`${className}: expected an options object such as { filters: 32, kernelSize: 3 }, got ${typeof filtersOrArgs}.`);
    checkLayerOptions(className, options, OPTIONS[kind]);
    super(options);
    this.rank = rank;
    this.kind = kind;
    const needsFilters = kind !== 'depthwise';
    if (needsFilters && !(Number.isInteger(options.filters) && options.filters! > 0)) throw new Error(`${className}: filters must be a positive integer, got ${options.filters}.`);
    this.filters = needsFilters ? options.filters! : 0;
    if (options.kernelSize === undefined) throw new Error(`${className}: kernelSize is required (a number or a list of ${rank}).`);
    this.kernelSize = tupleOf(options.kernelSize, rank, 'kernelSize', className);
    this.strides = tupleOf(options.strides ?? 1, rank, 'strides', className);
    this.dilationRate = tupleOf(options.dilationRate ?? 1, rank, 'dilationRate', className);
    const padding = options.padding ?? 'valid';
    const allowed: Padding[] = rank === 1 && kind === 'conv' ? ['valid', 'same', 'causal'] : ['valid', 'same'];
    if (!allowed.includes(padding)) throw new Error(`${className}: padding must be ${allowed.map((p) => `'${p}'`).join(' or ')}, got ${JSON.stringify(padding)}.`);
    this.padding = padding;
    this.dataFormat = dataFormatOf(options.dataFormat, className);
    this.groups = options.groups ?? 1;
    if (!Number.isInteger(this.groups) || this.groups < 1 || (needsFilters && this.filters % this.groups !== 0)) {
      throw new Error(`${className}: groups must be a positive integer dividing filters (${this.filters}), got ${options.groups}.`);
    }
    this.depthMultiplier = options.depthMultiplier ?? 1;
    if (!Number.isInteger(this.depthMultiplier) || this.depthMultiplier < 1) throw new Error(`${className}: depthMultiplier must be a positive integer, got ${options.depthMultiplier}.`);
    if (options.outputPadding !== undefined && options.outputPadding !== null) throw new Error(`${className}: outputPadding is not supported (got ${JSON.stringify(options.outputPadding)}); leave it unset.`);
    const act = getActivation(options.activation);
    this.activationName = act.name;
    this.activation = act.fn;
    this.useBias = options.useBias ?? true;
    const depthwise = kind === 'depthwise' || kind === 'separable';
    this.kernelInitializer = getInitializer((depthwise ? options.depthwiseInitializer : options.kernelInitializer) ?? 'glorotUniform');
    this.pointwiseInitializer = getInitializer(options.pointwiseInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(options.biasInitializer ?? 'zeros');
    this.kernelRegularizer = getRegularizer(depthwise ? options.depthwiseRegularizer : options.kernelRegularizer);
    this.pointwiseRegularizer = getRegularizer(options.pointwiseRegularizer);
    this.biasRegularizer = getRegularizer(options.biasRegularizer);
    this.activityRegularizer = getRegularizer(options.activityRegularizer);
  }

  /** Output channels for a given number of input channels. */
  protected outChannels(inChannels: number): number {
    return this.kind === 'depthwise' ? inChannels * this.depthMultiplier : this.filters;
  }

  override build(inputShape: SymbolicShape): void {
    this.ensureName();
    checkSpatialRank(inputShape, this.rank, this.className, this.name);
    const last = shapeToLast(inputShape, this.dataFormat);
    const cin = last[last.length - 1];
    if (cin === null) throw new Error(`${this.className} '${this.name}': the channel dimension of the input must be known, got ${JSON.stringify(inputShape)}.`);
    if (this.kind === 'conv' && cin % this.groups !== 0) throw new Error(`${this.className} '${this.name}': groups (${this.groups}) must divide the input channels (${cin}).`);
    this.computeOutputShape(inputShape); // a window that does not fit fails here, before any weight exists
    const k = this.kernelSize;
    if (this.kind === 'conv') this.kernel = this.addWeight('kernel', [...k, cin / this.groups, this.filters], this.kernelInitializer, this.kernelRegularizer);
    else if (this.kind === 'transpose') this.kernel = this.addWeight('kernel', [...k, this.filters, cin], this.kernelInitializer, this.kernelRegularizer);
    else {
      this.kernel = this.addWeight('depthwise_kernel', [...k, cin, this.depthMultiplier], this.kernelInitializer, this.kernelRegularizer);
      if (this.kind === 'separable') this.pointwiseKernel = this.addWeight('pointwise_kernel', [...k.map(() => 1), cin * this.depthMultiplier, this.filters], this.pointwiseInitializer, this.pointwiseRegularizer);
    }
    if (this.useBias) this.bias = this.addWeight('bias', [this.outChannels(cin)], this.biasInitializer, this.biasRegularizer);
    this.built = true;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.ensureName();
    checkSpatialRank(inputShape, this.rank, this.className, this.name);
    const last = shapeToLast(inputShape, this.dataFormat);
    const spatial = last.slice(1, -1).map((n, d) => {
      const k = this.kernelSize[d], s = this.strides[d], dil = this.dilationRate[d];
      if (this.kind === 'transpose') return n === null ? null : this.padding === 'same' ? n * s : n * s + Math.max((k - 1) * dil + 1 - s, 0);
      const out = windowOutputLength(n, k, s, dil, this.padding);
      if (out !== null && out <= 0) {
        throw new Error(`${this.className} '${this.name}': the kernel ${this.kernelSize.join('×')}${dil > 1 ? ` (dilation ${dil})` : ''} is larger than the input ${last.slice(1, -1).join('×')} with padding 'valid'; use padding 'same' or a smaller kernel.`);
      }
      return out;
    });
    const cin = last[last.length - 1];
    return shapeFromLast([last[0], ...spatial, cin === null ? null : this.outChannels(cin)], this.dataFormat);
  }

  /** The convolution itself, channels last. */
  protected convolve(x: Tensor): Tensor {
    const options = { strides: this.strides, padding: this.padding, dilations: this.dilationRate };
    switch (this.kind) {
      case 'conv': return ops.conv(x, this.kernel!, { ...options, groups: this.groups });
      case 'transpose': return ops.convTranspose(x, this.kernel!, options as ops.ConvTransposeOptions);
      case 'depthwise': return ops.depthwiseConv(x, this.kernel!, options);
      case 'separable': return ops.conv(ops.depthwiseConv(x, this.kernel!, options), this.pointwiseKernel!);
    }
  }

  call(input: Tensor): Tensor {
    const k = this.kernel!.shape;
    const cin = this.kind === 'conv' ? k[this.rank] * this.groups : k[this.kind === 'transpose' ? this.rank + 1 : this.rank];
    const channelAxis = this.dataFormat === 'channelsLast' ? input.rank - 1 : 1;
    if (input.rank !== this.rank + 2 || input.shape[channelAxis] !== cin) {
      checkSpatialRank([null, ...input.shape.slice(1)], this.rank, this.className, this.name);
      throw new Error(`${this.className} '${this.name}' was built for ${cin} input channels, got input of shape [${input.shape.join(', ')}] (${this.dataFormat === 'channelsLast' ? 'channels last' : 'channels first'}).`);
    }
    let x = this.dataFormat === 'channelsFirst' ? toChannelsLast(input, this.rank) : input;
    x = this.convolve(x);
    if (this.bias) x = ops.add(x, this.bias);
    x = this.activation(x);
    if (this.dataFormat === 'channelsFirst') x = toChannelsFirst(x, this.rank);
    if (this.activityRegularizer) this.activityLosses.push(this.activityRegularizer.penalty(x));
    return x;
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      ...super.getConfig(),
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: this.dilationRate,
      activation: this.activationName,
      useBias: this.useBias,
      biasInitializer: serializeInitializer(this.biasInitializer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
      activityRegularizer: serializeRegularizer(this.activityRegularizer),
    };
    if (this.kind !== 'depthwise') config.filters = this.filters;
    if (this.kind === 'conv') config.groups = this.groups;
    if (this.kind === 'conv' || this.kind === 'transpose') {
      config.kernelInitializer = serializeInitializer(this.kernelInitializer);
      config.kernelRegularizer = serializeRegularizer(this.kernelRegularizer);
    } else {
      config.depthMultiplier = this.depthMultiplier;
      config.depthwiseInitializer = serializeInitializer(this.kernelInitializer);
      config.depthwiseRegularizer = serializeRegularizer(this.kernelRegularizer);
    }
    if (this.kind === 'separable') {
      config.pointwiseInitializer = serializeInitializer(this.pointwiseInitializer);
      config.pointwiseRegularizer = serializeRegularizer(this.pointwiseRegularizer);
    }
    return config;
  }
}

/** new Conv1D(32, 3, { activation: 'relu' }) or new Conv1D({ filters: 32, kernelSize: 3 }); padding 'causal' for sequences. */
export class Conv1D extends BaseConv {
  readonly className = 'Conv1D';
  constructor(filtersOrArgs?: number | ConvArgs, kernelSize?: number | number[], args?: ConvArgs) {
    super('Conv1D', 1, 'conv', filtersOrArgs, kernelSize, args);
  }
}

/** new Conv2D(32, 3, { activation: 'relu', inputShape: [28, 28, 1] }) or new Conv2D({ filters: 32, kernelSize: [3, 3] }). */
export class Conv2D extends BaseConv {
  readonly className = 'Conv2D';
  constructor(filtersOrArgs?: number | ConvArgs, kernelSize?: number | number[], args?: ConvArgs) {
    super('Conv2D', 2, 'conv', filtersOrArgs, kernelSize, args);
  }
}

export class Conv3D extends BaseConv {
  readonly className = 'Conv3D';
  constructor(filtersOrArgs?: number | ConvArgs, kernelSize?: number | number[], args?: ConvArgs) {
    super('Conv3D', 3, 'conv', filtersOrArgs, kernelSize, args);
  }
}

export class Conv1DTranspose extends BaseConv {
  readonly className = 'Conv1DTranspose';
  constructor(filtersOrArgs?: number | ConvArgs, kernelSize?: number | number[], args?: ConvArgs) {
    super('Conv1DTranspose', 1, 'transpose', filtersOrArgs, kernelSize, args);
  }
}

/** Transposed 2-D convolution (upsampling by strides): new Conv2DTranspose(16, 3, { strides: 2, padding: 'same' }). */
export class Conv2DTranspose extends BaseConv {
  readonly className = 'Conv2DTranspose';
  constructor(filtersOrArgs?: number | ConvArgs, kernelSize?: number | number[], args?: ConvArgs) {
    super('Conv2DTranspose', 2, 'transpose', filtersOrArgs, kernelSize, args);
  }
}

export class Conv3DTranspose extends BaseConv {
  readonly className = 'Conv3DTranspose';
  constructor(filtersOrArgs?: number | ConvArgs, kernelSize?: number | number[], args?: ConvArgs) {
    super('Conv3DTranspose', 3, 'transpose', filtersOrArgs, kernelSize, args);
  }
}

/** new DepthwiseConv1D({ kernelSize: 3, depthMultiplier: 2 }). */
export class DepthwiseConv1D extends BaseConv {
  readonly className = 'DepthwiseConv1D';
  constructor(args: ConvArgs = {}) {
    super('DepthwiseConv1D', 1, 'depthwise', args, undefined, undefined);
  }
}

/** new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 1 }) (Keras's DepthwiseConv2D(kernel_size, ...)). */
export class DepthwiseConv2D extends BaseConv {
  readonly className = 'DepthwiseConv2D';
  constructor(kernelSizeOrArgs: number | number[] | ConvArgs = {}, args: ConvArgs = {}) {
    super('DepthwiseConv2D', 2, 'depthwise', typeof kernelSizeOrArgs === 'object' && !Array.isArray(kernelSizeOrArgs) ? kernelSizeOrArgs : { ...args, kernelSize: kernelSizeOrArgs }, undefined, undefined);
  }
}

export class SeparableConv1D extends BaseConv {
  readonly className = 'SeparableConv1D';
  constructor(filtersOrArgs?: number | ConvArgs, kernelSize?: number | number[], args?: ConvArgs) {
    super('SeparableConv1D', 1, 'separable', filtersOrArgs, kernelSize, args);
  }
}

/** Depthwise then pointwise (1×1) convolution: new SeparableConv2D(64, 3, { padding: 'same' }). */
export class SeparableConv2D extends BaseConv {
  readonly className = 'SeparableConv2D';
  constructor(filtersOrArgs?: number | ConvArgs, kernelSize?: number | number[], args?: ConvArgs) {
    super('SeparableConv2D', 2, 'separable', filtersOrArgs, kernelSize, args);
  }
}

registerLayer('Conv1D', Conv1D);
registerLayer('Conv2D', Conv2D);
registerLayer('Conv3D', Conv3D);
registerLayer('Conv1DTranspose', Conv1DTranspose);
registerLayer('Conv2DTranspose', Conv2DTranspose);
registerLayer('Conv3DTranspose', Conv3DTranspose);
registerLayer('DepthwiseConv1D', DepthwiseConv1D);
registerLayer('DepthwiseConv2D', DepthwiseConv2D);
registerLayer('SeparableConv1D', SeparableConv1D);
registerLayer('SeparableConv2D', SeparableConv2D);
