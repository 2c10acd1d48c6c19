// RMSprop (Hinton, 2012, lecture 6e), as Keras 3 keras.optimizers.RMSprop.
//   v = rho * v + (1 - rho) * g^2
//   centered:  mg = rho * mg + (1 - rho) * g;   d = v - mg^2 + epsilon     else d = v + epsilon
//   inc = lr * g / sqrt(d)                      epsilon INSIDE the square root, as Keras
//   momentum > 0:  m = momentum * m + inc;  w -= m        else w -= inc
// Defaults: learningRate 0.001, rho 0.9, momentum 0, epsilon 1e-7, centered false.
// (TF.js 4.22's centered form subtracts epsilon under the root instead; we follow Keras.)

import { Optimizer, checkNumber, type OptimizerOptions, type SlotSpec } from './optimizer.js';

export interface RMSpropOptions extends OptimizerOptions {
  /** Discount factor of the squared-gradient average, in [0, 1). Default 0.9. */
  rho?: number;
  /** Momentum factor in [0, 1]. Default 0. */
  momentum?: number;
  /** Added to the average under the square root. Default 1e-7. */
  epsilon?: number;
  /** Normalize by the estimated variance (v - mean(g)^2). Default false. */
  centered?: boolean;
}

export class RMSprop extends Optimizer {
  static override className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(options: RMSpropOptions = {}) {
    super(options, 0.001, ['rho', 'momentum', 'epsilon', 'centered']);
    this.rho = checkNumber('RMSprop', 'rho', options.rho ?? 0.9, { min: 0, max: 1, maxExclusive: true });
    this.momentum = checkNumber('RMSprop', 'momentum', options.momentum ?? 0, { min: 0, max: 1 });
    this.epsilon = checkNumber('RMSprop', 'epsilon', options.epsilon ?? 1e-7, { min: 0, minExclusive: true });
    this.centered = options.centered ?? false;
    if (typeof this.centered !== 'boolean') throw new Error(`RMSprop: \`centered\` must be a boolean; received ${String(options.centered)}.`);
  }

  protected slotSpecs(): SlotSpec[] {
    const s: SlotSpec[] = [{ name: 'velocity', init: 0 }];
    if (this.momentum > 0) s.push({ name: 'momentum', init: 0 });
    if (this.centered) s.push({ name: 'averageGradient', init: 0 });
    return s;
  }

  protected updateStep(w: Float32Array, g: Float32Array, slots: Float32Array[], lr: number): void {
    const v = slots[0];
    const m = this.momentum > 0 ? slots[1] : null;
    const mg = this.centered ? slots[slots.length - 1] : null;
    const { rho, epsilon: eps, momentum: mu } = this;
    for (let i = 0; i < w.length; i++) {
      v[i] = rho * v[i] + (1 - rho) * g[i] * g[i];
      let d: number;
      if (mg) {
        mg[i] = rho * mg[i] + (1 - rho) * g[i];
        d = v[i] - mg[i] * mg[i] + eps;
      } else d = v[i] + eps;
      const inc = (lr * g[i]) / Math.sqrt(d);
      if (m) {
        m[i] = mu * m[i] + inc;
        w[i] -= m[i];
      } else w[i] -= inc;
    }
  }

  protected ownConfig(): Record<string, unknown> {
    return { rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
