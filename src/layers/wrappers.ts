// Layer wrappers: Bidirectional runs a recurrent layer forwards and a copy of it backwards over the same sequence
// and merges the two (Schuster & Paliwal 1997); TimeDistributed applies one layer to every time step (the same
// weights at each step). Both hold their inner layers' weights (forward then backward) and pass masks on.

import type { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';
import { Layer, registerLayer, checkLayerOptions, layerFromConfig, isShapeList, type LayerArgs, type SymbolicShape } from './layer.js';
import { RNN } from './rnn.js';

type LayerSpec = Layer | { className: string; config: Record<string, unknown> };

function innerLayer(spec: LayerSpec | undefined, who: string): Layer {
  if (spec instanceof Layer) return spec;
  if (spec && typeof spec === 'object' && typeof spec.className === 'string') return layerFromConfig(spec.className, structuredClone(spec.config ?? {}));
  throw new Error(`${who}: 'layer' must be a layer (or its { className, config }), got ${spec === undefined ? 'nothing' : typeof spec}.`);
}

const serialize = (l: Layer) => ({ className: l.className, config: l.getConfig() });

/** Wrappers own their inner layers' weights (same Variables) and penalties. */
abstract class Wrapper extends Layer {
  protected abstract inner(): Layer[];
  /** Build an inner layer with its weights named as TF.js names them: '<wrapper>/<inner>/kernel', or '<wrapper>/kernel'. */
  protected buildInner(layer: Layer, shape: SymbolicShape, withInnerName: boolean): void {
    this.ensureName();
    const name = layer.name;
    layer.name = withInnerName ? `${this.name}/${name}` : this.name;
    try {
      layer.build(shape);
    } finally {
      layer.name = name;
    }
    layer.built = true;
    this.weightList.push(...layer.weights);
  }
  override get losses(): Tensor[] {
    return this.inner().flatMap((l) => l.losses);
  }
}

export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | 'none';

export interface BidirectionalArgs extends LayerArgs {
  /** The recurrent layer (SimpleRNN, LSTM, GRU) to run both ways (required); it is copied, as Keras does. */
  layer?: LayerSpec;
  /** How forward and backward outputs combine: 'concat' (default, last axis), 'sum', 'mul', 'ave', or 'none' (a list). */
  mergeMode?: MergeMode | null;
  /** A separate layer for the backward direction (default: a copy of `layer` with goBackwards flipped). */
  backwardLayer?: LayerSpec;
}

/** Reverse the time axis (axis 1) of [batch, timesteps, ...]. */
function reverseTime(x: Tensor): Tensor {
  const T = x.shape[1];
  return ops.gather(x, tensor(Array.from({ length: T }, (_, i) => T - 1 - i)), 1);
}

export class Bidirectional extends Wrapper {
  readonly className = 'Bidirectional';
  override readonly supportsMasking = true;
  readonly forwardLayer: RNN;
  readonly backwardLayer: RNN;
  readonly mergeMode: MergeMode;

  /** new Bidirectional(new LSTM(32, { returnSequences: true }), { mergeMode: 'sum' }) or new Bidirectional({ layer, ... }). */
  constructor(layerOrArgs: Layer | BidirectionalArgs, args: BidirectionalArgs = {}) {
    const options = layerOrArgs instanceof Layer ? { ...args, layer: layerOrArgs } : layerOrArgs ?? {};
    checkLayerOptions('Bidirectional', options, ['layer', 'mergeMode', 'backwardLayer']);
    super(options);
    const given = innerLayer(options.layer, 'Bidirectional');
    if (!(given instanceof RNN)) throw new Error(`Bidirectional wraps a recurrent layer (SimpleRNN, LSTM, GRU), got ${given.className}.`);
    const mode = options.mergeMode === null ? 'none' : options.mergeMode ?? 'concat';
    if (!['concat', 'sum', 'mul', 'ave', 'none'].includes(mode)) throw new Error(`Bidirectional: mergeMode must be 'concat', 'sum', 'mul', 'ave' or 'none', got ${JSON.stringify(options.mergeMode)}.`);
    this.mergeMode = mode;
    const config = given.getConfig();
    const base = String(config.name).replace(/^forward_/, '');
    this.forwardLayer = layerFromConfig(given.className, { ...config, name: `forward_${base}` }) as RNN;
    const back = options.backwardLayer ? innerLayer(options.backwardLayer, 'Bidirectional') : layerFromConfig(given.className, { ...config, name: `backward_${base}`, goBackwards: !given.goBackwards });
    if (!(back instanceof RNN)) throw new Error(`Bidirectional: backwardLayer must be a recurrent layer, got ${back.className}.`);
    if (back.returnSequences !== given.returnSequences || back.returnState !== given.returnState) throw new Error('Bidirectional: the backward layer must have the same returnSequences and returnState as the forward layer.');
    this.backwardLayer = back;
    this.inputSpec = { ndim: 3 };
  }

  protected inner(): Layer[] {
    return [this.forwardLayer, this.backwardLayer];
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const shape = (isShapeList(inputShape) ? inputShape[0] : inputShape) as SymbolicShape;
    this.buildInner(this.forwardLayer, shape, true);
    this.buildInner(this.backwardLayer, shape, true);
    this.built = true;
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    const shape = (isShapeList(inputShape) ? inputShape[0] : inputShape) as SymbolicShape;
    const f = this.forwardLayer.computeOutputShape(shape);
    const out = (isShapeList(f) ? f[0] : f) as SymbolicShape;
    const states = isShapeList(f) ? f.slice(1) : [];
    const merged = this.mergeMode === 'concat' ? [...out.slice(0, -1), (out[out.length - 1] as number) * 2] : out;
    const outs = this.mergeMode === 'none' ? [out, out] : [merged];
    return outs.length === 1 && states.length === 0 ? merged : [...outs, ...states, ...states];
  }

  /** A sequence, or [sequence, ...forward initial states, ...backward initial states]. */
  call(inputs: Tensor | Tensor[], training: boolean): Tensor | Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const x = list[0];
    const n = list.length - 1;
    if (n % 2) throw new Error(`Bidirectional '${this.name}': initial states come in equal halves (forward, then backward); got ${n}.`);
    const fIn = n ? [x, ...list.slice(1, 1 + n / 2)] : x;
    const bIn = n ? [x, ...list.slice(1 + n / 2)] : x;
    const f = this.forwardLayer.applyList(fIn as Tensor, training);
    const b = this.backwardLayer.applyList(bIn as Tensor, training);
    let fy = f[0], by = b[0];
    // The backward layer returns its sequence from the last step to the first: put it back in time order.
    if (this.forwardLayer.returnSequences) by = reverseTime(by);
    let outs: Tensor[];
    switch (this.mergeMode) {
      case 'concat': outs = [ops.concat([fy, by], -1)]; break;
      case 'sum': outs = [ops.add(fy, by)]; break;
      case 'mul': outs = [ops.mul(fy, by)]; break;
      case 'ave': outs = [ops.mul(ops.add(fy, by), 0.5)]; break;
      default: outs = [fy, by];
    }
    fy = outs[0];
    const states = [...f.slice(1), ...b.slice(1)];
    return outs.length === 1 && states.length === 0 ? fy : [...outs, ...states];
  }

  /** The sequence's mask on the merged output(s) when the layers return sequences (Keras's compute_mask). */
  override computeMask(_inputs: Tensor | Tensor[], mask: Tensor | null | (Tensor | null)[]): (Tensor | null)[] {
    const m = this.forwardLayer.returnSequences ? (Array.isArray(mask) ? mask[0] : mask) : null;
    return [m, ...(this.mergeMode === 'none' ? [m] : [])];
  }

  /** Whether the wrapped layers carry states across batches (then predict keeps batches at the states' size). */
  get stateful(): boolean {
    return this.forwardLayer.stateful;
  }

  /** Reset both directions' states (stateful layers). */
  resetStates(): void {
    this.forwardLayer.resetStates();
    this.backwardLayer.resetStates();
  }

  override getConfig(): Record<string, unknown> {
    const layer = serialize(this.forwardLayer);
    layer.config.name = String(layer.config.name).replace(/^forward_/, '');
    const config: Record<string, unknown> = { ...super.getConfig(), layer, mergeMode: this.mergeMode === 'none' ? null : this.mergeMode };
    // Only a backward layer that is not the default copy is stored (Keras's backward_layer).
    const defaultBack = { ...layer.config, name: `backward_${layer.config.name}`, goBackwards: !layer.config.goBackwards };
    const back = this.backwardLayer.getConfig();
    if (JSON.stringify(back) !== JSON.stringify(defaultBack)) config.backwardLayer = serialize(this.backwardLayer);
    return config;
  }

  /** mergeMode null in a saved config means 'none' (Keras's merge_mode=None), not the default. */
  static fromConfig(config: Record<string, unknown>, raw?: Record<string, unknown>): Bidirectional {
    const mergeMode = raw && 'mergeMode' in raw && raw.mergeMode === null ? 'none' : config.mergeMode;
    return new Bidirectional({ ...config, mergeMode } as BidirectionalArgs);
  }
}

export interface TimeDistributedArgs extends LayerArgs {
  /** The layer applied to every time step (required). */
  layer?: LayerSpec;
}

/** Apply a layer to each step: [batch, timesteps, ...] → [batch, timesteps, ...layer output], the same weights at every step. */
export class TimeDistributed extends Wrapper {
  readonly className = 'TimeDistributed';
  /** The sequence's mask passes on unchanged (the wrapped layer sees one step at a time). */
  override readonly supportsMasking = true;
  readonly layer: Layer;

  /** new TimeDistributed(new Dense(8)) or new TimeDistributed({ layer }). */
  constructor(layerOrArgs: Layer | TimeDistributedArgs, args: TimeDistributedArgs = {}) {
    const options = layerOrArgs instanceof Layer ? { ...args, layer: layerOrArgs } : layerOrArgs ?? {};
    checkLayerOptions('TimeDistributed', options, ['layer']);
    super(options);
    this.layer = innerLayer(options.layer, 'TimeDistributed');
    this.inputSpec = { minNdim: 3 };
  }

  protected inner(): Layer[] {
    return [this.layer];
  }

  override build(inputShape: SymbolicShape): void {
    this.buildInner(this.layer, [inputShape[0], ...inputShape.slice(2)], false);
    this.built = true;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const inner = this.layer.computeOutputShape([inputShape[0], ...inputShape.slice(2)]);
    if (isShapeList(inner)) throw new Error(`TimeDistributed '${this.name}': the wrapped layer must have one output.`);
    return [inputShape[0], inputShape[1], ...(inner as SymbolicShape).slice(1)];
  }

  call(input: Tensor, training: boolean): Tensor {
    const [B, T, ...rest] = input.shape;
    const y = this.layer.apply(ops.reshape(input, [B * T, ...rest]), training) as Tensor;
    const out = ops.reshape(y, [B, T, ...y.shape.slice(1)]);
    return out;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: serialize(this.layer) };
  }
}

registerLayer('Bidirectional', Bidirectional);
registerLayer('TimeDistributed', TimeDistributed);
