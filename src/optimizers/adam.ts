// Adam (Kingma & Ba, 2015, arXiv:1412.6980), as Keras 3 keras.optimizers.Adam, with AMSGrad (Reddi et al., 2018).
//   t = iterations + 1
//   m = m + (g - m) * (1 - beta1)               v = v + (g^2 - v) * (1 - beta2)
//   amsgrad: vHat = max(vHat, v), used in place of v
//   alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
//   w -= alpha * m / (sqrt(v) + epsilon)        epsilon OUTSIDE the square root, on the uncorrected v (Keras's "epsilon hat")
// Defaults: learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7, amsgrad false.

import { Optimizer, checkNumber, type OptimizerOptions, type SlotSpec } from './optimizer.js';
import { getBackend, ADAM_MIN } from '../backend/backend.js';

export interface AdamOptions extends OptimizerOptions {
  /** Decay rate of the first-moment average, in [0, 1). Default 0.9. */
  beta1?: number;
  /** Decay rate of the second-moment average, in [0, 1). Default 0.999. */
  beta2?: number;
  /** Added to sqrt(v) for numerical stability. Default 1e-7. */
  epsilon?: number;
  /** Use the AMSGrad variant (running maximum of v). Default false. */
  amsgrad?: boolean;
}

export const ADAM_KEYS = ['beta1', 'beta2', 'epsilon', 'amsgrad'] as const;

export class Adam extends Optimizer {
  static override className = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  constructor(options: AdamOptions = {}, defaultLearningRate = 0.001, extraKeys: readonly string[] = []) {
    super(options, defaultLearningRate, [...ADAM_KEYS, ...extraKeys]);
    const cls = this.className;
    this.beta1 = checkNumber(cls, 'beta1', options.beta1 ?? 0.9, { min: 0, max: 1, maxExclusive: true });
    this.beta2 = checkNumber(cls, 'beta2', options.beta2 ?? 0.999, { min: 0, max: 1, maxExclusive: true });
    this.epsilon = checkNumber(cls, 'epsilon', options.epsilon ?? 1e-7, { min: 0, minExclusive: true });
    this.amsgrad = options.amsgrad ?? false;
    if (typeof this.amsgrad !== 'boolean') throw new Error(`${cls}: \`amsgrad\` must be a boolean; received ${String(options.amsgrad)}.`);
  }

  protected slotSpecs(): SlotSpec[] {
    const s = [{ name: 'momentum', init: 0 }, { name: 'velocity', init: 0 }];
    return this.amsgrad ? [...s, { name: 'velocityHat', init: 0 }] : s;
  }

  protected updateStep(w: Float32Array, g: Float32Array, slots: Float32Array[], lr: number, t: number): void {
    const m = slots[0];
    const v = slots[1];
    const b1 = this.beta1;
    const b2 = this.beta2;
    const eps = this.epsilon;
    const c1 = 1 - b1;
    const c2 = 1 - b2;
    const alpha = (lr * Math.sqrt(1 - Math.pow(b2, t))) / (1 - Math.pow(b1, t));
    const n = w.length;
    if (this.amsgrad) {
      const vHat = slots[2];
      for (let i = 0; i < n; i++) {
        const gi = g[i];
        m[i] += (gi - m[i]) * c1;
        v[i] += (gi * gi - v[i]) * c2;
        if (v[i] > vHat[i]) vHat[i] = v[i];
        w[i] -= (m[i] * alpha) / (Math.sqrt(vHat[i]) + eps);
      }
      return;
    }
    // Large weights (any size on native): the backend's fused kernel (SIMD, float32 arithmetic as Keras's), 4–12x faster.
    const backend = getBackend();
    if (backend.adam && n >= (backend.adamMin ?? ADAM_MIN)) return backend.adam(w, g, m, v, c1, c2, alpha, eps);
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      m[i] += (gi - m[i]) * c1; // slots are float32, as Keras's; re-read so the update uses the stored values
      v[i] += (gi * gi - v[i]) * c2;
      w[i] -= (m[i] * alpha) / (Math.sqrt(v[i]) + eps);
    }
  }

  protected ownConfig(): Record<string, unknown> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}
