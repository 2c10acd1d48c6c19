// GRU (Cho et al. 2014), Keras 3 gate order z, r, h; resetAfter true by default (the cuDNN-compatible variant):
//   x_t·W + b_in = [x_z, x_r, x_h],  h_{t−1}·U + b_rec = [u_z, u_r, u_h]
//   z = σ(x_z + u_z), r = σ(x_r + u_r), ĥ = act(x_h + r·u_h)            (resetAfter: true, bias [2, 3·units])
//   ĥ = act(x_h + (r·h_{t−1})·U_h)  with b added to x only              (resetAfter: false, bias [3·units])
//   h_t = z·h_{t−1} + (1 − z)·ĥ
// σ = recurrentActivation (default sigmoid), act = activation (default tanh). Weights kernel [features, 3·units],
// recurrent_kernel [units, 3·units], bias.

import type { Tensor } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';
import { registerLayer } from './layer.js';
import { RNN, gateActivation, type GatedArgs } from './rnn.js';
import type { ActivationFn } from '../activations/index.js';

export interface GRUArgs extends GatedArgs {
  /** Apply the reset gate after the recurrent matmul (default true, as Keras 3; TF.js has it too). */
  resetAfter?: boolean;
}

export class GRU extends RNN {
  readonly className = 'GRU';
  protected readonly gates = 3;
  protected readonly stateCount = 1;
  readonly recurrentActivationName: string;
  private readonly recurrentActivation: ActivationFn;
  readonly resetAfter: boolean;

  /** new GRU(32) or new GRU({ units: 32, resetAfter: false, ... }). */
  constructor(unitsOrArgs: number | GRUArgs, args: GRUArgs = {}) {
    const options = typeof unitsOrArgs === 'number' ? { ...args, units: unitsOrArgs } : unitsOrArgs;
    super('GRU', options, ['recurrentActivation', 'resetAfter']);
    const act = gateActivation(options);
    this.recurrentActivationName = act.name;
    this.recurrentActivation = act.fn;
    this.resetAfter = options.resetAfter ?? true;
  }

  protected override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  /** Row 0 of the [2, 3·units] bias goes with the inputs; row 1 with the recurrent product. */
  protected override inputBias(): Tensor | null {
    if (!this.bias || !this.resetAfter) return this.bias;
    return ops.reshape(ops.slice(this.bias, [0, 0], [1, 3 * this.units]), [3 * this.units]);
  }

  /** Per call: the recurrent bias row, and (resetAfter false) the kernel's z, r and h column blocks. */
  private recurrentBias: Tensor | null = null;
  private kzr: Tensor | null = null;
  private kh: Tensor | null = null;

  protected override beginSequence(): void {
    const U = this.units;
    this.recurrentBias = this.bias && this.resetAfter ? ops.reshape(ops.slice(this.bias, [1, 0], [1, 3 * U]), [3 * U]) : null;
    if (!this.resetAfter) [this.kzr, this.kh] = ops.split(this.recurrentKernel!, [2 * U, U], 1);
  }

  protected step(xw: Tensor, [h]: readonly Tensor[], recurrentMask: Tensor | null) {
    const hp = recurrentMask ? ops.mul(h, recurrentMask) : h;
    const [xz, xr, xh] = ops.split(xw, 3, 1);
    let hh: Tensor, z: Tensor;
    if (this.resetAfter) {
      let inner = ops.matmul(hp, this.recurrentKernel!);
      if (this.recurrentBias) inner = ops.add(inner, this.recurrentBias);
      const [uz, ur, uh] = ops.split(inner, 3, 1);
      z = this.recurrentActivation(ops.add(xz, uz));
      const r = this.recurrentActivation(ops.add(xr, ur));
      hh = this.activation(ops.add(xh, ops.mul(r, uh)));
    } else {
      const [uz, ur] = ops.split(ops.matmul(hp, this.kzr!), 2, 1);
      z = this.recurrentActivation(ops.add(xz, uz));
      const r = this.recurrentActivation(ops.add(xr, ur));
      hh = this.activation(ops.add(xh, ops.matmul(ops.mul(r, hp), this.kh!)));
    }
    // h = z·h_prev + (1 − z)·ĥ = ĥ + z·(h_prev − ĥ)
    const next = ops.add(hh, ops.mul(z, ops.sub(h, hh)));
    return { h: next, states: [next] };
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivationName, resetAfter: this.resetAfter };
  }
}

registerLayer('GRU', GRU);
