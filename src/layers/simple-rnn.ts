// SimpleRNN: h_t = activation(x_t·W + h_{t−1}·U + b), activation tanh (Keras 3 defaults). Weights kernel [features,
// units], recurrent_kernel [units, units], bias [units]. The time loop, masks and states: src/layers/rnn.ts.

import type { Tensor } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';
import { registerLayer } from './layer.js';
import { RNN, type RNNArgs } from './rnn.js';

export class SimpleRNN extends RNN {
  readonly className = 'SimpleRNN';
  protected readonly gates = 1;
  protected readonly stateCount = 1;

  /** new SimpleRNN(32, { returnSequences: true }) or new SimpleRNN({ units: 32, ... }). */
  constructor(unitsOrArgs: number | RNNArgs, args: RNNArgs = {}) {
    super('SimpleRNN', typeof unitsOrArgs === 'number' ? { ...args, units: unitsOrArgs } : unitsOrArgs);
  }

  protected step(xw: Tensor, [h]: readonly Tensor[], recurrentMask: Tensor | null) {
    const hp = recurrentMask ? ops.mul(h, recurrentMask) : h;
    const next = this.activation(ops.add(xw, ops.matmul(hp, this.recurrentKernel!)));
    return { h: next, states: [next] };
  }
}

registerLayer('SimpleRNN', SimpleRNN);
