// Embedding: integer ids -> dense vectors, out[..., :] = embeddings[id] (a gather; its gradient is a scatter-add
// of the output gradient into the rows of the ids seen). Input [batch, ...] of ids in [0, inputDim), output
// [batch, ..., outputDim]. With maskZero, id 0 is padding: the output carries a mask (1 where id ≠ 0) that recurrent
// layers use to skip those steps (Keras's mask_zero). Weight: embeddings [inputDim, outputDim], initialized
// uniform in [-0.05, 0.05] as Keras's 'uniform'.

import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import * as ops from '../ops/index.js';
import { Layer, registerLayer, checkLayerOptions, type LayerArgs, type SymbolicShape } from './layer.js';
import { getInitializer, serializeInitializer, type InitializerIdentifier, type Initializer } from '../initializers/index.js';
import { getRegularizer, type Regularizer, type RegularizerIdentifier, serializeRegularizer } from '../regularizers/index.js';
import { withMask } from './mask.js';

export interface EmbeddingArgs extends LayerArgs {
  /** Size of the vocabulary: ids run from 0 to inputDim − 1 (required). */
  inputDim?: number;
  /** Length of each embedding vector (required). */
  outputDim?: number;
  /** Initializer of the embeddings (default 'uniform', i.e. RandomUniform(−0.05, 0.05) as Keras). */
  embeddingsInitializer?: InitializerIdentifier;
  /** Penalty on the embeddings. */
  embeddingsRegularizer?: RegularizerIdentifier;
  /** Penalty on the output. */
  activityRegularizer?: RegularizerIdentifier;
  /** Treat id 0 as padding and pass a mask to the next layers (default false); then inputDim counts the padding id. */
  maskZero?: boolean;
  /** Length of the input sequences (TF.js's inputLength), used as the input shape when inputShape is not given. */
  inputLength?: number | null;
}

const OPTIONS = ['inputDim', 'outputDim', 'embeddingsInitializer', 'embeddingsRegularizer', 'activityRegularizer', 'maskZero', 'inputLength', 'embeddingsConstraint'];

export class Embedding extends Layer {
  readonly className = 'Embedding';
  readonly inputDimension: number;
  readonly outputDim: number;
  readonly maskZero: boolean;
  readonly inputLength: number | null;
  readonly embeddingsInitializer: Initializer;
  readonly embeddingsRegularizer: Regularizer | null;
  readonly activityRegularizer: Regularizer | null;
  embeddings: Variable | null = null;

  /** new Embedding({ inputDim: 10000, outputDim: 64, maskZero: true }), or as Keras: new Embedding(10000, 64, { maskZero: true }). */
  constructor(inputDimOrArgs: number | EmbeddingArgs, outputDim?: number, options?: Omit<EmbeddingArgs, 'inputDim' | 'outputDim'>) {
    // Keras's positional form, Embedding(inputDim, outputDim, options), or TF.js's single options object.
    const args: EmbeddingArgs = typeof inputDimOrArgs === 'number' ? { ...options, inputDim: inputDimOrArgs, outputDim: outputDim! } : inputDimOrArgs;
    checkLayerOptions('Embedding', args ?? {}, OPTIONS);
    const { inputDim, inputLength, ...rest } = args ?? {};
    // inputDim is the vocabulary size here (Keras's input_dim), not the base Layer's input-shape shorthand.
    const shape = rest.inputShape ?? rest.batchInputShape ?? (inputLength ? [inputLength] : undefined);
    super({ ...rest, ...(rest.inputShape || rest.batchInputShape || !shape ? {} : { inputShape: shape as number[] }) });
    for (const [k, v] of [['inputDim', inputDim], ['outputDim', rest.outputDim]] as const) {
      if (v === undefined || !Number.isInteger(v) || v <= 0) throw new Error(`Embedding: ${k} must be a positive integer, got ${v}.`);
    }
    this.inputDimension = inputDim!;
    this.outputDim = rest.outputDim!;
    this.maskZero = rest.maskZero ?? false;
    this.inputLength = inputLength ?? null;
    this.embeddingsInitializer = getInitializer(rest.embeddingsInitializer ?? { className: 'RandomUniform', config: { minval: -0.05, maxval: 0.05 } });
    this.embeddingsRegularizer = getRegularizer(rest.embeddingsRegularizer);
    this.activityRegularizer = getRegularizer(rest.activityRegularizer);
  }

  override build(_inputShape: SymbolicShape): void {
    this.embeddings = this.addWeight('embeddings', [this.inputDimension, this.outputDim], this.embeddingsInitializer, this.embeddingsRegularizer);
    this.built = true;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape, this.outputDim];
  }

  /** Data fed to fit/evaluate/predict: every id an integer in [0, inputDim), else an error naming the id and the row. */
  override checkInputData(x: Tensor, what: string): void {
    const row = x.rank > 1 ? x.size / x.shape[0] : 1;
    for (let i = 0; i < x.size; i++) {
      const v = x.data[i];
      if (!(v >= 0 && v < this.inputDimension && v === Math.floor(v))) {
        throw new Error(`${what}: token id ${v} in row ${Math.floor(i / row)} (position ${i % row}) is outside [0, ${this.inputDimension}) for Embedding '${this.name}' (inputDim ${this.inputDimension}).`);
      }
    }
  }

  /** Throws, naming the id and the row, on an id outside [0, inputDim) (checked on every step, replays included). */
  call(input: Tensor): Tensor {
    const out = ops.gather(this.embeddings!, input, 0, 0, `Embedding '${this.name}' (inputDim ${this.inputDimension}): token id`);
    if (this.activityRegularizer) this.activityLosses.push(this.activityRegularizer.penalty(out));
    return this.maskZero ? withMask(out, ops.notEqual(input, 0)) : out;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      inputDim: this.inputDimension,
      outputDim: this.outputDim,
      embeddingsInitializer: serializeInitializer(this.embeddingsInitializer),
      embeddingsRegularizer: serializeRegularizer(this.embeddingsRegularizer),
      activityRegularizer: serializeRegularizer(this.activityRegularizer),
      embeddingsConstraint: null,
      maskZero: this.maskZero,
      inputLength: this.inputLength,
    };
  }
}

/**
 * Masking: skip time steps whose features all equal maskValue (default 0). Input [batch, timesteps, features];
 * the output is the input with masked steps zeroed, and carries a [batch, timesteps] mask for recurrent layers.
 */
export class Masking extends Layer {
  readonly className = 'Masking';
  override readonly supportsMasking = true;
  readonly maskValue: number;
  constructor(args: LayerArgs & { maskValue?: number } = {}) {
    checkLayerOptions('Masking', args, ['maskValue']);
    super(args);
    this.maskValue = args.maskValue ?? 0;
    if (!Number.isFinite(this.maskValue)) throw new Error(`Masking: maskValue must be a finite number, got ${args.maskValue}.`);
    this.inputSpec = { ndim: 3 };
  }
  call(input: Tensor): Tensor {
    // A step is kept when any feature differs from maskValue.
    const keep = ops.max(ops.notEqual(input, this.maskValue), -1, true);
    const out = ops.mul(input, keep);
    return withMask(out, ops.reshape(keep, input.shape.slice(0, 2)));
  }
  override getConfig() {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}

registerLayer('Embedding', Embedding);
registerLayer('Masking', Masking);
