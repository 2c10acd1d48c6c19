// LSTM (Hochreiter & Schmidhuber 1997, with forget gate), Keras 3 gate order i, f, c, o:
//   z = x_t·W + h_{t−1}·U + b,  [z_i, z_f, z_c, z_o] = z split in four blocks of `units`
//   i = σ(z_i), f = σ(z_f), o = σ(z_o)  (σ = recurrentActivation, default sigmoid),  g = act(z_c)  (act default tanh)
//   c_t = f·c_{t−1} + i·g,  h_t = o·act(c_t)
// Weights kernel [features, 4·units], recurrent_kernel [units, 4·units], bias [4·units]; unitForgetBias (default true)
// starts the forget block of the bias at 1 (Jozefowicz et al. 2015). States [h, c].

import { Tensor as TensorClass, zeros, type Tensor } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';
import { registerLayer } from './layer.js';
import { RNN, gateActivation, type GatedArgs } from './rnn.js';
import { elementwiseActivation, type ActivationFn } from '../activations/index.js';
import type { CellActivations } from '../ops/recurrent.js';
import type { Initializer } from '../initializers/index.js';

export interface LSTMArgs extends GatedArgs {
  /** Add 1 to the forget gate's bias at initialization (default true, as Keras). */
  unitForgetBias?: boolean;
}

/** The bias initializer with the forget block set to ones: [init(units), ones(units), init(2·units)] (Keras). */
class UnitForgetBias implements Initializer {
  readonly className: string;
  constructor(private readonly base: Initializer, private readonly units: number) {
    this.className = base.className;
  }
  init(): Tensor {
    const u = this.units;
    const data = new Float32Array(4 * u);
    data.set(this.base.init([u]).data, 0);
    data.fill(1, u, 2 * u);
    data.set(this.base.init([2 * u]).data, 2 * u);
    return new TensorClass(data, [4 * u]);
  }
  getConfig() {
    return this.base.getConfig();
  }
}

export class LSTM extends RNN {
  readonly className = 'LSTM';
  protected readonly gates = 4;
  protected readonly stateCount = 2;
  readonly recurrentActivationName: string;
  private readonly recurrentActivation: ActivationFn;
  readonly unitForgetBias: boolean;
  /** Both activations elementwise (every Keras activation but softmax and log_softmax): the step is one fused op. */
  private readonly cell: CellActivations | null;

  /** new LSTM(64, { returnSequences: true }) or new LSTM({ units: 64, ... }). */
  constructor(unitsOrArgs: number | LSTMArgs, args: LSTMArgs = {}) {
    const options = typeof unitsOrArgs === 'number' ? { ...args, units: unitsOrArgs } : unitsOrArgs;
    super('LSTM', options, ['recurrentActivation', 'unitForgetBias']);
    const act = gateActivation(options);
    this.recurrentActivationName = act.name;
    this.recurrentActivation = act.fn;
    this.unitForgetBias = options.unitForgetBias ?? true;
    const activation = elementwiseActivation({ name: this.activationName, fn: this.activation });
    const recurrentActivation = elementwiseActivation(act);
    this.cell = activation && recurrentActivation ? { activation, recurrentActivation } : null;
  }

  /** The fused step carries [c | o] in place of c (see packStates). */
  private get fused(): boolean {
    return this.cell !== null;
  }

  protected override packStates([h, c]: Tensor[]): Tensor[] {
    return this.fused ? [h, ops.concat([c, zeros(c.shape)], 1)] : [h, c];
  }

  protected override unpackStates([h, y]: Tensor[]): Tensor[] {
    return this.fused ? [h, ops.slice(y, [0, 0], [y.shape[0], this.units])] : [h, y];
  }

  protected override biasInit(): Initializer {
    return this.unitForgetBias ? new UnitForgetBias(this.biasInitializer, this.units) : this.biasInitializer;
  }

  protected step(xw: Tensor, [h, c]: readonly Tensor[], recurrentMask: Tensor | null) {
    const hp = recurrentMask ? ops.mul(h, recurrentMask) : h;
    const hu = ops.matmul(hp, this.recurrentKernel!);
    if (this.cell) {
      // Elementwise activations: the gate arithmetic as two ops (src/ops/recurrent.ts), the formulas below.
      const y = ops.lstmCell(xw, hu, c, this.cell);
      const hNext = ops.lstmHidden(y, this.cell);
      return { h: hNext, states: [hNext, y] };
    }
    // softmax or log_softmax (not elementwise), or a user's function: composed from ops.
    const z = ops.add(xw, hu);
    const [zi, zf, zc, zo] = ops.split(z, 4, 1);
    const i = this.recurrentActivation(zi), f = this.recurrentActivation(zf), o = this.recurrentActivation(zo);
    const cNext = ops.add(ops.mul(f, c), ops.mul(i, this.activation(zc)));
    const hNext = ops.mul(o, this.activation(cNext));
    return { h: hNext, states: [hNext, cNext] };
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivationName, unitForgetBias: this.unitForgetBias };
  }
}

registerLayer('LSTM', LSTM);
