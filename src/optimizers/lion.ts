// Lion (Chen et al., 2023, "Symbolic Discovery of Optimization Algorithms", arXiv:2302.06675), as Keras 3.
//   w -= lr * sign(beta1 * m + (1 - beta1) * g)
//   m = beta2 * m + (1 - beta2) * g
// Defaults: learningRate 0.001, beta1 0.9 (in (0, 1]; 0 would be SignSGD), beta2 0.99.
// Use a 3-10x smaller learning rate and 3-10x larger weightDecay than for AdamW.

import { Optimizer, checkNumber, type OptimizerOptions, type SlotSpec } from './optimizer.js';

export interface LionOptions extends OptimizerOptions {
  /** Interpolation between momentum and gradient for the update direction, in (0, 1]. Default 0.9. */
  beta1?: number;
  /** Decay rate of the momentum, in [0, 1). Default 0.99. */
  beta2?: number;
}

export class Lion extends Optimizer {
  static override className = 'Lion';
  readonly beta1: number;
  readonly beta2: number;

  constructor(options: LionOptions = {}) {
    super(options, 0.001, ['beta1', 'beta2']);
    this.beta1 = checkNumber('Lion', 'beta1', options.beta1 ?? 0.9, { min: 0, minExclusive: true, max: 1 });
    this.beta2 = checkNumber('Lion', 'beta2', options.beta2 ?? 0.99, { min: 0, max: 1, maxExclusive: true });
  }

  protected slotSpecs(): SlotSpec[] {
    return [{ name: 'momentum', init: 0 }];
  }

  protected updateStep(w: Float32Array, g: Float32Array, [m]: Float32Array[], lr: number): void {
    const { beta1: b1, beta2: b2 } = this;
    for (let i = 0; i < w.length; i++) {
      w[i] -= lr * Math.sign(m[i] * b1 + g[i] * (1 - b1));
      m[i] = m[i] * b2 + g[i] * (1 - b2);
    }
  }

  protected ownConfig(): Record<string, unknown> {
    return { beta1: this.beta1, beta2: this.beta2 };
  }
}
