// Dense: output = activation(input · kernel + bias), kernel [inputDim, units], bias [units] (Keras layout).
// Inputs of rank > 2 are multiplied along their last axis.

import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import * as ops from '../ops/index.js';
import { Layer, registerLayer, checkLayerOptions, type LayerArgs, type SymbolicShape } from './layer.js';
import { getActivation, type ActivationIdentifier, type ActivationFn } from '../activations/index.js';
import { getInitializer, serializeInitializer, type InitializerIdentifier, type Initializer } from '../initializers/index.js';
import { getRegularizer, type Regularizer, type RegularizerIdentifier, serializeRegularizer } from '../regularizers/index.js';

export interface DenseArgs extends LayerArgs {
  /** Number of output units (required). */
  units?: number;
  /** Activation applied to the output (default 'linear': none). */
  activation?: ActivationIdentifier;
  /** Whether to add a bias vector (default true). */
  useBias?: boolean;
  /** Kernel initializer (default 'glorotUniform', as Keras). */
  kernelInitializer?: InitializerIdentifier;
  /** Bias initializer (default 'zeros'). */
  biasInitializer?: InitializerIdentifier;
  /** Penalty on the kernel (l1, l2, l1l2). */
  kernelRegularizer?: RegularizerIdentifier;
  /** Penalty on the bias. */
  biasRegularizer?: RegularizerIdentifier;
  /** Penalty on the layer's output. */
  activityRegularizer?: RegularizerIdentifier;
}

const DENSE_OPTIONS = ['units', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', 'kernelRegularizer', 'biasRegularizer', 'activityRegularizer'];

export class Dense extends Layer {
  readonly className = 'Dense';
  override readonly supportsMasking = true;
  readonly units: number;
  readonly activationName: string;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly activityRegularizer: Regularizer | null;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  /** new Dense(32, { activation: 'relu', inputDim: 8 }) or new Dense({ units: 32, ... }). */
  constructor(unitsOrArgs: number | DenseArgs, args: DenseArgs = {}) {
    const options = typeof unitsOrArgs === 'number' ? { ...args, units: unitsOrArgs } : (unitsOrArgs ?? {});
    if (typeof options !== 'object') throw new Error(`Dense: expected a number of units or an options object, got ${typeof unitsOrArgs}.`);
    checkLayerOptions('Dense', options, DENSE_OPTIONS);
    super(options);
    const units = options.units;
    if (units === undefined || !Number.isInteger(units) || units <= 0) {
      throw new Error(`Dense: units must be a positive integer, got ${units}.`);
    }
    this.units = units;
    const act = getActivation(options.activation);
    this.activationName = act.name;
    this.activation = act.fn;
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = getInitializer(options.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(options.biasInitializer ?? 'zeros');
    this.kernelRegularizer = getRegularizer(options.kernelRegularizer);
    this.biasRegularizer = getRegularizer(options.biasRegularizer);
    this.activityRegularizer = getRegularizer(options.activityRegularizer);
    this.inputSpec = { minNdim: 2 };
  }

  override build(inputShape: SymbolicShape): void {
    const inputDim = inputShape[inputShape.length - 1];
    if (inputDim === null || inputDim === undefined) throw new Error(`Dense '${this.name}': the last dimension of the input must be known, got ${JSON.stringify(inputShape)}.`);
    this.kernel = this.addWeight('kernel', [inputDim, this.units], this.kernelInitializer, this.kernelRegularizer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], this.biasInitializer, this.biasRegularizer);
    this.inputSpec = { minNdim: 2, axes: { [-1]: inputDim } };
    this.built = true;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape.slice(0, -1), this.units];
  }

  call(input: Tensor): Tensor {
    const kernel = this.kernel!;
    const inputDim = kernel.shape[0];
    if (input.shape[input.rank - 1] !== inputDim) {
      throw new Error(`Dense '${this.name}' expects inputs with last dimension ${inputDim}, got shape [${input.shape.join(', ')}].`);
    }
    const flat = input.rank === 2 ? input : ops.reshape(input, [-1, inputDim]);
    let out = ops.matmul(flat, kernel);
    if (this.bias) out = ops.add(out, this.bias);
    out = this.activation(out);
    if (input.rank !== 2) out = ops.reshape(out, [...input.shape.slice(0, -1), this.units]);
    if (this.activityRegularizer) this.activityLosses.push(this.activityRegularizer.penalty(out));
    return out;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activationName,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
      activityRegularizer: serializeRegularizer(this.activityRegularizer),
    };
  }
}

registerLayer('Dense', Dense);
