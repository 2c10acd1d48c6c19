// Adadelta (Zeiler, 2012, arXiv:1212.5701), as Keras 3 keras.optimizers.Adadelta.
//   Eg = rho * Eg + (1 - rho) * g^2
//   dx = -sqrt(Edx + epsilon) / sqrt(Eg + epsilon) * g     uses the UPDATED Eg (TF.js 4.22 uses the previous one)
//   Edx = rho * Edx + (1 - rho) * dx^2
//   w += lr * dx
// Defaults: learningRate 0.001 (1.0 gives the paper's form), rho 0.95, epsilon 1e-7.

import { Optimizer, checkNumber, type OptimizerOptions, type SlotSpec } from './optimizer.js';

export interface AdadeltaOptions extends OptimizerOptions {
  /** Decay rate of both running averages, in [0, 1). Default 0.95. */
  rho?: number;
  /** Added under both square roots. Default 1e-7. */
  epsilon?: number;
}

export class Adadelta extends Optimizer {
  static override className = 'Adadelta';
  readonly rho: number;
  readonly epsilon: number;

  constructor(options: AdadeltaOptions = {}) {
    super(options, 0.001, ['rho', 'epsilon']);
    this.rho = checkNumber('Adadelta', 'rho', options.rho ?? 0.95, { min: 0, max: 1, maxExclusive: true });
    this.epsilon = checkNumber('Adadelta', 'epsilon', options.epsilon ?? 1e-7, { min: 0, minExclusive: true });
  }

  protected slotSpecs(): SlotSpec[] {
    return [{ name: 'accumulatedGrad', init: 0 }, { name: 'accumulatedDeltaVar', init: 0 }];
  }

  protected updateStep(w: Float32Array, g: Float32Array, [eg, edx]: Float32Array[], lr: number): void {
    const { rho, epsilon: eps } = this;
    for (let i = 0; i < w.length; i++) {
      eg[i] = rho * eg[i] + (1 - rho) * g[i] * g[i];
      const dx = -(Math.sqrt(edx[i] + eps) * g[i]) / Math.sqrt(eg[i] + eps);
      edx[i] = rho * edx[i] + (1 - rho) * dx * dx;
      w[i] += lr * dx;
    }
  }

  protected ownConfig(): Record<string, unknown> {
    return { rho: this.rho, epsilon: this.epsilon };
  }
}
