// Small weightless layers: Activation, Dropout, Flatten, InputLayer (and Input()).

import type { Tensor } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';
import { getRng, type Rng } from '../tensor/random.js';
import { Tensor as TensorClass } from '../tensor/tensor.js';
import { Layer, Node, registerLayer, checkLayerOptions, type LayerArgs, type SymbolicShape, type SymbolicTensor } from './layer.js';
import { getActivation, type ActivationFn, type ActivationIdentifier } from '../activations/index.js';

/** Applies an activation function: new Activation('relu'). */
export class Activation extends Layer {
  readonly className = 'Activation';
  override readonly supportsMasking = true;
  readonly activationName: string;
  private readonly fn: ActivationFn;
  constructor(activationOrArgs: ActivationIdentifier | (LayerArgs & { activation: ActivationIdentifier }), args: LayerArgs = {}) {
    const options = typeof activationOrArgs === 'object' ? activationOrArgs : { ...args, activation: activationOrArgs };
    checkLayerOptions('Activation', options, ['activation']);
    super(options);
    const act = getActivation(options.activation);
    this.activationName = act.name;
    this.fn = act.fn;
  }
  call(input: Tensor): Tensor {
    return this.fn(input);
  }
  override getConfig() {
    return { ...super.getConfig(), activation: this.activationName };
  }
}

export interface DropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop, in [0, 1). */
  rate?: number;
  /** Seed for this layer's own random stream (default: the global setSeed generator). */
  seed?: number;
  noiseShape?: number[] | null;
}

/** Inverted dropout: in training, zero each input with probability rate and scale the rest by 1/(1 − rate). */
export class Dropout extends Layer {
  readonly className = 'Dropout';
  override readonly supportsMasking = true;
  readonly rate: number;
  readonly seed?: number;
  private rng: Rng | null = null;
  constructor(rateOrArgs: number | DropoutArgs, args: DropoutArgs = {}) {
    const options = typeof rateOrArgs === 'number' ? { ...args, rate: rateOrArgs } : rateOrArgs;
    checkLayerOptions('Dropout', options, ['rate', 'seed', 'noiseShape']);
    super(options);
    const rate = options.rate ?? NaN;
    if (!(rate >= 0 && rate < 1)) throw new Error(`Dropout: rate must be in [0, 1), got ${options.rate}.`);
    this.rate = rate;
    this.seed = options.seed;
    // A noise shape (masks shared across axes) is not implemented: refuse it rather than ignore it.
    if (options.noiseShape !== undefined && options.noiseShape !== null) throw new Error(`Dropout: noiseShape is not supported (got ${JSON.stringify(options.noiseShape)}); leave it unset.`);
  }
  /** The layer's random stream: its own when seeded, else the global setSeed generator (read at each draw). */
  private readonly stream = (): Rng => (this.seed === undefined ? getRng() : (this.rng ??= getRng(this.seed)));

  call(input: Tensor, training: boolean): Tensor {
    if (!training || this.rate === 0) return input;
    return ops.dropout(input, this.rate, this.stream);
  }
  override getConfig() {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed ?? null, noiseShape: null };
  }
}

/** Flattens each sample to one dimension: [batch, a, b] → [batch, a·b]. */
export class Flatten extends Layer {
  readonly className = 'Flatten';
  constructor(args: LayerArgs & { dataFormat?: 'channelsLast' } = {}) {
    checkLayerOptions('Flatten', args, ['dataFormat']);
    super(args);
  }
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const rest = inputShape.slice(1);
    return [inputShape[0], rest.some((d) => d === null) ? null : rest.reduce<number>((p, d) => p * (d as number), 1)];
  }
  call(input: Tensor): Tensor {
    return ops.reshape(input, [input.shape[0], -1]);
  }
}

/**
 * The declared input of a model: new InputLayer({ inputShape: [8] }) or Input({ shape: [8] }). Its `output` is the
 * symbolic tensor that functional models start from.
 */
export class InputLayer extends Layer {
  readonly className = 'InputLayer';
  /** The symbolic tensor this input feeds into the graph. */
  readonly output: SymbolicTensor;
  /** 'float32' (default), or 'string' for texts, which only a TextVectorization may take. */
  readonly dtype: 'float32' | 'string';
  constructor(args: Omit<LayerArgs, 'dtype'> & { shape?: readonly number[]; sparse?: boolean; ragged?: boolean; dtype?: 'float32' | 'string' } = {}) {
    checkLayerOptions('InputLayer', args, ['shape', 'sparse', 'ragged']);
    const { shape, sparse: _sparse, ragged: _ragged, dtype, ...rest } = args;
    if (dtype !== undefined && dtype !== 'float32' && dtype !== 'string') throw new Error(`InputLayer dtype must be 'float32' or 'string', got ${JSON.stringify(dtype)}.`);
    super({ ...rest, inputShape: args.inputShape ?? shape });
    if (!this.batchInputShape) throw new Error('InputLayer needs inputShape (or shape, or batchInputShape).');
    this.dtype = dtype ?? 'float32';
    this.built = true;
    this.ensureName();
    const node = new Node(this, [], [this.batchInputShape], false, false, this.dtype);
    this.inboundNodes.push(node);
    this.output = node.outputs[0];
  }
  call(input: Tensor): Tensor {
    return input;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dtype: this.dtype };
  }
}

/**
 * Keras's Input({ shape }): a symbolic tensor of shape [batch, ...shape] to build a functional model from
 * (`const x = Input({ shape: [8] }); const y = new Dense(1).apply(x); new Model({ inputs: x, outputs: y })`);
 * also accepted as the first element of a Sequential model. name defaults to input_layer, input_layer_1, ... (Keras 3).
 * dtype 'string' declares texts (shape [] or [1]: one text per sample), to be fed to a TextVectorization layer.
 */
export function Input(args: { shape: readonly number[]; name?: string; batchSize?: number; dtype?: 'float32' | 'string' }): SymbolicTensor {
  if (!args || !Array.isArray(args.shape)) throw new Error(`Input needs a shape, e.g. Input({ shape: [8] }), got ${JSON.stringify(args)}.`);
  return new InputLayer({ inputShape: args.shape, name: args.name, batchInputShape: [args.batchSize ?? null, ...args.shape], dtype: args.dtype }).output;
}

registerLayer('Activation', Activation);
registerLayer('Dropout', Dropout);
registerLayer('Flatten', Flatten);
registerLayer('InputLayer', InputLayer);
