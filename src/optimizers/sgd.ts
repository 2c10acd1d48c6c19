// SGD with optional momentum and Nesterov momentum (Keras 3 keras.optimizers.SGD).
//   no momentum:  w -= lr * g
//   momentum:     m = momentum * m - lr * g                  (m starts at 0)
//                 w += m                                     (classical)
//                 w += momentum * m - lr * g                 (nesterov: uses the updated m)
// Defaults: learningRate 0.01, momentum 0, nesterov false. The chapter's legacy form
// new SGD({ lr: 0.01, decay: 1e-6, momentum: 0.9, nesterov: true }) works: lr is an alias and
// decay is Keras 2's lr / (1 + decay * iterations) (see optimizer.ts).

import { Optimizer, checkNumber, type OptimizerOptions, type SlotSpec } from './optimizer.js';

export interface SGDOptions extends OptimizerOptions {
  /** Momentum factor in [0, 1]; 0 is plain gradient descent. Default 0. */
  momentum?: number;
  /** Use Nesterov momentum. Default false. */
  nesterov?: boolean;
}

export class SGD extends Optimizer {
  static override className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(options: SGDOptions = {}) {
    super(options, 0.01, ['momentum', 'nesterov']);
    this.momentum = checkNumber('SGD', 'momentum', options.momentum ?? 0, { min: 0, max: 1 });
    this.nesterov = options.nesterov ?? false;
    if (typeof this.nesterov !== 'boolean') throw new Error(`SGD: \`nesterov\` must be a boolean; received ${String(options.nesterov)}.`);
  }

  protected slotSpecs(): SlotSpec[] {
    return this.momentum !== 0 ? [{ name: 'momentum', init: 0 }] : [];
  }

  protected updateStep(w: Float32Array, g: Float32Array, slots: Float32Array[], lr: number): void {
    if (this.momentum === 0) {
      for (let i = 0; i < w.length; i++) w[i] -= lr * g[i];
      return;
    }
    const m = slots[0];
    const mu = this.momentum;
    for (let i = 0; i < w.length; i++) {
      m[i] = -g[i] * lr + m[i] * mu;
      w[i] += this.nesterov ? -g[i] * lr + m[i] * mu : m[i];
    }
  }

  protected ownConfig(): Record<string, unknown> {
    return { momentum: this.momentum, nesterov: this.nesterov };
  }
}
