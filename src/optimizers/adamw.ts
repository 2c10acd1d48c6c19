// AdamW (Loshchilov & Hutter, 2019, arXiv:1711.05101), as Keras 3 keras.optimizers.AdamW: Adam (adam.ts) with
// decoupled weight decay applied by the base before each update: w -= w * weightDecay * lr.
// Defaults: learningRate 0.001, weightDecay 0.004, beta1 0.9, beta2 0.999, epsilon 1e-7, amsgrad false.

import { Adam, type AdamOptions } from './adam.js';

export class AdamW extends Adam {
  static override className = 'AdamW';

  constructor(options: AdamOptions = {}) {
    if (options && options.weightDecay === null) throw new Error('AdamW: `weightDecay` must be a number >= 0; received null.');
    super({ ...options, weightDecay: options?.weightDecay ?? 0.004 });
  }
}
