// Adagrad (Duchi et al., 2011), as Keras 3 keras.optimizers.Adagrad.
//   a = a + g^2                                 (a starts at initialAccumulatorValue)
//   w -= lr * g / sqrt(a + epsilon)             epsilon INSIDE the square root, as Keras
// Defaults: learningRate 0.001, initialAccumulatorValue 0.1, epsilon 1e-7.

import { Optimizer, checkNumber, type OptimizerOptions, type SlotSpec } from './optimizer.js';

export interface AdagradOptions extends OptimizerOptions {
  /** Starting value of the accumulators, >= 0. Default 0.1. */
  initialAccumulatorValue?: number;
  /** Added to the accumulator under the square root. Default 1e-7. */
  epsilon?: number;
}

export class Adagrad extends Optimizer {
  static override className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(options: AdagradOptions = {}) {
    super(options, 0.001, ['initialAccumulatorValue', 'epsilon']);
    this.initialAccumulatorValue = checkNumber('Adagrad', 'initialAccumulatorValue', options.initialAccumulatorValue ?? 0.1, { min: 0 });
    this.epsilon = checkNumber('Adagrad', 'epsilon', options.epsilon ?? 1e-7, { min: 0, minExclusive: true });
  }

  protected slotSpecs(): SlotSpec[] {
    return [{ name: 'accumulator', init: this.initialAccumulatorValue }];
  }

  protected updateStep(w: Float32Array, g: Float32Array, [a]: Float32Array[], lr: number): void {
    for (let i = 0; i < w.length; i++) {
      a[i] += g[i] * g[i];
      w[i] -= (lr * g[i]) / Math.sqrt(a[i] + this.epsilon);
    }
  }

  protected ownConfig(): Record<string, unknown> {
    return { initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
