// Layer base: weights, build on first known input shape, call, config for serialization; applied to symbolic
// tensors it records a Node of the functional graph (Keras 3's Operation/Node, TF.js's SymbolicTensor).

import { Tensor as TensorClass, tensor, type Tensor, type NestedArray, type TensorLike } from '../tensor/tensor.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Variable } from '../tensor/variable.js';
import type { Shape } from '../tensor/shape.js';
import { getInitializer, type InitializerIdentifier } from '../initializers/index.js';
import type { Regularizer } from '../regularizers/index.js';
import { Registry } from '../registry.js';
import { getMask, withMask } from './mask.js';
import { platform } from '../platform/node.js';

/** A shape without or with the batch dimension; null is an unknown size (Keras's None). */
export type SymbolicShape = (number | null)[];

/** True for a list of shapes (a layer with several inputs or outputs), false for one shape. */
export function isShapeList(s: SymbolicShape | SymbolicShape[]): s is SymbolicShape[] {
  return s.length > 0 && Array.isArray(s[0]);
}

/** Keras-style shape text: (None, 4). */
export function formatSymbolicShape(shape: SymbolicShape | null): string {
  if (!shape) return '?';
  const parts = shape.map((d) => (d === null ? 'None' : String(d)));
  return `(${parts.join(', ')}${parts.length === 1 ? ',' : ''})`;
}

/**
 * What a layer accepts (Keras's InputSpec): an exact rank, a minimum rank, and sizes of given axes (negative axes
 * count from the end). Checked when the layer is applied, so a wrong input fails naming the layer and both shapes.
 */
export interface InputSpec {
  ndim?: number;
  minNdim?: number;
  axes?: Record<number, number>;
}

/**
 * A tensor of the functional graph (TF.js's SymbolicTensor, Keras's KerasTensor): a shape (batch first, null for
 * unknown) and the node that produces it. Built by Input() and by applying layers to symbolic tensors.
 */
export class SymbolicTensor {
  constructor(
    readonly shape: SymbolicShape,
    /** The node (layer call) producing this tensor. */
    readonly node: Node,
    /** Which of the node's outputs this is. */
    readonly index: number,
    /** 'string' for a text input (Input({ dtype: 'string' })), which only a TextVectorization may take. */
    readonly dtype: 'float32' | 'string' = 'float32',
  ) {}
  get sourceLayer(): Layer {
    return this.node.layer;
  }
  get rank(): number {
    return this.shape.length;
  }
  /** The producing layer's name, with the output index when the layer has several outputs. */
  get name(): string {
    return this.node.outputs.length > 1 ? `${this.node.layer.name}/${this.index}` : this.node.layer.name;
  }
  toString(): string {
    return `SymbolicTensor(${this.name}, shape=${formatSymbolicShape(this.shape)})`;
  }
}

/** One call of a layer in a functional graph: its input tensors and the output tensors it made. */
export class Node {
  readonly outputs: SymbolicTensor[];
  constructor(
    readonly layer: Layer,
    readonly inputs: readonly SymbolicTensor[],
    outputShapes: readonly SymbolicShape[],
    /** Whether the layer was called with a list (merge layers) rather than one tensor. */
    readonly listInput: boolean,
    /** Whether the layer returned a list (several outputs). */
    readonly listOutput: boolean,
    dtype: 'float32' | 'string' = 'float32',
  ) {
    this.outputs = outputShapes.map((s, i) => new SymbolicTensor([...s], this, i, dtype));
  }
}

export function isSymbolic(x: unknown): x is SymbolicTensor {
  return x instanceof SymbolicTensor;
}

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
  /** What inputs the layer accepts, checked on every apply (set by subclasses, usually in build). */
  inputSpec: InputSpec | null = null;
  /** The layer's calls in functional graphs, in order (a shared layer has several). */
  readonly inboundNodes: Node[] = [];
  /**
   * Whether the layer accepts a sequence mask (Keras 3's supports_masking; default false). When an input carries a
   * mask (Embedding with maskZero, Masking, withMask), a layer that supports masking attaches computeMask's result
   * to its outputs; one that does not drops the mask with a one-time warning, as Keras 3 (TF.js 4.22 drops it
   * silently).
   */
  readonly supportsMasking: boolean = false;
  private maskDropWarned = false;

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

  /**
   * Create weights for a given input shape (batch dimension included, may be null); a list of shapes for a layer
   * called with a list (merge layers).
   */
  build(_inputShape: SymbolicShape | SymbolicShape[]): void {
    this.built = true;
  }

  /**
   * Optional check of data fed straight into this layer, run on the whole of x before fit, evaluate or predict
   * change anything (so a message can name the data's own row); Embedding checks its ids this way.
   */
  checkInputData?(x: Tensor, what: string): void;

  /**
   * Present on layers fed with texts (TextVectorization): turns the data given for a string input (an array of
   * strings) into the tensor the rest of the model takes. A model runs it at its input boundary, in fit, evaluate and
   * predict, before the captured numeric step (as Keras runs TextVectorization as CPU preprocessing); strings never
   * enter the numeric graph. `what` names the data in errors.
   */
  encodeStrings?(data: unknown, what: string): Tensor;

  /** Output shape for an input shape (batch dimension included); a list of shapes for several outputs. */
  computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    return inputShape;
  }

  /**
   * The mask of the layer's output(s) from its input mask(s) (Keras's compute_mask), computed with ops so that a
   * captured step recomputes it from each batch. mask is the input's mask (a list of them, null where absent, for
   * a layer called with a list). Default: the input mask unchanged when supportsMasking (layers that keep the time
   * axis, such as Dense or Dropout), else null. A list gives one mask per output.
   */
  computeMask(_inputs: Tensor | Tensor[], mask: Tensor | null | (Tensor | null)[]): Tensor | null | (Tensor | null)[] {
    return this.supportsMasking && !Array.isArray(mask) ? mask : null;
  }

  /**
   * Forward pass on concrete tensors: one tensor, or a list for layers taking several inputs; returns one tensor
   * or a list (several outputs). training: true during fit (Dropout is active only then).
   */
  abstract call(input: Tensor | Tensor[], training: boolean): Tensor | Tensor[];

  /**
   * Apply the layer. On symbolic tensors (from Input()) it checks the input against the layer, builds it, records
   * a node of the functional graph and returns symbolic outputs; on concrete tensors it builds on first use and
   * computes (eager). A layer with several outputs returns a list (see applyList for its type).
   * Throws when the input's rank or size does not fit the layer (both shapes and the layer's name in the message).
   */
  apply(inputs: SymbolicTensor | SymbolicTensor[], training?: boolean): SymbolicTensor;
  apply(inputs: Tensor | Tensor[], training?: boolean): Tensor;
  apply(inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], training = false): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[] {
    this.ensureName();
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const symbolic = list.map((t) => t instanceof SymbolicTensor);
    if (symbolic.some((b) => b)) {
      if (!symbolic.every((b) => b)) throw new Error(`Layer '${this.name}' (${this.className}) was called with a mix of symbolic (Input()) and concrete tensors; pass all of one kind.`);
      return this.applySymbolic(list as SymbolicTensor[], Array.isArray(inputs));
    }
    const shapes = (list as Tensor[]).map((t) => [null, ...t.shape.slice(1)]);
    const shape = Array.isArray(inputs) ? shapes : shapes[0];
    this.checkInputShape(shape);
    if (!this.built) this.build(shape);
    this.activityLosses = [];
    const out = this.call(inputs as Tensor | Tensor[], training);
    return this.passMask(inputs as Tensor | Tensor[], out);
  }

  /** Keras 3's mask bookkeeping after a call: attach computeMask's masks to outputs that have none, or warn. */
  private passMask(inputs: Tensor | Tensor[], out: Tensor | Tensor[]): Tensor | Tensor[] {
    const masks = Array.isArray(inputs) ? inputs.map(getMask) : getMask(inputs);
    if (Array.isArray(masks) ? masks.every((m) => m === null) : masks === null) return out;
    const outs = Array.isArray(out) ? out : [out];
    if (!this.supportsMasking) {
      if (!this.maskDropWarned && outs.every((o) => getMask(o) === null)) {
        this.maskDropWarned = true;
        platform.warn(`Layer '${this.name}' (${this.className}) was passed an input with a mask attached to it, but does not support masking: the mask is dropped and later layers will not see it (Keras 3 warns the same).`);
      }
      return out;
    }
    const computed = this.computeMask(inputs, masks);
    const outMasks = Array.isArray(computed) ? computed : [computed];
    outs.forEach((o, i) => {
      const m = outMasks[i] ?? null;
      if (m === null || getMask(o) !== null) return;
      if (m.rank < 1 || m.rank >= o.rank || m.shape.some((d, k) => d !== o.shape[k])) {
        throw new Error(`Layer '${this.name}' (${this.className}) computed a mask of shape ${formatShape(m.shape)} for an output of shape ${formatShape(o.shape)}; a mask must be the output's leading dimensions [batch, timesteps].`);
      }
      withMask(o, m);
    });
    return out;
  }

  /** apply() typed for layers with several outputs (a Model with several outputs, recurrent layers returning states). */
  applyList(inputs: SymbolicTensor | SymbolicTensor[], training?: boolean): SymbolicTensor[];
  applyList(inputs: Tensor | Tensor[], training?: boolean): Tensor[];
  applyList(inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], training = false): Tensor[] | SymbolicTensor[] {
    const out = this.apply(inputs as never, training) as unknown;
    return (Array.isArray(out) ? out : [out]) as Tensor[];
  }

  private applySymbolic(inputs: SymbolicTensor[], listInput: boolean): SymbolicTensor | SymbolicTensor[] {
    for (const t of inputs) {
      if (t.dtype === 'string' && !this.encodeStrings) throw new Error(`Layer '${this.name}' (${this.className}) takes numbers but was given the string input '${t.name}': put a TextVectorization layer between them (it turns texts into token ids).`);
      if (t.dtype !== 'string' && this.encodeStrings) throw new Error(`Layer '${this.name}' (${this.className}) takes strings but was given '${t.name}', a tensor of numbers: declare the input as Input({ shape: [1], dtype: 'string' }).`);
    }
    const shapes = inputs.map((t) => t.shape);
    const shape = listInput ? shapes : shapes[0];
    this.checkInputShape(shape);
    if (!this.built) this.build(shape);
    const out = this.computeOutputShape(shape);
    const listOutput = isShapeList(out);
    const node = new Node(this, inputs, listOutput ? out : [out as SymbolicShape], listInput, listOutput);
    this.inboundNodes.push(node);
    return listOutput ? node.outputs : node.outputs[0];
  }

  /** Check an input shape against inputSpec; the error names the layer and both shapes. */
  protected checkInputShape(shape: SymbolicShape | SymbolicShape[]): void {
    const spec = this.inputSpec;
    if (!spec || isShapeList(shape)) return;
    const want = (): string => {
      const parts: string[] = [];
      if (spec.ndim !== undefined) parts.push(`rank ${spec.ndim}`);
      if (spec.minNdim !== undefined) parts.push(`rank >= ${spec.minNdim}`);
      for (const [axis, size] of Object.entries(spec.axes ?? {})) parts.push(`${Number(axis) === -1 ? 'last axis' : `axis ${axis}`} of size ${size}`);
      return parts.join(', ');
    };
    const fail = (): never => {
      const expected = this.builtInputShape ? ` (built for ${formatSymbolicShape(this.builtInputShape)})` : '';
      throw new Error(`Layer '${this.name}' (${this.className}) expects an input with ${want()}${expected}, got shape ${formatSymbolicShape(shape)}.`);
    };
    if (spec.ndim !== undefined && shape.length !== spec.ndim) fail();
    if (spec.minNdim !== undefined && shape.length < spec.minNdim) fail();
    for (const [axis, size] of Object.entries(spec.axes ?? {})) {
      const a = Number(axis) < 0 ? shape.length + Number(axis) : Number(axis);
      const d = shape[a];
      if (d !== null && d !== undefined && d !== size) fail();
    }
  }

  /** The input shape of the layer's first symbolic call (for messages and summaries), or null. */
  get builtInputShape(): SymbolicShape | null {
    const node = this.inboundNodes[0];
    return node && !node.listInput ? node.inputs[0].shape : null;
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

export type LayerClass = { new (config: any): Layer; fromConfig?(config: Record<string, unknown>, raw?: Record<string, unknown>): Layer };

/** Layer classes by className, for deserialization ('Dense', 'Dropout', ...). */
export const layerRegistry = new Registry<LayerClass>('layer');

export function registerLayer(className: string, cls: LayerClass): void {
  layerRegistry.register(className, cls);
}

/**
 * A layer from its class name and camelCase config (as getConfig gives it, or read from a Keras / TF.js file):
 * top-level nulls are dropped (defaults apply), Keras 3's batchShape and dtype policy objects are accepted.
 */
export function layerFromConfig(className: string, config: Record<string, unknown>): Layer {
  const cls = layerRegistry.get(className);
  const cfg: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config ?? {})) if (v !== null && v !== undefined) cfg[k] = v;
  if (cfg.batchShape !== undefined && cfg.batchInputShape === undefined) cfg.batchInputShape = cfg.batchShape;
  delete cfg.batchShape;
  const dtype = cfg.dtype as { config?: { name?: string } } | undefined;
  if (typeof dtype === 'object') cfg.dtype = dtype.config?.name ?? 'float32';
  fromConfigDepth++;
  try {
    return cls.fromConfig ? cls.fromConfig(cfg, config) : new cls(cfg);
  } finally {
    fromConfigDepth--;
  }
}
