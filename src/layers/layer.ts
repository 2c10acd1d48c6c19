// Layer base: weights, build on first known input shape, call, config for serialization.

import { Tensor as TensorClass, tensor, type Tensor, type NestedArray, type TensorLike } from '../tensor/tensor.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Variable } from '../tensor/variable.js';
import type { Shape } from '../tensor/shape.js';
import { getInitializer, type InitializerIdentifier } from '../initializers/index.js';
import type { Regularizer } from '../regularizers/index.js';
import { Registry } from '../registry.js';

/** A shape without or with the batch dimension; null is an unknown size (Keras's None). */
export type SymbolicShape = (number | null)[];

export interface LayerArgs {
  /** Layer name, unique in a model (default: snake_case class name with a counter, as Keras: dense, dense_1, ...). */
  name?: string;
  /** Whether the layer's weights are updated by training (default true). */
  trainable?: boolean;
  /** Shape of one sample, without the batch dimension (first layer only); a number n means [n]. */
  inputShape?: readonly number[] | number;
  /** Fixed batch size of the input (Keras's batch_size); informational, any batch size is accepted. */
  batchSize?: number;
  /** Shorthand for inputShape [inputDim] (Keras 2's input_dim). */
  inputDim?: number;
  /** Input shape including the batch dimension (null for any batch size). */
  batchInputShape?: readonly (number | null)[];
  /** Only 'float32' is supported. */
  dtype?: 'float32';
}

const nameCounters = new Map<string, number>();

/** Option names every layer accepts. */
const LAYER_OPTIONS = ['name', 'trainable', 'inputShape', 'inputDim', 'batchInputShape', 'batchSize', 'dtype'];
let fromConfigDepth = 0;

/**
 * Reject misspelt layer options (activaton, input_shape), as Keras raises for unknown arguments. Saved configs
 * (layerFromConfig) may carry keys descent ignores, so they are not checked.
 */
export function checkLayerOptions(className: string, options: object, own: readonly string[]): void {
  if (fromConfigDepth > 0) return;
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined && !LAYER_OPTIONS.includes(key) && !own.includes(key)) {
      throw new Error(`${className}: unknown option '${key}'. Valid options: ${[...own, ...LAYER_OPTIONS].join(', ')}.`);
    }
  }
}

function uniqueName(className: string): string {
  // Keras's to_snake_case: Conv2D → conv2d, MaxPooling2D → max_pooling2d, Conv2DTranspose → conv2d_transpose.
  const base = className.replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  const n = nameCounters.get(base) ?? 0;
  nameCounters.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

export abstract class Layer {
  abstract readonly className: string;
  name: string;
  private trainableFlag = true;
  built = false;
  /** Sample shape the layer was declared with (first layer of a model). */
  readonly batchInputShape: SymbolicShape | null;
  protected readonly weightList: Variable[] = [];
  /** Regularization penalties, recomputed on each call. */
  private regularizers: { variable: Variable; regularizer: Regularizer }[] = [];
  protected activityLosses: Tensor[] = [];

  constructor(args: LayerArgs = {}) {
    this.name = args.name ?? '';
    this.trainableFlag = args.trainable ?? true;
    // inputShape: 8 is read as [8] (Keras's shape=8 convenience).
    const inputShape = typeof args.inputShape === 'number' ? [args.inputShape] : args.inputShape;
    if (inputShape !== undefined && !Array.isArray(inputShape)) throw new Error(`inputShape must be an array of dimensions such as [8], got ${JSON.stringify(args.inputShape)}.`);
    if (args.batchInputShape) this.batchInputShape = [...args.batchInputShape];
    else if (inputShape) this.batchInputShape = [args.batchSize ?? null, ...inputShape];
    else if (args.inputDim !== undefined) this.batchInputShape = [args.batchSize ?? null, args.inputDim];
    else this.batchInputShape = null;
    if (args.dtype && args.dtype !== 'float32') throw new Error(`Layer dtype '${args.dtype}' is not supported; descent computes in float32.`);
    for (const d of this.batchInputShape?.slice(1) ?? []) {
      if (d !== null && (!Number.isInteger(d) || d <= 0)) throw new Error(`Invalid input shape ${JSON.stringify(args.inputShape ?? args.inputDim)}: dimensions must be positive integers.`);
    }
  }

  /** Whether training updates this layer's weights; can be switched after build (freeze, then fine-tune). */
  get trainable(): boolean {
    return this.trainableFlag;
  }

  set trainable(value: boolean) {
    this.trainableFlag = value;
    // Frozen weights need no gradient; the graph still carries gradients through the layer to earlier ones.
    for (const w of this.weightList) w.requiresGrad = value && w.trainable;
  }

  /** Name lazily assigned so that subclasses' className is available. */
  protected ensureName(): void {
    if (!this.name) this.name = uniqueName(this.className);
  }

  /** Create weights for a given input shape (batch dimension included, may be null). */
  build(_inputShape: SymbolicShape): void {
    this.built = true;
  }

  /** Output shape for an input shape (batch dimension included). */
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  /** Forward pass. training: true during fit (Dropout is active only then). */
  abstract call(input: Tensor, training: boolean): Tensor;

  /** Build on first use, then call. */
  apply(input: Tensor, training = false): Tensor {
    this.ensureName();
    if (!this.built) this.build([null, ...input.shape.slice(1)]);
    this.activityLosses = [];
    return this.call(input, training);
  }

  protected addWeight(name: string, shape: Shape, initializer: InitializerIdentifier, regularizer: Regularizer | null = null, trainable = true): Variable {
    this.ensureName();
    const value = getInitializer(initializer).init(shape);
    // The weight's own flag stays as declared; the layer's flag is applied on top (trainableWeights), so that
    // setting layer.trainable = true later unfreezes it.
    const v = new Variable(value, { name: `${this.name}/${name}`, trainable });
    v.requiresGrad = trainable && this.trainable;
    this.weightList.push(v);
    if (regularizer) this.regularizers.push({ variable: v, regularizer });
    return v;
  }

  /** Weights in Keras order (e.g. kernel then bias). */
  get weights(): Variable[] {
    return [...this.weightList];
  }

  get trainableWeights(): Variable[] {
    return this.trainable ? this.weightList.filter((w) => w.trainable) : [];
  }

  get nonTrainableWeights(): Variable[] {
    return this.trainable ? this.weightList.filter((w) => !w.trainable) : [...this.weightList];
  }

  /** Weight penalties and activity penalties of the last call, as scalar tensors. */
  get losses(): Tensor[] {
    return [...this.regularizers.map((r) => r.regularizer.penalty(r.variable)), ...this.activityLosses];
  }

  /** Copies of this layer's weights in Keras order (kernel, then bias), as Keras's layer.get_weights(). */
  getWeights(): Tensor[] {
    return this.weightList.map((w) => new TensorClass(w.data.slice(), w.shape));
  }

  /** Set this layer's weights (Tensors or nested arrays, Keras order); every shape is checked before any changes. */
  setWeights(values: readonly (Tensor | NestedArray | Float32Array)[]): void {
    const vars = this.weightList;
    if (!Array.isArray(values) || values.length !== vars.length) {
      throw new Error(`setWeights: layer '${this.name}' has ${vars.length} weights (${vars.map((v) => `${v.name} ${formatShape(v.shape)}`).join(', ')}), got ${Array.isArray(values) ? values.length : typeof values}.`);
    }
    const checked = values.map((v, i) => {
      const t = v instanceof Float32Array ? new TensorClass(v, [v.length]) : tensor(v as TensorLike);
      const sameShape = v instanceof Float32Array ? t.size === vars[i].size : shapesEqual(t.shape, vars[i].shape);
      if (!sameShape) throw new Error(`setWeights: weight ${i} (${vars[i].name}) has shape ${formatShape(vars[i].shape)}, got ${formatShape(t.shape)}.`);
      const bad = t.data.findIndex((x) => !Number.isFinite(x));
      if (bad >= 0) throw new Error(`setWeights: weight ${i} (${vars[i].name}) contains ${t.data[bad]} at flat index ${bad}.`);
      return t;
    });
    checked.forEach((t, i) => vars[i].data.set(t.data));
  }

  countParams(): number {
    return this.weightList.reduce((n, w) => n + w.size, 0);
  }

  /** camelCase config, as TensorFlow.js's getConfig; the saving code converts it to Keras's snake_case JSON. */
  getConfig(): Record<string, unknown> {
    this.ensureName();
    const config: Record<string, unknown> = { name: this.name, trainable: this.trainable, dtype: 'float32' };
    if (this.batchInputShape) config.batchInputShape = this.batchInputShape;
    return config;
  }
}

export type LayerClass = { new (config: any): Layer; fromConfig?(config: Record<string, unknown>): Layer };

/** Layer classes by className, for deserialization ('Dense', 'Dropout', ...). */
export const layerRegistry = new Registry<LayerClass>('layer');

export function registerLayer(className: string, cls: LayerClass): void {
  layerRegistry.register(className, cls);
}

export function layerFromConfig(className: string, config: Record<string, unknown>): Layer {
  const cls = layerRegistry.get(className);
  fromConfigDepth++;
  try {
    return cls.fromConfig ? cls.fromConfig(config) : new cls(config);
  } finally {
    fromConfigDepth--;
  }
}
