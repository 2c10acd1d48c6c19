// Nadam (Dozat, 2016, "Incorporating Nesterov Momentum into Adam"), as Keras 3 keras.optimizers.Nadam.
// Momentum schedule u_t = beta1 * (1 - 0.5 * 0.96^t); U = prod_{s<=t} u_s (the "u_product", kept in the state).
//   per step:  U = U * u_t                                  t = iterations + 1
//   m = m + (g - m) * (1 - beta1)            v = v + (g^2 - v) * (1 - beta2)
//   mHat = u_{t+1} * m / (1 - U * u_{t+1}) + (1 - u_t) * g / (1 - U)
//   vHat = v / (1 - beta2^t)
//   w -= lr * mHat / (sqrt(vHat) + epsilon)
// Defaults: learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7.

import { Optimizer, checkNumber, type OptimizerOptions, type SlotSpec } from './optimizer.js';

export interface NadamOptions extends OptimizerOptions {
  /** Decay rate of the first moment, in [0, 1). Default 0.9. */
  beta1?: number;
  /** Decay rate of the second moment, in [0, 1). Default 0.999. */
  beta2?: number;
  /** Added to sqrt(vHat). Default 1e-7. */
  epsilon?: number;
}

export class Nadam extends Optimizer {
  static override className = 'Nadam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private uProduct = 1;

  constructor(options: NadamOptions = {}) {
    super(options, 0.001, ['beta1', 'beta2', 'epsilon']);
    this.beta1 = checkNumber('Nadam', 'beta1', options.beta1 ?? 0.9, { min: 0, max: 1, maxExclusive: true });
    this.beta2 = checkNumber('Nadam', 'beta2', options.beta2 ?? 0.999, { min: 0, max: 1, maxExclusive: true });
    this.epsilon = checkNumber('Nadam', 'epsilon', options.epsilon ?? 1e-7, { min: 0, minExclusive: true });
  }

  protected slotSpecs(): SlotSpec[] {
    return [{ name: 'momentum', init: 0 }, { name: 'velocity', init: 0 }];
  }

  private u(t: number): number {
    return this.beta1 * (1 - 0.5 * Math.pow(0.96, t));
  }

  protected override beginStep(t: number): void {
    this.uProduct = Math.fround(this.uProduct * this.u(t)); // a float32 variable in Keras
  }

  protected override getExtras(): Record<string, number> {
    return { uProduct: this.uProduct };
  }

  protected override setExtras(extras: Record<string, number>): void {
    this.uProduct = checkNumber('Nadam', 'state.extras.uProduct', extras.uProduct ?? 1, { min: 0, max: 1 });
  }

  protected updateStep(w: Float32Array, g: Float32Array, [m, v]: Float32Array[], lr: number, t: number): void {
    const { beta1: b1, beta2: b2, epsilon: eps, uProduct: U } = this;
    const ut = this.u(t);
    const ut1 = this.u(t + 1);
    const U1 = U * ut1;
    const c2 = 1 - Math.pow(b2, t);
    for (let i = 0; i < w.length; i++) {
      m[i] += (g[i] - m[i]) * (1 - b1);
      v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
      const mHat = (ut1 * m[i]) / (1 - U1) + ((1 - ut) * g[i]) / (1 - U);
      w[i] -= (mHat * lr) / (Math.sqrt(v[i] / c2) + eps);
    }
  }

  protected ownConfig(): Record<string, unknown> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
