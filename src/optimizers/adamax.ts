// Adamax (Kingma & Ba, 2015, section 7.1), as Keras 3 keras.optimizers.Adamax: Adam with the infinity norm.
//   m = m + (g - m) * (1 - beta1)
//   u = max(beta2 * u, |g|)
//   w -= lr * m / ((1 - beta1^t) * (u + epsilon))         t = iterations + 1
// Defaults: learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7.

import { Optimizer, checkNumber, type OptimizerOptions, type SlotSpec } from './optimizer.js';

export interface AdamaxOptions extends OptimizerOptions {
  /** Decay rate of the first moment, in [0, 1). Default 0.9. */
  beta1?: number;
  /** Decay rate of the infinity norm, in [0, 1). Default 0.999. */
  beta2?: number;
  /** Added to u. Default 1e-7. */
  epsilon?: number;
}

export class Adamax extends Optimizer {
  static override className = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(options: AdamaxOptions = {}) {
    super(options, 0.001, ['beta1', 'beta2', 'epsilon']);
    this.beta1 = checkNumber('Adamax', 'beta1', options.beta1 ?? 0.9, { min: 0, max: 1, maxExclusive: true });
    this.beta2 = checkNumber('Adamax', 'beta2', options.beta2 ?? 0.999, { min: 0, max: 1, maxExclusive: true });
    this.epsilon = checkNumber('Adamax', 'epsilon', options.epsilon ?? 1e-7, { min: 0, minExclusive: true });
  }

  protected slotSpecs(): SlotSpec[] {
    return [{ name: 'momentum', init: 0 }, { name: 'norm', init: 0 }];
  }

  protected updateStep(w: Float32Array, g: Float32Array, [m, u]: Float32Array[], lr: number, t: number): void {
    const { beta1: b1, beta2: b2, epsilon: eps } = this;
    const c = 1 - Math.pow(b1, t);
    for (let i = 0; i < w.length; i++) {
      m[i] += (g[i] - m[i]) * (1 - b1);
      u[i] = Math.max(b2 * u[i], Math.abs(g[i]));
      w[i] -= (lr * m[i]) / (c * (u[i] + eps));
    }
  }

  protected ownConfig(): Record<string, unknown> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
