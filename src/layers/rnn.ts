// The recurrent layer base (Keras's RNN with its cell folded in): the time loop, masks, initial and stateful
// states, dropout masks, goBackwards, returnSequences and returnState. Subclasses (SimpleRNN, LSTM, GRU) give the
// gate count, the state count and one step:
//   xW = x·W + b_in for all steps at once (one matmul), then for t = 0..T−1 (reversed with goBackwards):
//   (h_t, states_t) = step(xW_t, states_{t−1})
// A masked step (mask 0) keeps the states and repeats the previous output (zeros before the first real step), as
// Keras and TF.js. Dropout (on inputs) and recurrentDropout (on the previous h) draw one mask per sequence, the
// same for every step (Keras 3). Input [batch, timesteps, features]; output [batch, units], or
// [batch, timesteps, units] with returnSequences; with returnState, [output, ...final states].
// Everything is ops, so backpropagation through time runs inside the captured training step.

import { zeros, type Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { formatShape } from '../tensor/shape.js';
import { getRng, type Rng } from '../tensor/random.js';
import * as ops from '../ops/index.js';
import { Layer, checkLayerOptions, type LayerArgs, type SymbolicShape } from './layer.js';
import { getActivation, type ActivationFn, type ActivationIdentifier } from '../activations/index.js';
import { getInitializer, serializeInitializer, type InitializerIdentifier, type Initializer } from '../initializers/index.js';
import { getRegularizer, type Regularizer, type RegularizerIdentifier, serializeRegularizer } from '../regularizers/index.js';
import { getMask } from './mask.js';
import { dropoutMask } from './rnn-ops.js';

export interface RNNArgs extends LayerArgs {
  /** Dimension of the output and of each state (required). */
  units?: number;
  /** Activation of the candidate state and output (default 'tanh'). */
  activation?: ActivationIdentifier;
  /** Whether to add a bias (default true). */
  useBias?: boolean;
  /** Initializer of the input kernel (default 'glorotUniform'). */
  kernelInitializer?: InitializerIdentifier;
  /** Initializer of the recurrent kernel (default 'orthogonal'). */
  recurrentInitializer?: InitializerIdentifier;
  /** Initializer of the bias (default 'zeros'). */
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  recurrentRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
  /** Penalty on the layer's output. */
  activityRegularizer?: RegularizerIdentifier;
  /** Fraction of the input features dropped in training, one mask per sequence (default 0). */
  dropout?: number;
  /** Fraction of the previous output dropped before the recurrent kernel in training (default 0). */
  recurrentDropout?: number;
  /** Return the output of every step, [batch, timesteps, units] (default false: the last, [batch, units]). */
  returnSequences?: boolean;
  /** Also return the final states: [output, h] (SimpleRNN, GRU) or [output, h, c] (LSTM) (default false). */
  returnState?: boolean;
  /** Process the sequence from its end; with returnSequences the outputs come in that reversed order (default false). */
  goBackwards?: boolean;
  /** Keep the final states of a batch as the initial states of the next (sample i continues sample i); needs a fixed
   * batch size; resetStates() zeroes them (default false). */
  stateful?: boolean;
  /** Accepted for Keras compatibility; the loop is always unrolled into ops (default false). */
  unroll?: boolean;
  /** Seed of the layer's own dropout stream (default: the setSeed generator). */
  seed?: number;
}

export const RNN_OPTIONS = [
  'units', 'activation', 'useBias', 'kernelInitializer', 'recurrentInitializer', 'biasInitializer', 'kernelRegularizer',
  'recurrentRegularizer', 'biasRegularizer', 'activityRegularizer', 'kernelConstraint', 'recurrentConstraint', 'biasConstraint',
  'dropout', 'recurrentDropout', 'returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll', 'seed', 'timeMajor', 'implementation',
];


export abstract class RNN extends Layer {
  readonly units: number;
  readonly activationName: string;
  protected readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly recurrentRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly activityRegularizer: Regularizer | null;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  readonly unroll: boolean;
  readonly seed?: number;
  kernel: Variable | null = null;
  recurrentKernel: Variable | null = null;
  bias: Variable | null = null;
  /** The carried states of a stateful layer (null until the first call or after a batch-size change). */
  states: Tensor[] | null = null;
  private rng: Rng | null = null;

  /** Gate blocks in the kernels: 1 (SimpleRNN), 3 (GRU), 4 (LSTM). */
  protected abstract readonly gates: number;
  /** States carried between steps: 1 (h) or 2 (LSTM's h, c). */
  protected abstract readonly stateCount: number;
  override readonly supportsMasking = true;

  /** Keras's RNN.compute_mask: the sequence's mask with returnSequences, else none; returned states carry none. */
  override computeMask(_inputs: Tensor | Tensor[], mask: Tensor | null | (Tensor | null)[]): Tensor | null | (Tensor | null)[] {
    const m = Array.isArray(mask) ? mask[0] : mask;
    const out = this.returnSequences ? m : null;
    return this.returnState ? [out, ...Array.from({ length: this.stateCount }, () => null)] : out;
  }

  constructor(className: string, args: RNNArgs, own: readonly string[] = []) {
    checkLayerOptions(className, args ?? {}, [...RNN_OPTIONS, ...own]);
    super(args);
    const units = args.units;
    if (units === undefined || !Number.isInteger(units) || units <= 0) throw new Error(`${className}: units must be a positive integer, got ${units}.`);
    this.units = units;
    const act = getActivation(args.activation ?? 'tanh');
    this.activationName = act.name;
    this.activation = act.fn;
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorotUniform');
    this.recurrentInitializer = getInitializer(args.recurrentInitializer ?? 'orthogonal');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer);
    this.recurrentRegularizer = getRegularizer(args.recurrentRegularizer);
    this.biasRegularizer = getRegularizer(args.biasRegularizer);
    this.activityRegularizer = getRegularizer(args.activityRegularizer);
    for (const k of ['dropout', 'recurrentDropout'] as const) {
      const v = args[k] ?? 0;
      if (!(v >= 0 && v < 1)) throw new Error(`${className}: ${k} must be in [0, 1), got ${args[k]}.`);
    }
    this.dropout = args.dropout ?? 0;
    this.recurrentDropout = args.recurrentDropout ?? 0;
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = args.returnState ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.stateful = args.stateful ?? false;
    this.unroll = args.unroll ?? false;
    this.seed = args.seed;
    if ((args as { timeMajor?: boolean }).timeMajor) throw new Error(`${className}: timeMajor inputs are not supported; pass [batch, timesteps, features].`);
    this.inputSpec = { ndim: 3 };
  }

  /** Bias shape: [gates·units] (GRU with resetAfter: [2, 3·units]). */
  protected biasShape(): number[] {
    return [this.gates * this.units];
  }

  /** The bias initial value (LSTM overrides it for unitForgetBias). */
  protected biasInit(): Initializer {
    return this.biasInitializer;
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as SymbolicShape;
    const dim = shape[shape.length - 1];
    if (dim === null || dim === undefined) throw new Error(`${this.className} '${this.name}': the feature dimension (last axis) of the input must be known, got ${JSON.stringify(shape)}.`);
    const g = this.gates * this.units;
    this.kernel = this.addWeight('kernel', [dim, g], this.kernelInitializer, this.kernelRegularizer);
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, g], this.recurrentInitializer, this.recurrentRegularizer);
    if (this.useBias) this.bias = this.addWeight('bias', this.biasShape(), this.biasInit(), this.biasRegularizer);
    this.inputSpec = { ndim: 3, axes: { [-1]: dim } };
    this.built = true;
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as SymbolicShape;
    const out = this.returnSequences ? [shape[0], shape[1], this.units] : [shape[0], this.units];
    return this.returnState ? [out, ...Array.from({ length: this.stateCount }, () => [shape[0], this.units])] : out;
  }

  /** Input bias folded into the all-steps input projection (null: none). */
  protected inputBias(): Tensor | null {
    return this.bias;
  }

  /**
   * One step: xw = this step's x·W + b_in [batch, gates·units], the previous states, the recurrent dropout mask (or
   * null). Returns the output h and the new states.
   */
  protected abstract step(xw: Tensor, states: readonly Tensor[], recurrentMask: Tensor | null): { h: Tensor; states: Tensor[] };

  /** The states as the steps carry them (LSTM's fused step carries [c | o] for c), and back. */
  protected packStates(states: Tensor[]): Tensor[] {
    return states;
  }
  protected unpackStates(states: Tensor[]): Tensor[] {
    return states;
  }

  /** Called once per call before the time loop (per-sequence slices of the weights). */
  protected beginSequence(): void {}

  /** The layer's random stream: its own when seeded, else the global setSeed generator (read at each draw). */
  private readonly stream = (): Rng => (this.seed === undefined ? getRng() : (this.rng ??= getRng(this.seed)));

  /**
   * Run over a sequence, or a list [sequence, ...initial states] (each [batch, units]). A mask attached to the
   * sequence (Embedding with maskZero, Masking, or withMask) skips steps. Throws on initial states of the wrong
   * number or shape, and on a stateful layer called with a batch size other than its states'.
   */
  call(inputs: Tensor | Tensor[], training: boolean): Tensor | Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const x = list[0];
    const [B, T, D] = x.shape;
    const U = this.units;
    const mask = getMask(x);
    let states = this.initialStates(list.slice(1), B);

    let seq = x;
    if (training && this.dropout > 0) seq = ops.mul(seq, ops.reshape(dropoutMask([B, D], this.dropout, this.stream), [B, 1, D]));
    const recurrentMask = training && this.recurrentDropout > 0 ? dropoutMask([B, U], this.recurrentDropout, this.stream) : null;
    const G = this.gates * U;
    let xw = ops.matmul(ops.reshape(seq, [B * T, D]), this.kernel!);
    const inBias = this.inputBias();
    if (inBias) xw = ops.add(xw, inBias);
    xw = ops.reshape(xw, [B, T, G]);

    this.beginSequence();
    states = this.packStates(states);
    const outputs: Tensor[] = [];
    let out: Tensor = zeros([B, U]);
    for (let k = 0; k < T; k++) {
      const t = this.goBackwards ? T - 1 - k : k;
      const step = this.step(ops.reshape(ops.slice(xw, [0, t, 0], [B, 1, G]), [B, G]), states, recurrentMask);
      if (mask) {
        // Masked rows keep their previous states and output: s = s_prev + m·(s_new − s_prev).
        const m = ops.reshape(ops.slice(mask, [0, t], [B, 1]), [B, 1]);
        const keep = (prev: Tensor, next: Tensor) => ops.add(prev, ops.mul(m, ops.sub(next, prev)));
        states = step.states.map((s, i) => keep(states[i], s));
        out = keep(out, step.h);
      } else {
        states = step.states;
        out = step.h;
      }
      if (this.returnSequences) outputs.push(out);
    }
    states = this.unpackStates(states);
    if (this.stateful) this.states!.forEach((s, i) => ops.assign(s, states[i]));
    let output = this.returnSequences ? ops.stack(outputs, 1) : out;
    if (this.activityRegularizer) this.activityLosses.push(this.activityRegularizer.penalty(output));
    return this.returnState ? [output, ...states] : output;
  }

  /** Given initial states (checked), else the carried states of a stateful layer, else zeros. */
  private initialStates(given: readonly Tensor[], batch: number): Tensor[] {
    const U = this.units;
    if (given.length) {
      if (given.length !== this.stateCount) throw new Error(`${this.className} '${this.name}' has ${this.stateCount} state(s), got ${given.length} initial state(s).`);
      given.forEach((s, i) => {
        if (s.rank !== 2 || s.shape[0] !== batch || s.shape[1] !== U) throw new Error(`${this.className} '${this.name}': initial state ${i} has shape ${formatShape(s.shape)}, expected [${batch}, ${U}] ([batch, units]).`);
      });
      return [...given];
    }
    if (!this.stateful) return Array.from({ length: this.stateCount }, () => zeros([batch, U]));
    const fixed = this.batchInputShape?.[0] ?? null;
    if (fixed !== null && fixed !== batch) throw new Error(`${this.className} '${this.name}' is stateful with batch size ${fixed} (batchInputShape), got a batch of ${batch}; use batches of exactly ${fixed} samples.`);
    if (this.states && this.states[0].shape[0] !== batch) throw new Error(`${this.className} '${this.name}' is stateful and carries states for a batch of ${this.states[0].shape[0]}, got a batch of ${batch}; call resetStates() before changing the batch size.`);
    this.states ??= Array.from({ length: this.stateCount }, () => zeros([batch, U]));
    // Copies: the carried buffers are overwritten at the end of the step, while backward still reads the step's inputs.
    return this.states.map((s) => ops.mul(s, 1));
  }

  /**
   * Reset the states of a stateful layer: to zeros, or to the given values (one [batch, units] tensor per state).
   * Throws on a layer that is not stateful and on values of the wrong number or shape.
   */
  resetStates(values?: readonly Tensor[]): void {
    if (!this.stateful) throw new Error(`${this.className} '${this.name}' is not stateful; resetStates() applies to layers built with stateful: true.`);
    if (!values) {
      if (this.states) for (const s of this.states) s.data.fill(0);
      return;
    }
    if (values.length !== this.stateCount) throw new Error(`${this.className} '${this.name}' has ${this.stateCount} state(s), got ${values.length} value(s).`);
    const batch = values[0].shape[0];
    values.forEach((v, i) => {
      if (v.rank !== 2 || v.shape[0] !== batch || v.shape[1] !== this.units) throw new Error(`${this.className} '${this.name}': state value ${i} has shape ${formatShape(v.shape)}, expected [batch, ${this.units}].`);
    });
    if (!this.states || this.states[0].shape[0] !== batch) this.states = values.map(() => zeros([batch, this.units]));
    this.states.forEach((s, i) => s.data.set(values[i].data));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activationName,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      recurrentInitializer: serializeInitializer(this.recurrentInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      recurrentRegularizer: serializeRegularizer(this.recurrentRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
      activityRegularizer: serializeRegularizer(this.activityRegularizer),
      kernelConstraint: null,
      recurrentConstraint: null,
      biasConstraint: null,
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
      ...(this.seed !== undefined ? { seed: this.seed } : {}),
    };
  }
}

/** Shared by LSTM and GRU: the sigmoid-like gate activation. */
export interface GatedArgs extends RNNArgs {
  /** Activation of the gates (default 'sigmoid', as Keras 3; TF.js defaults to 'hardSigmoid'). */
  recurrentActivation?: ActivationIdentifier;
}

export function gateActivation(args: GatedArgs): { name: string; fn: ActivationFn } {
  return getActivation(args.recurrentActivation ?? 'sigmoid');
}
